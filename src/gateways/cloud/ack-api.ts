/**
 * ACK (CS 2015-12-15, ROA): the operations the bot calls, with request bodies and responses in ACK's own field
 * names (snake_case bodies, ROA paths), mapped to the port's types.
 */
import type { AckCheckItem, ClusterFacts, NodePoolFacts } from '../../domain/cluster/snapshot.js';
import type { PoolNode, TaskFacts } from '../../ports/cloud-gateway.js';
import { type RawTask, toTaskFacts } from './ack-task.js';
import type { OpenApiCaller } from './openapi-caller.js';

const enc = encodeURIComponent;

export interface RawCluster {
  cluster_id?: string;
  cluster_type?: string;
  name?: string;
  region_id?: string;
  current_version?: string;
  state?: string;
}

export interface RawNodePool {
  nodepool_info?: { nodepool_id?: string; name?: string; type?: string };
  /** `state`: active, scaling, removing, deleting, updating … (ACK's node-pool states). */
  status?: { total_nodes?: number; state?: string };
  kubernetes_config?: {
    runtime?: string;
    runtime_version?: string;
    labels?: RawLabels;
    [key: string]: unknown;
  };
  scaling_group?: { desired_size?: number; instance_types?: string[]; [key: string]: unknown };
  [key: string]: unknown;
}

export function toClusterFacts(raw: RawCluster): ClusterFacts {
  return {
    id: raw.cluster_id ?? '',
    name: raw.name ?? '',
    region: raw.region_id ?? '',
    version: raw.current_version ?? '',
    state: raw.state ?? '',
  };
}

type RawLabels = Array<{ key?: string; value?: string }> | Record<string, string> | undefined;

/** ACK writes pool labels as `[{key, value}]`; a map is accepted too. */
function labelsOf(labels: RawLabels): Record<string, string> {
  if (Array.isArray(labels)) {
    const out: Record<string, string> = {};
    for (const l of labels) if (l.key) out[l.key] = l.value ?? '';
    return out;
  }
  return { ...(labels ?? {}) };
}

export function toPoolFacts(raw: RawNodePool): NodePoolFacts {
  return {
    id: raw.nodepool_info?.nodepool_id ?? '',
    name: raw.nodepool_info?.name ?? '',
    runtime: raw.kubernetes_config?.runtime ?? '',
    runtimeVersion: raw.kubernetes_config?.runtime_version ?? '',
    nodeCount: raw.status?.total_nodes ?? raw.scaling_group?.desired_size ?? 0,
    instanceTypes: raw.scaling_group?.instance_types ?? [],
    labels: labelsOf(raw.kubernetes_config?.labels),
  };
}

const LEVELS: Record<string, AckCheckItem['level']> = {
  error: 'blocker',
  fatal: 'blocker',
  critical: 'blocker',
  blocker: 'blocker',
  warning: 'warning',
  warn: 'warning',
  info: 'info',
  normal: 'info',
};

/** GetClusterCheck's `check_items` is a map of category → items; the item fields are read leniently. */
export function toCheckItems(checkItems: unknown): AckCheckItem[] {
  const out: AckCheckItem[] = [];
  const groups: Array<[string, unknown]> = Array.isArray(checkItems)
    ? [['', checkItems]]
    : Object.entries((checkItems as Record<string, unknown>) ?? {});
  for (const [group, items] of groups) {
    for (const raw of Array.isArray(items) ? items : []) {
      const item = raw as Record<string, unknown>;
      const status = String(item.status ?? '').toLowerCase();
      const passed =
        typeof item.passed === 'boolean'
          ? item.passed
          : ['passed', 'pass', 'success', 'succeeded', 'ok'].includes(status);
      const targets = Array.isArray(item.targets) ? item.targets.filter((t) => typeof t === 'string') : [];
      const target = item.target ?? (targets.length > 0 ? targets.join(', ') : undefined);
      out.push({
        name: String(item.name ?? item.check_name ?? group),
        passed,
        level: LEVELS[String(item.level ?? '').toLowerCase()] ?? (passed ? 'info' : 'warning'),
        message: String(item.message ?? item.description ?? item.desc ?? ''),
        ...(typeof target === 'string' && target ? { target } : {}),
      });
    }
  }
  return out;
}

export class AckApi {
  constructor(private readonly api: OpenApiCaller) {}

  async describeCluster(clusterId: string): Promise<ClusterFacts> {
    return toClusterFacts(await this.rawCluster(clusterId));
  }

  rawCluster(clusterId: string): Promise<RawCluster> {
    return this.api.roa<RawCluster>('DescribeClusterDetail', 'GET', `/clusters/${enc(clusterId)}`);
  }

