/**
 * CloudGateway over the fake world, as strict as ACK and ECS are and shaped as AlicloudCloudGateway answers
 * (src/gateways/cloud/): unknown clusters, pools, tasks, disks, instances and invocations are CLOUD_API errors with
 * the service's code and status; a second node-pool task while one runs is refused as busy (ErrorNodePoolBusy); the
 * calls that create or remove things look first, as the real gateway does (a pool of that name is returned, nodes
 * already gone are skipped, a gone pool is not deleted twice). Every call is recorded in `world.calls`.
 */
import type { AckCheckItem, ClusterFacts, InstanceFacts, NodePoolFacts } from '../../../src/domain/cluster/snapshot.js';
import { AppError } from '../../../src/errors.js';
import type {
  CloudGateway,
  InvocationResult,
  NewPoolSpec,
  PoolNode,
  RuntimeTarget,
  TaskFacts,
  UpgradeRequest,
} from '../../../src/ports/cloud-gateway.js';
import {
  createSnapshot,
  describeInstances,
  describeInvocationResults,
  describeSnapshots,
  runCommand,
  upgradeCheck,
} from './fake-ecs.js';
import { cloudError, cloudThrottled } from './fake-errors.js';
import { FakeTask, type TaskType } from './fake-tasks.js';
import type { FakePool, FakeWorld } from './fake-world.js';
import { CONTAINERD_VERSION } from './fake-world-model.js';

export interface FakeCloudOptions {
  /** Offer findActiveTask (DescribeClusterTasks), as AlicloudCloudGateway does (default true). */
  findsActiveTasks?: boolean;
}

export class FakeCloudGateway implements CloudGateway {
  /** The running task on a pool that a crashed worker did not record (see AckApi.findActiveTask). */
  readonly findActiveTask?: (clusterId: string, poolId: string) => Promise<string | undefined>;

  constructor(
    readonly world: FakeWorld,
    options: FakeCloudOptions = {},
  ) {
    if (options.findsActiveTasks !== false) {
      this.findActiveTask = async (clusterId, poolId) => {
        this.call('findActiveTask', [clusterId, poolId], 'ACK', 'DescribeClusterTasks');
        this.mustCluster(clusterId, 'DescribeClusterTasks');
        return this.world.activeTask(poolId)?.id;
      };
    }
  }

  async describeCluster(clusterId: string): Promise<ClusterFacts> {
    this.call('describeCluster', [clusterId], 'ACK', 'DescribeClusterDetail');
    this.mustCluster(clusterId, 'DescribeClusterDetail');
    const busy = [...this.world.tasks.values()].some((t) => !t.finished);
    return { ...this.world.cluster, state: busy ? 'updating' : 'running' };
  }

  async containerdVersion(clusterId: string): Promise<RuntimeTarget> {
    this.call('containerdVersion', [clusterId], 'ACK', 'DescribeKubernetesVersionMetadata');
    this.mustCluster(clusterId, 'DescribeKubernetesVersionMetadata');
    return { kubernetesVersion: this.world.cluster.version, runtimeVersion: CONTAINERD_VERSION };
  }

  async listNodePools(clusterId: string): Promise<NodePoolFacts[]> {
    this.call('listNodePools', [clusterId], 'ACK', 'DescribeClusterNodePools');
    this.mustCluster(clusterId, 'DescribeClusterNodePools');
    return [...this.world.pools.values()].map((p) => this.poolFacts(p));
  }

  async listPoolNodes(clusterId: string, poolId: string): Promise<PoolNode[]> {
    this.call('listPoolNodes', [clusterId, poolId], 'ACK', 'DescribeClusterNodes');
    this.mustPool(clusterId, poolId, 'DescribeClusterNodes');
    const removing = this.world.activeTask(poolId)?.type === 'nodepool_remove_nodes';
    return this.world.poolNodes(poolId).map((n) => {
      const status = this.world.instances.get(n.instanceId)?.status;
      const state = status === 'Pending' ? 'initial' : removing && n.unschedulable ? 'removing' : 'running';
      return { nodeName: n.name, instanceId: n.instanceId, privateIp: n.internalIp, state };
    });
  }

  async describeInstances(instanceIds: string[]): Promise<InstanceFacts[]> {
    this.call('describeInstances', [instanceIds], 'ECS', 'DescribeInstances');
    return describeInstances(this.world, instanceIds);
  }

  async runUpgradeCheck(clusterId: string, poolId: string): Promise<AckCheckItem[]> {
    this.call('runUpgradeCheck', [clusterId, poolId], 'ACK', 'RunClusterCheck');
    this.mustPool(clusterId, poolId, 'RunClusterCheck');
    return upgradeCheck(this.world, poolId);
  }

