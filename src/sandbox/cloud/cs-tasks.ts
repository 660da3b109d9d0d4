/**
 * CS calls that start or control tasks: UpgradeClusterNodepool, CreateClusterNodePool, ScaleClusterNodePool,
 * RemoveNodePoolNodes, DeleteClusterNodepool, DescribeTaskInfo, PauseTask / ResumeTask / CancelTask and
 * DescribeClusterTasks. Each validates first and changes nothing on bad input; the work then runs in the
 * background on the world's clock.
 */
import { randomBytes } from 'node:crypto';
import type { CloudState } from './cloud-state.js';
import { mustCluster, mustPool } from './cs-pools.js';
import { runDeletePool, runRemoveNodes, runScaleOut } from './pool-tasks.js';
import { badParam, bool, int, obj, type RoaRequest, str, strList } from './roa.js';
import type { Task } from './task.js';
import { runUpgrade } from './upgrade-runner.js';
import { runtimeVersions } from './version-metadata.js';
import { ApiError, requestId } from './wire.js';

/** A runner never throws into the void: an unexpected error fails its task where DescribeTaskInfo shows it. */
function launch(task: Task, work: Promise<void>): void {
  work.catch((error: unknown) => {
    if (!task.finished) task.finish('fail', { code: 'InternalError', message: (error as Error).message });
  });
}

function minorVersion(version: string): number {
  const m = /^1\.(\d+)\./.exec(version);
  return m?.[1] ? Number(m[1]) : 0;
}

export function upgradeClusterNodepool(state: CloudState, request: RoaRequest) {
  const pool = mustPool(state, request);
  const b = request.body;
  const runtime = str(b['runtime_type'], 'runtime_type');
  if (runtime !== 'containerd') {
    throw badParam(`runtime_type must be containerd (the sandbox simulates the Docker to containerd upgrade only)`);
  }
  if (minorVersion(state.world.cluster.version) < 20) {
    throw new ApiError(400, 'ErrorRuntimeNotSupported', `containerd needs Kubernetes 1.20 or later`);
  }
  const kubernetesVersion = str(b['kubernetes_version'], 'kubernetes_version') ?? state.world.cluster.version;
  if (kubernetesVersion !== state.world.cluster.version) {
    throw badParam(
      `kubernetes_version ${kubernetesVersion} is not the cluster's version ${state.world.cluster.version}`,
    );
  }
  const runtimeVersion = str(b['runtime_version'], 'runtime_version');
  // With use_replace ACK re-initialises the node from this request: a runtime change must say which version.
  if (runtimeVersion === undefined && pool.runtime !== runtime) {
    throw badParam(
      'runtime_version is required when runtime_type changes the runtime (see DescribeKubernetesVersionMetadata)',
    );
  }
  const version = runtimeVersion ?? pool.runtimeVersion;
  const offered = runtimeVersions(state.versions, kubernetesVersion, runtime);
  if (!offered.includes(version)) {
    throw badParam(
      `runtime_version ${version} is not offered with Kubernetes ${kubernetesVersion} (${runtime}: ${offered.join(', ') || 'none'})`,
    );
  }
  if (bool(b['use_replace'], 'use_replace') !== true) {
    throw badParam('changing the container runtime replaces the system disk: set use_replace to true');
  }
  const policy = obj(b['rolling_policy'], 'rolling_policy');
  const pausePolicy = str(policy['pause_policy'], 'rolling_policy.pause_policy');
  if (pausePolicy !== undefined && !['FirstBatch', 'EveryBatch', 'NotPause'].includes(pausePolicy)) {
    throw badParam('rolling_policy.pause_policy must be FirstBatch, EveryBatch or NotPause');
  }
  const maxParallelism = int(policy['max_parallelism'], 'rolling_policy.max_parallelism', 1, 10) ?? 10;
  const batchInterval = int(policy['batch_interval'], 'rolling_policy.batch_interval', 0, 120) ?? 0;
  const maxFailed = int(policy['max_failed_nodes'], 'rolling_policy.max_failed_nodes', 0, 1000) ?? 0;
  const requested = strList(b['node_names'], 'node_names');
  const poolNodes = state.world.listNodes(pool.id);
  let nodes = poolNodes;
  if (requested && requested.length > 0) {
    const byName = new Map(poolNodes.map((n) => [n.name, n]));
    const unknown = requested.filter((n) => !byName.has(n));
    if (unknown.length > 0) throw badParam(`node(s) ${unknown.join(', ')} are not in node pool ${pool.id}`);
    nodes = [...new Set(requested)].map((n) => byName.get(n)!);
  }
  state.assertIdle(pool.id);
  const task = state.newTask('nodepool_upgrade', pool.id, {
    nodepool_id: pool.id,
    runtime_type: runtime,
    runtime_version: version,
    kubernetes_version: kubernetesVersion,
    use_replace: true,
    node_names: nodes.map((n) => n.name),
    rolling_policy: { max_parallelism: maxParallelism, pause_policy: pausePolicy, batch_interval: batchInterval },
  });
  launch(
    task,
    runUpgrade(state, task, {
      nodes,
      runtimeVersion: version,
      maxParallelism,
      pausePolicy: pausePolicy as 'FirstBatch' | 'EveryBatch' | 'NotPause' | undefined,
      // ACK applies batch_interval only when pause_policy is NotPause.
      batchIntervalMinutes: pausePolicy === 'NotPause' ? batchInterval : 0,
      maxFailedNodes: maxFailed,
    }),
  );
  return { RequestId: requestId(), task_id: task.id };
}

