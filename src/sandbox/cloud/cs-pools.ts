/**
 * CS node-pool and node reads (DescribeClusterNodePools, DescribeClusterNodePoolDetail, DescribeClusterNodes) in ACK's
 * own snake_case field names (nodepool_info, status, kubernetes_config, scaling_group), built from the world on every
 * call so they never disagree with the Kubernetes side.
 */
import { hashSeed } from '../world/ids.js';
import type { InstanceRecord, NodeRecord, PoolRecord } from '../world/index.js';
import type { CloudState } from './cloud-state.js';
import { int, type RoaRequest, rfc3339, str } from './roa.js';
import { ApiError } from './wire.js';

export function mustCluster(state: CloudState, clusterId: string | undefined): void {
  if (clusterId !== state.world.cluster.id) {
    throw new ApiError(404, 'ErrorClusterNotFound', `cluster ${clusterId ?? ''} not found`);
  }
}

export function mustPool(state: CloudState, request: RoaRequest): PoolRecord {
  mustCluster(state, request.path['ClusterId']);
  const id = request.path['NodepoolId'] ?? '';
  const pool = state.world.pools.get(id);
  if (!pool)
    throw new ApiError(404, 'ErrorNodePoolNotFound', `node pool ${id} not found in cluster ${state.world.cluster.id}`);
  return pool;
}

/** Stable per-object fake ids (vpc, vswitch, image …) so repeated calls agree. */
export function fakeId(prefix: string, seed: string, length = 22): string {
  let out = '';
  let h = hashSeed(seed);
  while (out.length < length) {
    h = hashSeed(`${h}:${seed}`);
    out += h.toString(36);
  }
  return `${prefix}${out.slice(0, length)}`;
}

export const IMAGE_ID = 'aliyun_3_x64_20G_alibase_20240819.vhd';

function poolState(state: CloudState, pool: PoolRecord): string {
  const task = state.activeTask(pool.id);
  if (!task) return 'active';
  return (
    (
      { nodepool_upgrade: 'updating', nodepool_create: 'scaling', nodepool_scaleout: 'scaling' } as Record<
        string,
        string
      >
    )[task.type] ?? (task.type === 'nodepool_delete' ? 'deleting' : 'removing')
  );
}

export function poolJson(state: CloudState, pool: PoolRecord, detail = false): Record<string, unknown> {
  const { world } = state;
  const nodes = world.listNodes(pool.id);
  const instances = nodes.map((n) => world.instances.get(n.instanceId));
  const ready = nodes.filter((n) => n.ready).length;
  const created = rfc3339(state.poolCreated.get(pool.id) ?? world.clock.now());
  const json: Record<string, unknown> = {
    nodepool_info: {
      nodepool_id: pool.id,
      name: pool.name,
      type: 'ess',
      is_default: false,
      region_id: world.cluster.region,
      resource_group_id: fakeId('rg-', world.cluster.id, 20),
      created,
      updated: created,
    },
    status: {
      state: poolState(state, pool),
      total_nodes: nodes.length,
      healthy_nodes: ready,
      serving_nodes: nodes.filter((n) => n.ready && !n.unschedulable).length,
      initial_nodes: instances.filter((i) => i?.status === 'Pending').length,
      failed_nodes: 0,
      offline_nodes: nodes.length - ready,
      removing_nodes: 0,
    },
    kubernetes_config: {
      runtime: pool.runtime,
      runtime_version: pool.runtimeVersion,
      labels: Object.entries(pool.labels).map(([key, value]) => ({ key, value })),
      taints: [],
      unschedulable: false,
      cpu_policy: 'none',
      cms_enabled: false,
      node_name_mode: '',
    },
    scaling_group: {
      scaling_group_id: fakeId('asg-', pool.id, 20),
      desired_size: state.desired.get(pool.id) ?? nodes.length,
      instance_types: [pool.instanceType],
      vswitch_ids: [fakeId('vsw-', world.cluster.id)],
      image_id: IMAGE_ID,
      image_type: 'AliyunLinux3',
      system_disk_category: 'cloud_essd',
      system_disk_size: 120,
      system_disk_performance_level: 'PL0',
      data_disks: [{ category: 'cloud_essd', size: 200, performance_level: 'PL0', encrypted: 'false' }],
      security_group_ids: [fakeId('sg-', world.cluster.id, 20)],
      key_pair: 'ack-nodes',
      login_as_non_root: false,
      instance_charge_type: 'PostPaid',
      spot_strategy: 'NoSpot',
      multi_az_policy: 'PRIORITY',
      tags: pool.environment ? [{ key: 'environment', value: pool.environment }] : [],
    },
    management: {
      enable: true,
      auto_upgrade: false,
      auto_repair: false,
      upgrade_config: { auto_upgrade: false, max_unavailable: 1, surge: 0, surge_percentage: 0 },
    },
    auto_scaling: { enable: false, min_instances: 0, max_instances: 0, type: 'cpu' },
    max_nodes: 0,
  };
  if (detail) {
    json['host_network'] = false;
    json['intranet'] = false;
    json['status'] = {
      ...(json['status'] as object),
      conditions: [
        {
          type: 'Ready',
          status: ready === nodes.length ? 'True' : 'False',
          reason: ready === nodes.length ? 'AllNodesReady' : 'NodesNotReady',
          message: `${ready}/${nodes.length} nodes Ready`,
          last_transition_time: created,
        },
      ],
    };
  }
  return json;
}