  async upgradeNodePool(clusterId: string, poolId: string, request: UpgradeRequest): Promise<{ taskId: string }> {
    const action = 'UpgradeClusterNodepool';
    this.call('upgradeNodePool', [clusterId, poolId, request], 'ACK', action);
    const pool = this.mustPool(clusterId, poolId, action);
    const bad = (message: string) => cloudError('ACK', action, 400, 'ErrorParameterInvalid', message);
    if (request.runtimeType !== 'containerd') throw bad('runtime_type must be containerd');
    if (request.useReplace !== true)
      throw bad('changing the container runtime replaces the system disk: set use_replace to true');
    const p = request.maxParallelism;
    if (!Number.isInteger(p) || p < 1 || p > 10) throw bad('rolling_policy.max_parallelism must be 1 to 10');
    const inPool = new Set(this.world.poolNodes(pool.id).map((n) => n.name));
    const unknown = request.nodeNames.filter((n) => !inPool.has(n));
    if (unknown.length > 0) throw bad(`node(s) ${unknown.join(', ')} are not in node pool ${pool.id}`);
    await this.untilIdle(pool.id, action);
    const nodes = request.nodeNames.length > 0 ? [...new Set(request.nodeNames)] : [...inPool];
    const task = this.newTask('nodepool_upgrade', pool.id, { nodepool_id: pool.id, node_names: nodes });
    this.world.startTask(task, { upgrade: { nodes, maxParallelism: p } });
    return { taskId: task.id };
  }

  async describeTask(taskId: string): Promise<TaskFacts> {
    this.call('describeTask', [taskId], 'ACK', 'DescribeTaskInfo');
    return this.mustTask(taskId, 'DescribeTaskInfo').facts();
  }

  async pauseTask(taskId: string): Promise<void> {
    this.call('pauseTask', [taskId], 'ACK', 'PauseTask');
    this.mustTask(taskId, 'PauseTask').pause();
  }

  async resumeTask(taskId: string): Promise<void> {
    this.call('resumeTask', [taskId], 'ACK', 'ResumeTask');
    this.mustTask(taskId, 'ResumeTask').resume();
  }

  async cancelTask(taskId: string): Promise<void> {
    this.call('cancelTask', [taskId], 'ACK', 'CancelTask');
    this.mustTask(taskId, 'CancelTask').cancel();
  }

  async createSnapshot(diskId: string, name: string): Promise<{ snapshotId: string }> {
    this.call('createSnapshot', [diskId, name], 'ECS', 'CreateSnapshot');
    return createSnapshot(this.world, diskId, name);
  }

  async describeSnapshots(snapshotIds: string[]) {
    this.call('describeSnapshots', [snapshotIds], 'ECS', 'DescribeSnapshots');
    return describeSnapshots(this.world, snapshotIds);
  }

  async createNodePool(clusterId: string, spec: NewPoolSpec): Promise<{ poolId: string }> {
    this.call('createNodePool', [clusterId, spec], 'ACK', 'CreateClusterNodePool');
    this.mustCluster(clusterId, 'DescribeClusterNodePools');
    const pools = [...this.world.pools.values()];
    const existing = pools.find((p) => p.name === spec.name);
    if (existing) return { poolId: existing.id };
    const old = pools.find((p) => p.id === spec.cloneOf);
    if (!old) throw new AppError('NOT_FOUND', `node pool ${spec.cloneOf} to clone is not in cluster ${clusterId}`);
    const id = this.world.id('np', 32);
    this.world.addPool({
      id,
      name: spec.name,
      runtime: spec.runtime,
      labels: old.labels,
      instanceType: old.instanceType,
    });
    const task = this.newTask('nodepool_create', id, { nodepool_id: id, name: spec.name });
    this.world.startTask(task, { scaleOut: spec.desiredSize });
    await this.untilDone(task, 'CreateClusterNodePool');
    return { poolId: id };
  }

  async scaleNodePool(clusterId: string, poolId: string, count: number): Promise<void> {
    this.call('scaleNodePool', [clusterId, poolId, count], 'ACK', 'DescribeClusterNodePoolDetail');
    this.mustPool(clusterId, poolId, 'DescribeClusterNodePoolDetail');
    const more = count - this.world.poolNodes(poolId).length;
    if (more <= 0) return;
    await this.untilIdle(poolId, 'ScaleClusterNodePool');
    const task = this.newTask('nodepool_scaleout', poolId, { nodepool_id: poolId, count: more });
    this.world.startTask(task, { scaleOut: more });
    await this.untilDone(task, 'ScaleClusterNodePool');
  }