export function createClusterNodePool(state: CloudState, request: RoaRequest) {
  mustCluster(state, request.path['ClusterId']);
  const b = request.body;
  const info = obj(b['nodepool_info'], 'nodepool_info');
  const k8s = obj(b['kubernetes_config'], 'kubernetes_config');
  const group = obj(b['scaling_group'], 'scaling_group');
  const name = str(info['name'], 'nodepool_info.name');
  if (!name || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(name)) {
    throw badParam('nodepool_info.name is required: lower-case letters, digits and hyphens, at most 63');
  }
  if ([...state.world.pools.values()].some((p) => p.name === name)) {
    throw new ApiError(400, 'ErrorNodePoolNameDuplicated', `a node pool named ${name} already exists`);
  }
  const runtime = str(k8s['runtime'], 'kubernetes_config.runtime') ?? 'containerd';
  if (runtime !== 'containerd' && runtime !== 'docker')
    throw badParam('kubernetes_config.runtime must be containerd or docker');
  if (runtime === 'docker' && minorVersion(state.world.cluster.version) > 22) {
    throw new ApiError(400, 'ErrorRuntimeNotSupported', 'docker is supported only on clusters up to 1.22');
  }
  const offered = runtimeVersions(state.versions, state.world.cluster.version, runtime);
  const runtimeVersion = str(k8s['runtime_version'], 'kubernetes_config.runtime_version') ?? offered.at(-1);
  if (!runtimeVersion || !offered.includes(runtimeVersion)) {
    throw badParam(
      `kubernetes_config.runtime_version ${runtimeVersion ?? ''} is not offered with Kubernetes ${state.world.cluster.version} (${runtime}: ${offered.join(', ') || 'none'})`,
    );
  }
  const labels: Record<string, string> = {};
  const rawLabels = k8s['labels'];
  if (rawLabels !== undefined) {
    if (!Array.isArray(rawLabels)) throw badParam('kubernetes_config.labels must be a list of {key, value}');
    for (const l of rawLabels) {
      const label = obj(l, 'kubernetes_config.labels[]');
      const key = str(label['key'], 'kubernetes_config.labels[].key');
      if (!key) throw badParam('kubernetes_config.labels[].key is required');
      labels[key] = str(label['value'], 'kubernetes_config.labels[].value') ?? '';
    }
  }
  const instanceType = strList(group['instance_types'], 'scaling_group.instance_types')?.[0] ?? 'ecs.g7.xlarge';
  const desired = int(group['desired_size'] ?? b['count'], 'scaling_group.desired_size', 0, 500) ?? 0;
  const id = `np${randomBytes(16).toString('hex')}`;
  state.world.addPool({ id, name, runtime, runtimeVersion, instanceType, labels });
  state.poolCreated.set(id, state.now());
  state.desired.set(id, desired);
  const task = state.newTask('nodepool_create', id, { nodepool_id: id, name, runtime, desired_size: desired });
  launch(task, runScaleOut(state, task, desired));
  return { nodepool_id: id, task_id: task.id, request_id: requestId() };
}

