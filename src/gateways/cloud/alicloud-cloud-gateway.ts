/**
 * CloudGateway over @alicloud/openapi-client: ACK for clusters, pools, upgrades and tasks; ECS for instances,
 * disks, snapshots and Cloud Assistant. Calls that create or remove things look first, so a resumed job that
 * repeats one does not do it twice.
 */
import type { AckCheckItem, ClusterFacts, InstanceFacts, NodePoolFacts } from '../../domain/cluster/snapshot.js';
import { AppError } from '../../errors.js';
import type {
  CloudGateway,
  InvocationResult,
  NewPoolSpec,
  PoolNode,
  TaskFacts,
  UpgradeRequest,
} from '../../ports/cloud-gateway.js';
import { AckApi, type RawNodePool, toCheckItems, toPoolFacts } from './ack-api.js';
import { EcsApi } from './ecs-api.js';
import type { CloudCallStats, OpenApiCaller } from './openapi-caller.js';

export interface CloudGatewayOptions {
  /** Longest pause between GetClusterCheck polls while ACK's check runs (ms); the first polls come sooner. */
  checkPollMs?: number;
  /** How long ACK's check may run before the precheck gives up on it (ms). */
  checkTimeoutMs?: number;
}

const RUNNING_CHECK = new Set(['', 'running', 'pending', 'created', 'initial', 'checking']);
/** Fields of a pool's scaling group that name the old pool's own resources and must not be copied. */
const NOT_CLONED = new Set(['scaling_group_id', 'desired_size', 'ram_policy', 'ram_role_name']);

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export class AlicloudCloudGateway implements CloudGateway {
  private readonly ack: AckApi;
  private readonly ecs: EcsApi;

  constructor(
    private readonly caller: OpenApiCaller,
    private readonly options: CloudGatewayOptions = {},
  ) {
    this.ack = new AckApi(caller);
    this.ecs = new EcsApi(caller);
  }

  /** Calls per action (retries included) since this gateway was built. */
  stats(): CloudCallStats {
    return this.caller.stats();
  }

  describeCluster(clusterId: string): Promise<ClusterFacts> {
    return this.ack.describeCluster(clusterId);
  }

  /** Every cluster these credentials can see (not part of the port: the CLI uses it to pick a default). */
  listClusters(): Promise<ClusterFacts[]> {
    return this.ack.listClusters();
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

  async upgradeNodePool(clusterId: string, poolId: string, request: UpgradeRequest): Promise<{ taskId: string }> {
    const body = {
      runtime_type: request.runtimeType,
      ...(request.runtimeVersion ? { runtime_version: request.runtimeVersion } : {}),
      use_replace: request.useReplace,
      node_names: request.nodeNames,
      // The bot makes its own batches (node_names), so ACK must not pause inside one.
      rolling_policy: { max_parallelism: request.maxParallelism, pause_policy: 'NotPause' },
    };
    return { taskId: await this.ack.upgradeNodePool(clusterId, poolId, body) };
  }

  describeTask(taskId: string): Promise<TaskFacts> {
    return this.ack.describeTask(taskId);
  }

  /** The running task on a pool that the worker did not get to record (see AckApi.findActiveTask). */
  findActiveTask(clusterId: string, poolId: string): Promise<string | undefined> {
    return this.ack.findActiveTask(clusterId, poolId);
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

  /** A pool with the same name already there is returned as is (a resumed job asking again). */
  async createNodePool(clusterId: string, spec: NewPoolSpec): Promise<{ poolId: string }> {
    const pools = await this.ack.rawNodePools(clusterId);
    const existing = pools.find((p) => p.nodepool_info?.name === spec.name);
    if (existing?.nodepool_info?.nodepool_id) return { poolId: existing.nodepool_info.nodepool_id };
    const old = pools.find((p) => p.nodepool_info?.nodepool_id === spec.cloneOf);
    if (!old) throw new AppError('NOT_FOUND', `node pool ${spec.cloneOf} to clone is not in cluster ${clusterId}`);
    const detail: RawNodePool = await this.ack.rawNodePool(clusterId, spec.cloneOf);
    const scaling: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(detail.scaling_group ?? {})) if (!NOT_CLONED.has(k)) scaling[k] = v;
    const body = {
      nodepool_info: { name: spec.name, type: detail.nodepool_info?.type ?? 'ess' },
      kubernetes_config: {
        ...(detail.kubernetes_config ?? {}),
        runtime: spec.runtime,
        ...(spec.runtimeVersion ? { runtime_version: spec.runtimeVersion } : { runtime_version: undefined }),
      },
      scaling_group: { ...scaling, desired_size: spec.desiredSize },
      ...(detail.management ? { management: detail.management } : {}),
    };
    return { poolId: await this.ack.createNodePool(clusterId, body) };
  }

  /** `count` is the pool's target size; ACK's ScaleClusterNodePool adds nodes, so only the difference is asked. */
  async scaleNodePool(clusterId: string, poolId: string, count: number): Promise<void> {
    const pool = toPoolFacts(await this.ack.rawNodePool(clusterId, poolId));
    const more = count - pool.nodeCount;
    if (more <= 0) return;
    for (let left = more; left > 0; left -= 500) {
      await this.caller.roa(
        'ScaleClusterNodePool',
        'POST',
        `/clusters/${encodeURIComponent(clusterId)}/nodepools/${encodeURIComponent(poolId)}`,
        { body: { count: Math.min(500, left) } },
      );
    }
  }

  /** Nodes already gone from the pool are skipped; nothing left to remove means no call. */
  async removeNodePoolNodes(clusterId: string, poolId: string, nodeNames: string[]): Promise<void> {
    const wanted = new Set(nodeNames);
    const ids = (await this.ack.listPoolNodes(clusterId, poolId))
      .filter((n) => wanted.has(n.nodeName) && n.instanceId)
      .map((n) => n.instanceId);
    for (let i = 0; i < ids.length; i += 100) await this.ack.removeNodes(clusterId, poolId, ids.slice(i, i + 100));
  }

  async deleteNodePool(clusterId: string, poolId: string): Promise<void> {
    const pools = await this.ack.rawNodePools(clusterId);
    if (!pools.some((p) => p.nodepool_info?.nodepool_id === poolId)) return;
    await this.ack.deleteNodePool(clusterId, poolId);
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
