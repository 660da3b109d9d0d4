/**
 * CloudGateway over @alicloud/openapi-client: ACK for clusters, pools, upgrades and tasks; ECS for instances,
 * disks, snapshots and Cloud Assistant. Calls that create or remove things look first (the pool's state, its running
 * tasks), follow the task they start, and after a failure whose outcome is unknown look again before asking twice.
 */
import type { AckCheckItem, ClusterFacts, InstanceFacts, NodePoolFacts } from '../../domain/cluster/snapshot.js';
import { AppError } from '../../errors.js';
import type {
  CloudGateway,
  InvocationResult,
  NewPoolSpec,
  PoolNode,
  RuntimeTarget,
  TaskFacts,
  UpgradeRequest,
} from '../../ports/cloud-gateway.js';
import { AckApi, toCheckItems, toPoolFacts } from './ack-api.js';
import { EcsApi } from './ecs-api.js';
import type { CloudCallStats, OpenApiCaller } from './openapi-caller.js';
import { cloneBody } from './pool-clone.js';
import { outcomeUnknown, PoolTasks } from './pool-tasks.js';

export interface CloudGatewayOptions {
  /** Longest pause between GetClusterCheck polls while ACK's check runs (ms); the first polls come sooner. */
  checkPollMs?: number;
  /** How long ACK's check may run before the precheck gives up on it (ms). */
  checkTimeoutMs?: number;
  /** Longest pause between polls of a pool's state or a task (ms; default checkPollMs, else 5 s). */
  taskPollMs?: number;
  /** How long waiting for an idle pool or for a pool task may take (ms, default 90 min). */
  taskTimeoutMs?: number;
}

const isUpgrade = (type: string) => /upgrade/i.test(type);