export function scaleClusterNodePool(state: CloudState, request: RoaRequest) {
  const pool = mustPool(state, request);
  const count = int(request.body['count'], 'count', 1, 500);
  if (count === undefined) throw badParam('count (the number of nodes to add) is required');
  state.assertIdle(pool.id);
  const task = state.newTask('nodepool_scaleout', pool.id, { nodepool_id: pool.id, count });
  state.desired.set(pool.id, (state.desired.get(pool.id) ?? 0) + count);
  launch(task, runScaleOut(state, task, count));
  return { task_id: task.id, request_id: requestId() };
}

export function removeNodePoolNodes(state: CloudState, request: RoaRequest) {
  const pool = mustPool(state, request);
  const q = request.query;
  const instanceIds = strList(q['instance_ids'], 'instance_ids') ?? [];
  const nodeNames = strList(q['nodes'], 'nodes') ?? [];
  if (instanceIds.length === 0 && nodeNames.length === 0) throw badParam('instance_ids is required');
  const poolNodes = state.world.listNodes(pool.id);
  const names: string[] = [];
  for (const id of instanceIds) {
    const node = poolNodes.find((n) => n.instanceId === id);
    if (!node) throw badParam(`instance ${id} is not a node of node pool ${pool.id}`);
    names.push(node.name);
  }
  for (const name of nodeNames) {
    if (!poolNodes.some((n) => n.name === name)) throw badParam(`node ${name} is not in node pool ${pool.id}`);
    names.push(name);
  }
  const drain = bool(q['drain_node'], 'drain_node') ?? false;
  state.assertIdle(pool.id);
  const unique = [...new Set(names)];
  const task = state.newTask('nodepool_remove_nodes', pool.id, {
    nodepool_id: pool.id,
    nodes: unique,
    drain_node: drain,
  });
  state.desired.set(pool.id, Math.max(0, (state.desired.get(pool.id) ?? 0) - unique.length));
  launch(task, runRemoveNodes(state, task, unique, drain));
  return { request_id: requestId(), task_id: task.id };
}

export function deleteClusterNodepool(state: CloudState, request: RoaRequest) {
  const pool = mustPool(state, request);
  const force = bool(request.query['force'], 'force') ?? false;
  const count = state.world.listNodes(pool.id).length;
  if (count > 0 && !force) {
    throw new ApiError(
      400,
      'ErrorNodePoolNotEmpty',
      `node pool ${pool.id} still has ${count} node(s): remove them or set force=true`,
    );
  }
  state.assertIdle(pool.id);
  const task = state.newTask('nodepool_delete', pool.id, { nodepool_id: pool.id, force });
  launch(task, runDeletePool(state, task));
  return { request_id: requestId(), task_id: task.id };
}

export function describeTaskInfo(state: CloudState, request: RoaRequest) {
  return state.mustTask(request.path['task_id'] ?? '').toJson();
}

export function pauseTask(state: CloudState, request: RoaRequest) {
  state.mustTask(request.path['task_id'] ?? '').pause();
  return {};
}

export function resumeTask(state: CloudState, request: RoaRequest) {
  state.mustTask(request.path['task_id'] ?? '').resume();
  return {};
}

export function cancelTask(state: CloudState, request: RoaRequest) {
  state.mustTask(request.path['task_id'] ?? '').cancel();
  return {};
}

export function describeClusterTasks(state: CloudState, request: RoaRequest) {
  mustCluster(state, request.path['cluster_id']);
  const size = int(request.query['page_size'], 'page_size', 1, 100) ?? 10;
  const number = int(request.query['page_number'], 'page_number', 1, 1_000_000) ?? 1;
  const all = [...state.tasks.values()].reverse();
  return {
    tasks: all.slice((number - 1) * size, number * size).map((t) => ({
      task_id: t.id,
      task_type: t.type,
      state: t.state,
      created: t.created,
      updated: t.updated,
      error: t.error,
    })),
    page_info: { page_size: size, page_number: number, total_count: all.length },
    requestId: requestId(),
  };
}
