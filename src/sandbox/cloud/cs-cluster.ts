/**
 * CS cluster-level reads: DescribeClustersV1, DescribeClusterDetail, DescribeKubernetesVersionMetadata, and ACK's own precheck
 * (RunClusterCheck / GetClusterCheck / ListClusterChecks, type NodePoolUpgrade). The check looks at the pool as
 * it is when the check runs; failed items can also be planted per pool through POST /sandbox/faults.
 */
import type { CloudState } from './cloud-state.js';
import { fakeId, IMAGE_ID, mustCluster } from './cs-pools.js';
import { badParam, obj, type RoaRequest, rfc3339, str } from './roa.js';
import { minor } from './version-metadata.js';
import { ApiError, requestId } from './wire.js';

/** Simulated seconds a cluster check runs before it reports. */
export const CHECK_SECONDS = 10;
const CHECK_TYPES = ['NodePoolUpgrade', 'ClusterUpgrade', 'MasterUpgrade', 'ClusterMigrate'];

/** Every cluster the server serves (one, or a fleet's), filtered by `region_id` and paged as ACK pages it. */
export function describeClustersV1(state: CloudState, request: RoaRequest) {
  const region = str(request.query['region_id'], 'region_id');
  const size = pageNumber(request.query['page_size'], 'page_size', 10, 100);
  const number = pageNumber(request.query['page_number'], 'page_number', 1, Number.MAX_SAFE_INTEGER);
  const all = state.fleet
    .filter((s) => region === undefined || s.world.cluster.region === region)
    .map((s) => describeClusterDetail(s, { ...request, path: { ClusterId: s.world.cluster.id } }));
  return {
    clusters: all.slice((number - 1) * size, number * size),
    page_info: { page_size: size, page_number: number, total_count: all.length },
    requestId: requestId(),
  };
}

function pageNumber(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw badParam(`${name} must be a whole number from 1 to ${max}`);
  return n;
}

export function describeClusterDetail(state: CloudState, request: RoaRequest) {
  mustCluster(state, request.path['ClusterId']);
  const { cluster } = state.world;
  const created = rfc3339(state.world.clock.now() - 400 * 24 * 3600 * 1000);
  const busy = [...state.tasks.values()].some((t) => !t.finished);
  return {
    cluster_id: cluster.id,
    name: cluster.name,
    state: busy ? 'updating' : 'running',
    current_version: cluster.version,
    init_version: cluster.version,
    next_version: nextVersion(state, cluster.version),
    docker_version: '19.03.15',
    cluster_type: 'ManagedKubernetes',
    cluster_spec: 'ack.pro.small',
    profile: 'Default',
    region_id: cluster.region,
    zone_id: `${cluster.region}-h`,
    vpc_id: fakeId('vpc-', cluster.id),
    vswitch_ids: [fakeId('vsw-', cluster.id)],
    security_group_id: fakeId('sg-', cluster.id, 20),
    network_mode: 'vpc',
    container_cidr: '10.128.0.0/9',
    service_cidr: '192.168.0.0/16',
    size: state.world.listNodes().length,
    deletion_protection: true,
    resource_group_id: fakeId('rg-', cluster.id, 20),
    created,
    updated: created,
    tags: [],
  };
}

function nextVersion(state: CloudState, version: string): string {
  return state.versions.map((v) => v.version).find((v) => minor(v) === minor(version) + 2) ?? '';
}

export function describeKubernetesVersionMetadata(state: CloudState, request: RoaRequest) {
  const q = request.query;
  if (!str(q['ClusterType'], 'ClusterType')) throw badParam('ClusterType is required');
  if (!str(q['Region'], 'Region')) throw badParam('Region is required');
  const wantVersion = str(q['KubernetesVersion'], 'KubernetesVersion');
  const wantRuntime = str(q['runtime'], 'runtime');
  const all = state.versions;
  return all
    .filter((v) => wantVersion === undefined || v.version === wantVersion)
    .map((v) => ({ ...v, runtimes: v.runtimes.filter((r) => wantRuntime === undefined || r.name === wantRuntime) }))
    .filter((v) => v.runtimes.length > 0)
    .map((v) => ({
      version: v.version,
      runtimes: v.runtimes,
      images: [
        {
          image_id: IMAGE_ID,
          image_name: 'Alibaba Cloud Linux 3.2104',
          platform: 'AliyunLinux',
          os_version: '3.2104',
          image_type: 'AliyunLinux3',
          os_type: 'Linux',
          image_category: 'system',
          architecture: 'x86_64',
        },
      ],
      meta_data: {},
      capabilities: {},
      upgradable_versions: all.filter((u) => minor(u.version) === minor(v.version) + 2).map((u) => u.version),
      creatable: minor(v.version) >= 24,
      release_date: '2023-01-01T00:00:00Z',
      expiration_date: '',
    }));
}

interface CheckItem {
  name: string;
  target_type: 'NodePool' | 'Node' | 'Cluster';
  targets: string[];
  value: string;
  passed: boolean;
  level: 'error' | 'warning';
  message: string;
}