  async removeNodePoolNodes(clusterId: string, poolId: string, nodeNames: string[]): Promise<void> {
    this.call('removeNodePoolNodes', [clusterId, poolId, nodeNames], 'ACK', 'DescribeClusterNodes');
    this.mustPool(clusterId, poolId, 'DescribeClusterNodes');
    const wanted = new Set(nodeNames);
    const names = this.world
      .poolNodes(poolId)
      .filter((n) => wanted.has(n.name))
      .map((n) => n.name);
    if (names.length === 0) return;
    await this.untilIdle(poolId, 'RemoveNodePoolNodes');
    const task = this.newTask('nodepool_remove_nodes', poolId, { nodepool_id: poolId, nodes: names });
    this.world.startTask(task, { remove: names });
    await this.untilDone(task, 'RemoveNodePoolNodes');
  }

  async deleteNodePool(clusterId: string, poolId: string): Promise<void> {
    this.call('deleteNodePool', [clusterId, poolId], 'ACK', 'DescribeClusterNodePools');
    this.mustCluster(clusterId, 'DescribeClusterNodePools');
    if (!this.world.pools.has(poolId)) return;
    const count = this.world.poolNodes(poolId).length;
    if (count > 0)
      throw cloudError(
        'ACK',
        'DeleteClusterNodepool',
        400,
        'ErrorNodePoolNotEmpty',
        `node pool ${poolId} still has ${count} node(s): remove them or set force=true`,
      );
    await this.untilIdle(poolId, 'DeleteClusterNodepool');
    const task = this.newTask('nodepool_delete', poolId, { nodepool_id: poolId });
    this.world.startTask(task, {});
    await this.untilDone(task, 'DeleteClusterNodepool');
  }

  async runCommand(instanceIds: string[], script: string): Promise<{ invokeId: string }> {
    this.call('runCommand', [instanceIds, script], 'ECS', 'RunCommand');
    return runCommand(this.world, instanceIds, script);
  }

  async describeInvocationResults(invokeId: string): Promise<InvocationResult[]> {
    this.call('describeInvocationResults', [invokeId], 'ECS', 'DescribeInvocationResults');
    return describeInvocationResults(this.world, invokeId);
  }

  private call(method: string, args: unknown[], service: 'ACK' | 'ECS', action: string): void {
    if (this.world.record(method, args)) throw cloudThrottled(service, action);
  }

  private poolFacts(p: FakePool): NodePoolFacts {
    return {
      id: p.id,
      name: p.name,
      runtime: p.runtime,
      runtimeVersion: p.runtimeVersion,
      nodeCount: this.world.poolNodes(p.id).length,
      instanceTypes: [p.instanceType],
      labels: { ...p.labels },
    };
  }

  private mustCluster(clusterId: string, action: string): void {
    if (clusterId !== this.world.cluster.id)
      throw cloudError('ACK', action, 404, 'ErrorClusterNotFound', `cluster ${clusterId} not found`);
  }

  private mustPool(clusterId: string, poolId: string, action: string): FakePool {
    this.mustCluster(clusterId, action);
    const pool = this.world.pools.get(poolId);
    if (!pool)
      throw cloudError(
        'ACK',
        action,
        404,
        'ErrorNodePoolNotFound',
        `node pool ${poolId} not found in cluster ${clusterId}`,
      );
    return pool;
  }

  private mustTask(taskId: string, action: string): FakeTask {
    const task = this.world.tasks.get(taskId);
    if (!task) throw cloudError('ACK', action, 404, 'ErrorTaskNotFound', `task ${taskId} not found`);
    return task;
  }

  /** As the real gateway: a mutation waits (the world's time moving on) until the pool runs no task. */
  private async untilIdle(poolId: string, action: string): Promise<void> {
    for (let i = 0; this.world.activeTask(poolId); i++) {
      const busy = this.world.activeTask(poolId)!;
      if (i >= 10_000)
        throw cloudError('ACK', action, 400, 'ErrorNodePoolBusy', `node pool ${poolId} still runs task ${busy.id}`);
      this.world.tick();
      await Promise.resolve();
    }
  }

  /** As the real gateway: a pool task it started is followed to its end. */
  private async untilDone(task: FakeTask, action: string): Promise<void> {
    for (let i = 0; !task.finished; i++) {
      if (i >= 10_000) throw cloudError('ACK', action, 400, 'ErrorTaskTimeout', `task ${task.id} did not end`);
      this.world.tick();
      await Promise.resolve();
    }
    if (task.state !== 'success')
      throw cloudError('ACK', action, 400, task.error?.code ?? 'TaskFailed', task.error?.message ?? task.state);
  }

  private newTask(type: TaskType, poolId: string, parameters: Record<string, unknown>): FakeTask {
    return new FakeTask(this.world.id('T-', 24), type, poolId, parameters);
  }
}