export function describeNodePools(state: CloudState, request: RoaRequest) {
  mustCluster(state, request.path['ClusterId']);
  const name = str(request.query['NodepoolName'], 'NodepoolName');
  const pools = [...state.world.pools.values()].filter((p) => name === undefined || p.name === name);
  return { nodepools: pools.map((p) => poolJson(state, p)) };
}

export function describeNodePoolDetail(state: CloudState, request: RoaRequest) {
  return poolJson(state, mustPool(state, request), true);
}

function nodeJson(state: CloudState, node: NodeRecord, instance: InstanceRecord | undefined) {
  const status = instance?.status ?? 'Stopped';
  const removing = state.activeTask(node.poolId)?.type === 'nodepool_remove_nodes';
  return {
    instance_id: node.instanceId,
    ip_address: [node.internalIp],
    node_name: node.name,
    host_name: node.name,
    state: status === 'Pending' ? 'initial' : removing && node.unschedulable ? 'removing' : 'running',
    node_status: node.ready ? 'Ready' : 'NotReady',
    instance_status: status,
    nodepool_id: node.poolId,
    instance_type: instance?.instanceType ?? '',
    instance_type_family: (instance?.instanceType ?? '').split('.').slice(0, 2).join('.'),
    instance_name: `worker-k8s-for-cs-${state.world.cluster.id}`,
    instance_role: 'Worker',
    instance_charge_type: 'PostPaid',
    image_id: IMAGE_ID,
    creation_time: rfc3339(node.createdAt),
    expired_time: '2099-12-31T15:59Z',
    error_message: '',
    is_aliyun_node: true,
    is_leader: false,
    source: 'ess_attach',
    spot_strategy: 'NoSpot',
  };
}

/** Both casings are accepted: the SDK sends `pageSize`/`pageNumber`, older callers `page_size`/`page_number`. */
export function describeClusterNodes(state: CloudState, request: RoaRequest) {
  mustCluster(state, request.path['ClusterId']);
  const q = request.query;
  const poolId = str(q['nodepool_id'], 'nodepool_id');
  const wanted = str(q['state'], 'state') ?? 'all';
  const size = int(q['pageSize'] ?? q['page_size'], 'pageSize', 1, 100) ?? 10;
  const number = int(q['pageNumber'] ?? q['page_number'], 'pageNumber', 1, 1_000_000) ?? 1;
  const ids = str(q['instanceIds'], 'instanceIds')?.split(',');
  const names = str(q['nodeNames'], 'nodeNames')?.split(',');
  const ips = str(q['nodeIps'], 'nodeIps')?.split(',');
  if (poolId !== undefined && !state.world.pools.has(poolId)) {
    throw new ApiError(404, 'ErrorNodePoolNotFound', `node pool ${poolId} not found`);
  }
  const all = state.world
    .listNodes(poolId)
    .filter((n) => !ids || ids.includes(n.instanceId))
    .filter((n) => !names || names.includes(n.name))
    .filter((n) => !ips || ips.includes(n.internalIp))
    .map((n) => nodeJson(state, n, state.world.instances.get(n.instanceId)))
    .filter((n) => wanted === 'all' || n.state === wanted);
  return {
    nodes: all.slice((number - 1) * size, number * size),
    page: { page_number: number, page_size: size, total_count: all.length },
  };
}