  /** DescribeKubernetesVersionMetadata: the runtime versions ACK offers with one Kubernetes version. */
  async runtimeVersions(cluster: RawCluster, runtime: string): Promise<string[]> {
    const version = cluster.current_version ?? '';
    const body = await this.api.roa<Array<{ version?: string; runtimes?: Array<{ name?: string; version?: string }> }>>(
      'DescribeKubernetesVersionMetadata',
      'GET',
      '/api/v1/metadata/versions',
      {
        query: {
          ClusterType: cluster.cluster_type ?? 'ManagedKubernetes',
          Region: cluster.region_id ?? '',
          KubernetesVersion: version,
          runtime,
        },
        bodyType: 'array',
      },
    );
    return (Array.isArray(body) ? body : [])
      .filter((v) => v.version === version)
      .flatMap((v) => v.runtimes ?? [])
      .filter((r) => r.name === runtime && r.version)
      .map((r) => r.version!);
  }

  /** DescribeClusterUserKubeconfig: a kubeconfig of the worker's own identity, valid `minutes` (15 to 4320). */
  async userKubeconfig(clusterId: string, minutes: number): Promise<{ config: string; expiration: string }> {
    const body = await this.api.roa<{ config?: string; expiration?: string }>(
      'DescribeClusterUserKubeconfig',
      'GET',
      `/k8s/${enc(clusterId)}/user_config`,
      { query: { PrivateIpAddress: false, TemporaryDurationMinutes: minutes } },
    );
    return { config: body.config ?? '', expiration: body.expiration ?? '' };
  }

  /** DescribeClustersV1, every page. */
  async listClusters(): Promise<ClusterFacts[]> {
    const out: ClusterFacts[] = [];
    for (let page = 1; page <= 100; page++) {
      const body = await this.api.roa<{ clusters?: RawCluster[]; page_info?: { total_count?: number } }>(
        'DescribeClustersV1',
        'GET',
        '/api/v1/clusters',
        { query: { page_size: 100, page_number: page } },
      );
      const clusters = body.clusters ?? [];
      out.push(...clusters.map(toClusterFacts));
      if (clusters.length < 100 || out.length >= (body.page_info?.total_count ?? 0)) break;
    }
    return out;
  }

  async rawNodePools(clusterId: string): Promise<RawNodePool[]> {
    const body = await this.api.roa<{ nodepools?: RawNodePool[] }>(
      'DescribeClusterNodePools',
      'GET',
      `/clusters/${enc(clusterId)}/nodepools`,
    );
    return body.nodepools ?? [];
  }

  async rawNodePool(clusterId: string, poolId: string): Promise<RawNodePool> {
    return await this.api.roa<RawNodePool>(
      'DescribeClusterNodePoolDetail',
      'GET',
      `/clusters/${enc(clusterId)}/nodepools/${enc(poolId)}`,
    );
  }

  /** DescribeClusterNodes filtered by pool, 100 a page (note ACK's mixed casing of the query names). */
  async listPoolNodes(clusterId: string, poolId: string): Promise<PoolNode[]> {
    const out: PoolNode[] = [];
    for (let page = 1; ; page++) {
      const body = await this.api.roa<{
        nodes?: Array<{ node_name?: string; instance_id?: string; ip_address?: string[]; state?: string }>;
        page?: { total_count?: number };
      }>('DescribeClusterNodes', 'GET', `/clusters/${enc(clusterId)}/nodes`, {
        query: { nodepool_id: poolId, pageSize: 100, pageNumber: page },
      });
      const nodes = body.nodes ?? [];
      for (const n of nodes)
        out.push({
          nodeName: n.node_name ?? '',
          instanceId: n.instance_id ?? '',
          privateIp: n.ip_address?.[0],
          state: n.state ?? '',
        });
      if (nodes.length === 0 || out.length >= (body.page?.total_count ?? 0)) return out;
    }
  }

  async runClusterCheck(clusterId: string, poolId: string): Promise<string> {
    const body = await this.api.roa<{ check_id?: string }>(
      'RunClusterCheck',
      'POST',
      `/clusters/${enc(clusterId)}/checks`,
      {
        body: { type: 'NodePoolUpgrade', target: poolId },
      },
    );
    return body.check_id ?? '';
  }

  async getClusterCheck(clusterId: string, checkId: string) {
    return await this.api.roa<{ status?: string; message?: string; check_items?: unknown }>(
      'GetClusterCheck',
      'GET',
      `/clusters/${enc(clusterId)}/checks/${enc(checkId)}`,
    );
  }