const RUNNING_CHECK = new Set(['', 'running', 'pending', 'created', 'initial', 'checking']);

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export class AlicloudCloudGateway implements CloudGateway {
  private readonly ack: AckApi;
  private readonly ecs: EcsApi;
  private readonly pools: PoolTasks;

  constructor(
    private readonly caller: OpenApiCaller,
    private readonly options: CloudGatewayOptions = {},
  ) {
    this.ack = new AckApi(caller);
    this.ecs = new EcsApi(caller);
    this.pools = new PoolTasks(this.ack, {
      pollMs: options.taskPollMs ?? options.checkPollMs ?? 5_000,
      timeoutMs: options.taskTimeoutMs ?? 90 * 60_000,
    });
  }

  /** Calls per action (retries included) since this gateway was built. */
  stats(): CloudCallStats {
    return this.caller.stats();
  }

  describeCluster(clusterId: string): Promise<ClusterFacts> {
    return this.ack.describeCluster(clusterId);
  }

  /** The containerd version ACK offers with the cluster's current_version (the newest, if it offers several). */
  async containerdVersion(clusterId: string): Promise<RuntimeTarget> {
    const cluster = await this.ack.rawCluster(clusterId);
    const versions = await this.ack.runtimeVersions(cluster, 'containerd');
    const kubernetesVersion = cluster.current_version ?? '';
    const runtimeVersion = versions.at(-1);
    if (!runtimeVersion) {
      throw new AppError('NOT_FOUND', `ACK offers no containerd version for Kubernetes ${kubernetesVersion}`, {
        hint: 'containerd needs Kubernetes 1.20 or later: upgrade the cluster first',
        details: { service: 'ACK', action: 'DescribeKubernetesVersionMetadata', clusterId },
      });
    }
    return { kubernetesVersion, runtimeVersion };
  }

  /** Every cluster these credentials can see (not part of the port: the CLI uses it to pick a default). */
  listClusters(): Promise<ClusterFacts[]> {
    return this.ack.listClusters();
  }

  /** A temporary kubeconfig of these credentials for the cluster (not part of the port: the worker's wiring uses it). */
  userKubeconfig(clusterId: string, minutes: number): Promise<{ config: string; expiration: string }> {
    return this.ack.userKubeconfig(clusterId, minutes);
  }

  async listNodePools(clusterId: string): Promise<NodePoolFacts[]> {
    return (await this.ack.rawNodePools(clusterId)).map(toPoolFacts);
  }

  listPoolNodes(clusterId: string, poolId: string): Promise<PoolNode[]> {
    return this.ack.listPoolNodes(clusterId, poolId);
  }

  describeInstances(instanceIds: string[]): Promise<InstanceFacts[]> {
    return this.ecs.describeInstances(instanceIds);
  }

  async runUpgradeCheck(clusterId: string, poolId: string): Promise<AckCheckItem[]> {
    const checkId = await this.ack.runClusterCheck(clusterId, poolId);
    // Poll soon, then less often: a quick check answers quickly, a slow one costs few calls.
    const maxPollMs = this.options.checkPollMs ?? 2_000;
    let pollMs = Math.min(250, maxPollMs);
    const deadline = Date.now() + (this.options.checkTimeoutMs ?? 300_000);
    for (;;) {
      const check = await this.ack.getClusterCheck(clusterId, checkId);
      const status = (check.status ?? '').toLowerCase();
      if (!RUNNING_CHECK.has(status)) {
        const items = toCheckItems(check.check_items);
        if (items.length === 0 && /fail|error/.test(status)) {
          return [
            { name: 'NodePoolUpgrade', passed: false, level: 'blocker', message: check.message || `check ${status}` },
          ];
        }
        return items;
      }
      if (Date.now() >= deadline) {
        throw new AppError('TIMEOUT', `ACK's NodePoolUpgrade check ${checkId} of pool ${poolId} is still running`, {
          retryable: true,
          hint: 'run the precheck again in a few minutes',
        });
      }
      await sleep(pollMs);
      pollMs = Math.min(maxPollMs, pollMs * 2);
    }
  }

  /** Waits for an idle pool; after a failure whose outcome is unknown, an upgrade task that appeared is ours. */
  async upgradeNodePool(clusterId: string, poolId: string, request: UpgradeRequest): Promise<{ taskId: string }> {
    // With use_replace ACK re-initialises the nodes from this request: it always names the versions.
    const target =
      request.runtimeVersion && request.kubernetesVersion
        ? { runtimeVersion: request.runtimeVersion, kubernetesVersion: request.kubernetesVersion }
        : await this.containerdVersion(clusterId);
    const body = {
      runtime_type: request.runtimeType,
      runtime_version: request.runtimeVersion ?? target.runtimeVersion,
      kubernetes_version: request.kubernetesVersion ?? target.kubernetesVersion,
      use_replace: request.useReplace,
      node_names: request.nodeNames,
      // The bot makes its own batches (node_names), so ACK must not pause inside one.
      rolling_policy: { max_parallelism: request.maxParallelism, pause_policy: 'NotPause' },
    };
    for (let attempt = 1; ; attempt++) {
      await this.pools.untilIdle(clusterId, poolId);
      try {
        return { taskId: await this.ack.upgradeNodePool(clusterId, poolId, body) };
      } catch (error) {
        if (!outcomeUnknown(error) || attempt >= 3) throw error;
        const found = await this.ack.findActiveTask(clusterId, poolId, isUpgrade);
        if (found) return { taskId: found.taskId };
      }
    }
  }

  describeTask(taskId: string): Promise<TaskFacts> {
    return this.ack.describeTask(taskId);
  }

  /** The running upgrade on a pool that the worker did not get to record (see AckApi.findActiveTask). */
  async findActiveTask(clusterId: string, poolId: string): Promise<string | undefined> {
    return (await this.ack.findActiveTask(clusterId, poolId, isUpgrade))?.taskId;
  }

  pauseTask(taskId: string): Promise<void> {
    return this.ack.taskControl('PauseTask', taskId);
  }

  resumeTask(taskId: string): Promise<void> {
    return this.ack.taskControl('ResumeTask', taskId);
  }

  cancelTask(taskId: string): Promise<void> {
    return this.ack.taskControl('CancelTask', taskId);
  }

  async createSnapshot(diskId: string, name: string): Promise<{ snapshotId: string }> {
    return { snapshotId: await this.ecs.createSnapshot(diskId, name) };
  }

  describeSnapshots(snapshotIds: string[]) {
    return this.ecs.describeSnapshots(snapshotIds);
  }

  /**
   * Creates the pool at its full size once and follows the create task (the nodes joining) to its end. A pool with
   * the same name already there is the one a resumed job asked for: its running task is followed.
   */
  async createNodePool(clusterId: string, spec: NewPoolSpec): Promise<{ poolId: string }> {
    for (let attempt = 1; ; attempt++) {
      const pools = await this.ack.rawNodePools(clusterId);
      const existing = pools.find((p) => p.nodepool_info?.name === spec.name)?.nodepool_info?.nodepool_id;
      if (existing) {
        await this.pools.untilIdle(clusterId, existing);
        return { poolId: existing };
      }
      if (!pools.some((p) => p.nodepool_info?.nodepool_id === spec.cloneOf))
        throw new AppError('NOT_FOUND', `node pool ${spec.cloneOf} to clone is not in cluster ${clusterId}`);
      const body = cloneBody(await this.ack.rawNodePool(clusterId, spec.cloneOf), spec);
      try {
        const created = await this.ack.createNodePool(clusterId, body);
        await this.pools.waitTask(created.taskId, `create node pool ${spec.name}`);
        return { poolId: created.poolId };
      } catch (error) {
        // Unknown outcome: the next round looks for the pool by name before it asks again.
        if (!outcomeUnknown(error) || attempt >= 3) throw error;
      }
    }
  }

  /** Sizes the pool to `count` nodes: only what its desired size lacks is asked for, once, and followed. */
  async scaleNodePool(clusterId: string, poolId: string, count: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const pool = await this.pools.untilIdle(clusterId, poolId);
      if (!pool) throw new AppError('NOT_FOUND', `node pool ${poolId} is not in cluster ${clusterId}`);
      const more = count - (pool.scaling_group?.desired_size ?? toPoolFacts(pool).nodeCount);
      if (more <= 0) return;
      try {
        const taskId = await this.ack.scaleNodePool(clusterId, poolId, Math.min(500, more));
        await this.pools.waitTask(taskId, `scale node pool ${poolId}`);
      } catch (error) {
        if (!outcomeUnknown(error) || attempt >= 3) throw error;
      }
    }
  }

  /** Nodes already gone from the pool are skipped; nothing left to remove means no call. */
  async removeNodePoolNodes(clusterId: string, poolId: string, nodeNames: string[]): Promise<void> {
    const wanted = new Set(nodeNames);
    for (let attempt = 1; ; attempt++) {
      if (!(await this.pools.untilIdle(clusterId, poolId))) return;
      const ids = (await this.ack.listPoolNodes(clusterId, poolId))
        .filter((n) => wanted.has(n.nodeName) && n.instanceId)
        .map((n) => n.instanceId);
      if (ids.length === 0) return;
      try {
        const taskId = await this.ack.removeNodes(clusterId, poolId, ids.slice(0, 100));
        await this.pools.waitTask(taskId, `remove ${Math.min(100, ids.length)} node(s) from ${poolId}`);
        if (ids.length <= 100) return;
      } catch (error) {
        if (!outcomeUnknown(error) || attempt >= 3) throw error;
      }
    }
  }

  async deleteNodePool(clusterId: string, poolId: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (!(await this.pools.untilIdle(clusterId, poolId))) return;
      try {
        await this.pools.waitTask(await this.ack.deleteNodePool(clusterId, poolId), `delete node pool ${poolId}`);
        return;
      } catch (error) {
        if (!outcomeUnknown(error) || attempt >= 3) throw error;
      }
    }
  }

  async runCommand(instanceIds: string[], script: string): Promise<{ invokeId: string }> {
    if (instanceIds.length === 0 || instanceIds.length > 100)
      throw new AppError('BAD_INPUT', `RunCommand takes 1 to 100 instances, got ${instanceIds.length}`);
    return { invokeId: await this.ecs.runCommand(instanceIds, script) };
  }

  describeInvocationResults(invokeId: string): Promise<InvocationResult[]> {
    return this.ecs.describeInvocationResults(invokeId);
  }
}