function nodePoolItems(state: CloudState, poolId: string): Record<string, CheckItem[]> {
  const { world } = state;
  const pool = world.pools.get(poolId)!;
  const nodes = world.listNodes(poolId);
  const notReady = nodes.filter((n) => !n.ready).map((n) => n.name);
  const cordoned = nodes.filter((n) => n.unschedulable).map((n) => n.name);
  const stopped = nodes.filter((n) => world.instances.get(n.instanceId)?.status !== 'Running').map((n) => n.name);
  const busy = state.activeTask(poolId);
  const item = (i: Omit<CheckItem, 'value'> & { value?: string }): CheckItem => ({ value: '', ...i });
  const items: Record<string, CheckItem[]> = {
    Cluster: [
      item({
        name: 'ContainerdSupported',
        target_type: 'Cluster',
        targets: [world.cluster.id],
        value: world.cluster.version,
        passed: minor(world.cluster.version) >= 20,
        level: 'error',
        message: minor(world.cluster.version) >= 20 ? '' : 'containerd node pools need Kubernetes 1.20 or later',
      }),
    ],
    NodePool: [
      item({
        name: 'NodePoolStatus',
        target_type: 'NodePool',
        targets: [poolId],
        passed: !busy,
        level: 'error',
        message: busy ? `task ${busy.id} (${busy.type}) is running on the node pool` : '',
      }),
    ],
    Node: [
      item({
        name: 'NodeReady',
        target_type: 'Node',
        targets: notReady,
        passed: notReady.length === 0,
        level: 'error',
        message: notReady.length ? `nodes not Ready: ${notReady.join(', ')}` : '',
      }),
      item({
        name: 'InstanceRunning',
        target_type: 'Node',
        targets: stopped,
        passed: stopped.length === 0,
        level: 'error',
        message: stopped.length ? `ECS instances not Running: ${stopped.join(', ')}` : '',
      }),
      item({
        name: 'NodeSchedulable',
        target_type: 'Node',
        targets: cordoned,
        passed: cordoned.length === 0,
        level: 'warning',
        message: cordoned.length ? `nodes cordoned: ${cordoned.join(', ')}` : '',
      }),
    ],
  };
  // Planted failures: through POST /sandbox/faults, or a scenario fault {node: <pool>, step: check}.
  const planted = [
    ...state.checkFailures,
    ...state.faults
      .filter((f) => (f.step as string) === 'check')
      .map((f) => ({
        pool: f.node,
        name: f.error,
        level: 'error' as const,
        message: `${f.error} (planted by the scenario)`,
      })),
  ];
  for (const f of planted.filter((c) => c.pool === pool.id || c.pool === pool.name)) {
    items['NodePool']!.push(
      item({
        name: f.name,
        target_type: 'NodePool',
        targets: [pool.id],
        passed: false,
        level: f.level,
        message: f.message,
      }),
    );
  }
  return items;
}

export function runClusterCheck(state: CloudState, request: RoaRequest) {
  mustCluster(state, request.path['cluster_id']);
  const type = str(request.body['type'], 'type');
  if (!type || !CHECK_TYPES.includes(type)) throw badParam(`type must be one of ${CHECK_TYPES.join(', ')}`);
  obj(request.body['options'], 'options');
  const target = str(request.body['target'], 'target');
  let items: Record<string, CheckItem[]> = {};
  if (type === 'NodePoolUpgrade') {
    if (!target) throw badParam('target (the node pool id) is required for NodePoolUpgrade');
    if (!state.world.pools.has(target))
      throw new ApiError(404, 'ErrorNodePoolNotFound', `node pool ${target} not found`);
    items = nodePoolItems(state, target);
  }
  const failed = Object.values(items)
    .flat()
    .filter((i) => !i.passed && i.level === 'error');
  const checkId = state.id('', 32);
  const createdAt = state.now();
  state.checks.set(checkId, {
    check_id: checkId,
    type,
    target,
    createdAt,
    status: failed.length ? 'Failed' : 'Succeeded',
    message: failed.map((i) => i.message).join('; '),
    check_items: items,
  });
  return { check_id: checkId, request_id: requestId() };
}

function checkJson(state: CloudState, c: Record<string, unknown>, withItems: boolean) {
  const createdAt = c['createdAt'] as number;
  const done = state.now() - createdAt >= CHECK_SECONDS * 1000;
  return {
    check_id: c['check_id'],
    type: c['type'],
    status: done ? c['status'] : 'Running',
    message: done ? c['message'] : '',
    created_at: rfc3339(createdAt),
    finished_at: done ? rfc3339(createdAt + CHECK_SECONDS * 1000) : '',
    ...(withItems ? { check_items: done ? c['check_items'] : {} } : {}),
  };
}

export function getClusterCheck(state: CloudState, request: RoaRequest) {
  mustCluster(state, request.path['cluster_id']);
  const c = state.checks.get(request.path['check_id'] ?? '');
  if (!c) throw new ApiError(404, 'ErrorCheckNotFound', `check ${request.path['check_id']} not found`);
  return { ...checkJson(state, c, true), request_id: requestId() };
}

export function listClusterChecks(state: CloudState, request: RoaRequest) {
  mustCluster(state, request.path['cluster_id']);
  const type = str(request.query['type'], 'type');
  const target = str(request.query['target'], 'target');
  const checks = [...state.checks.values()]
    .filter((c) => (type === undefined || c['type'] === type) && (target === undefined || c['target'] === target))
    .map((c) => checkJson(state, c, false));
  return { checks, request_id: requestId() };
}