  async upgradeNodePool(clusterId: string, poolId: string, body: Record<string, unknown>): Promise<string> {
    const res = await this.api.roa<{ task_id?: string }>(
      'UpgradeClusterNodepool',
      'POST',
      `/clusters/${enc(clusterId)}/nodepools/${enc(poolId)}/upgrade`,
      { body },
    );
    return res.task_id ?? '';
  }

  async describeTask(taskId: string): Promise<TaskFacts> {
    return toTaskFacts(taskId, await this.api.roa<RawTask>('DescribeTaskInfo', 'GET', `/tasks/${enc(taskId)}`));
  }

  /** DescribeClusterTasks: the newest tasks of the cluster (id, type, state). */
  async clusterTasks(clusterId: string): Promise<Array<{ task_id?: string; task_type?: string; state?: string }>> {
    const list = await this.api.roa<{ tasks?: Array<{ task_id?: string; task_type?: string; state?: string }> }>(
      'DescribeClusterTasks',
      'GET',
      `/clusters/${enc(clusterId)}/tasks`,
      { query: { page_size: 50, page_number: 1 } },
    );
    return list.tasks ?? [];
  }

  /**
   * The unfinished task acting on a pool, if any, through documented fields: DescribeClusterTasks' `state` and
   * `task_type`, then DescribeTaskInfo's `target`. `types` narrows it (e.g. to upgrades).
   */
  async findActiveTask(
    clusterId: string,
    poolId: string,
    types?: (taskType: string) => boolean,
  ): Promise<{ taskId: string; taskType: string } | undefined> {
    for (const t of await this.clusterTasks(clusterId)) {
      if (!t.task_id || !['running', 'pending', 'paused'].includes(t.state ?? '')) continue;
      if (types && !types(t.task_type ?? '')) continue;
      const info = await this.api.roa<RawTask>('DescribeTaskInfo', 'GET', `/tasks/${enc(t.task_id)}`);
      if (info.target?.id === poolId) return { taskId: t.task_id, taskType: t.task_type ?? '' };
    }
    return undefined;
  }

  async rawTask(taskId: string): Promise<RawTask> {
    return await this.api.roa<RawTask>('DescribeTaskInfo', 'GET', `/tasks/${enc(taskId)}`);
  }

  async taskControl(action: 'PauseTask' | 'ResumeTask' | 'CancelTask', taskId: string): Promise<void> {
    const verb = action === 'PauseTask' ? 'pause' : action === 'ResumeTask' ? 'resume' : 'cancel';
    await this.api.roa(action, 'POST', `/tasks/${enc(taskId)}/${verb}`, { bodyType: 'none' });
  }

  async createNodePool(clusterId: string, body: Record<string, unknown>): Promise<{ poolId: string; taskId: string }> {
    const res = await this.api.roa<{ nodepool_id?: string; task_id?: string }>(
      'CreateClusterNodePool',
      'POST',
      `/clusters/${enc(clusterId)}/nodepools`,
      {
        body,
      },
    );
    return { poolId: res.nodepool_id ?? '', taskId: res.task_id ?? '' };
  }

  /** ScaleClusterNodePool: `count` nodes more (an increment, at most 500). */
  async scaleNodePool(clusterId: string, poolId: string, count: number): Promise<string> {
    const res = await this.api.roa<{ task_id?: string }>(
      'ScaleClusterNodePool',
      'POST',
      `/clusters/${enc(clusterId)}/nodepools/${enc(poolId)}`,
      { body: { count } },
    );
    return res.task_id ?? '';
  }

  async removeNodes(clusterId: string, poolId: string, instanceIds: string[]): Promise<string> {
    const res = await this.api.roa<{ task_id?: string }>(
      'RemoveNodePoolNodes',
      'DELETE',
      `/clusters/${enc(clusterId)}/nodepools/${enc(poolId)}/nodes`,
      {
        // The nodes were drained by us already; release the instances with them.
        query: { instance_ids: JSON.stringify(instanceIds), drain_node: false, release_node: true },
      },
    );
    return res.task_id ?? '';
  }

  async deleteNodePool(clusterId: string, poolId: string): Promise<string> {
    // force=false: ACK refuses while the pool still has nodes, which is exactly the safety we want.
    const res = await this.api.roa<{ task_id?: string }>(
      'DeleteClusterNodepool',
      'DELETE',
      `/clusters/${enc(clusterId)}/nodepools/${enc(poolId)}`,
      {
        query: { force: false },
      },
    );
    return res.task_id ?? '';
  }
}
