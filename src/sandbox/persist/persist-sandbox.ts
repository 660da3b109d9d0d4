/**
 * What `ack-migrate dev` keeps of its sandbox between runs, in `<dataDir>/sandbox-state.json`. Redis (AOF)
 * already keeps the migrations; the sandbox cluster lives in memory and would come back as fresh Docker nodes,
 * so a resumed migration would see work undone. On close (and shortly after every node change, against a
 * crash) the migration-relevant state is written; on start it is applied to the fresh world before the worker
 * runs: pools added or removed, each node's runtime, readiness, cordon and metadata, each instance's status,
 * system disk and leftover Docker data, the ACK tasks (so a recorded task id still answers), and how many times
 * each instance was stopped, replaced and started over all runs.
 *
 * A real ACK task keeps going while the bot is down. The sandbox's cloud stops with the process, so a task that
 * was running is finished on restore the way ACK would have finished it: its nodes come back on containerd with
 * a new system disk (replaced once: a replacement already counted is not counted again).
 */

import { AppError } from '../../errors.js';
import type { CloudState } from '../cloud/cloud-state.js';
import { finishPoolTask, finishUpgrade } from '../cloud/finish-tasks.js';
import { Task } from '../cloud/task.js';
import type { Sandbox } from '../start-sandbox.js';
import type { World } from '../world/index.js';
import { type Counts, readSandboxState, type SavedSandbox, type SavedTask, writeSandboxState } from './state-file.js';

export { readSandboxState, type SavedSandbox, sandboxStatePath } from './state-file.js';

/** Where restoring tells what it did (the dev process passes its logger). */
export interface PersistLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** Real ms between a node change and the save it triggers (changes come in bursts). */
const SAVE_DELAY_MS = 500;

export interface RestoreSummary {
  savedAt: string;
  nodes: number;
  /** Ids of tasks that were running when the state was saved and were finished on restore. */
  finishedTasks: string[];
}

function addCounts(a: Counts, b: Counts): Counts {
  const out: Counts = structuredClone(a);
  for (const [id, ops] of Object.entries(b)) {
    const into = out[id] ?? {};
    for (const [op, n] of Object.entries(ops)) into[op] = (into[op] ?? 0) + n;
    out[id] = into;
  }
  return out;
}

function captureTask(task: Task): SavedTask {
  return {
    id: task.id,
    type: task.type,
    poolId: task.poolId,
    parameters: task.parameters,
    state: task.state,
    stages: task.stages.map((s) => ({
      state: s.state,
      message: s.message,
      ...(s.start_time ? { start_time: s.start_time } : {}),
      ...(s.end_time ? { end_time: s.end_time } : {}),
      outputs: { ...s.outputs },
    })),
    events: [...task.events],
    results: Object.fromEntries(task.results),
    ...(task.error ? { error: task.error } : {}),
    outputs: { ...task.outputs },
  };
}

/** The sandbox as it stands, with `earlier` (the operations of previous runs) added to this run's counts. */
export function captureSandbox(sandbox: Sandbox, earlier: Counts = {}): SavedSandbox {
  const { world } = sandbox;
  const cloud = sandbox.cloud.state;
  return {
    version: 1,
    clusterId: world.cluster.id,
    savedAt: new Date().toISOString(),
    pools: [...world.pools.values()].map((p) => ({
      id: p.id,
      name: p.name,
      runtime: p.runtime,
      runtimeVersion: p.runtimeVersion,
      instanceType: p.instanceType,
      labels: { ...p.labels },
      ...(p.environment ? { environment: p.environment } : {}),
    })),
    nodes: world.listNodes().map((n) => ({
      name: n.name,
      poolId: n.poolId,
      runtime: n.runtime,
      runtimeVersion: n.runtimeVersion,
      ready: n.ready,
      unschedulable: n.unschedulable,
      labels: { ...n.labels },
      annotations: { ...n.annotations },
      taints: n.taints.map((t) => ({ ...t })),
    })),
    instances: [...world.instances.values()].map((i) => ({
      instanceId: i.instanceId,
      nodeName: i.nodeName,
      status: i.status,
      systemDiskId: i.systemDiskId,
      dockerDataBytes: cloud.dockerDataBytes.get(i.instanceId) ?? 0,
    })),
    tasks: [...cloud.tasks.values()].map(captureTask),
    operations: addCounts(earlier, cloud.stats.snapshot().instances),
  };
}

function applyPoolsAndNodes(world: World, cloud: CloudState, saved: SavedSandbox, logger: PersistLog): void {
  const savedPools = new Set(saved.pools.map((p) => p.id));
  for (const id of [...world.pools.keys()]) if (!savedPools.has(id)) world.removePool(id);
  for (const pool of saved.pools) {
    if (!world.pools.has(pool.id)) {
      world.addPool(pool);
      cloud.poolCreated.set(pool.id, cloud.now());
    }
    world.setPoolRuntime(pool.id, pool.runtime, pool.runtimeVersion);
  }
  const savedNodes = new Set(saved.nodes.map((n) => n.name));
  for (const node of world.listNodes()) if (!savedNodes.has(node.name)) world.removeNode(node.name);
  for (const node of saved.nodes) {
    if (!world.getNode(node.name)) {
      // A node a rotation added: the world names it after its pool, in order, so the name usually matches.
      const added = world.addNode(node.poolId);
      if (added !== node.name) {
        logger.warn({ saved: node.name, added }, 'sandbox restore: a rotated node came back under another name');
        continue;
      }
    }
    const { labels, annotations, taints, unschedulable } = node;
    world.updateNode(node.name, { labels, annotations, taints, unschedulable });
    world.setNodeRuntime(node.name, node.runtime, node.runtimeVersion);
    world.setNodeReady(node.name, node.ready);
  }
  for (const saved_ of saved.instances) {
    const instance = world.getInstanceByNode(saved_.nodeName);
    if (!instance) continue;
    world.setInstanceStatus(instance.instanceId, saved_.status);
    // No world setter names a disk id; the record is the world's own and plain data.
    instance.systemDiskId = saved_.systemDiskId;
    cloud.dockerDataBytes.set(instance.instanceId, saved_.dockerDataBytes);
  }
}

/** A task object again from its saved form. */
function rebuildTask(cloud: CloudState, saved: SavedTask): Task {
  const task = new Task(saved.id, cloud.world.cluster.id, saved.type, saved.poolId, saved.parameters, () =>
    cloud.now(),
  );
  for (const s of saved.stages) {
    const stage = task.addStage(s.message, { ...s.outputs });
    Object.assign(stage, { state: s.state, start_time: s.start_time, end_time: s.end_time });
  }
  task.events.push(...saved.events);
  for (const [id, result] of Object.entries(saved.results)) task.results.set(id, result);
  Object.assign(task.outputs, saved.outputs);
  task.state = saved.state;
  task.error = saved.error;
  return task;
}

/** Applies a saved state to a fresh sandbox (before any worker uses it). */
export function restoreSandbox(sandbox: Sandbox, saved: SavedSandbox, logger: PersistLog): RestoreSummary {
  const { world } = sandbox;
  const cloud = sandbox.cloud.state;
  if (saved.clusterId !== world.cluster.id) {
    throw new AppError('CONFIG', `the saved sandbox state is of cluster ${saved.clusterId}, not ${world.cluster.id}`, {
      hint: 'delete the data directory (./.data) to start the demo afresh',
    });
  }
  applyPoolsAndNodes(world, cloud, saved, logger);
  const finishedTasks: string[] = [];
  for (const savedTask of saved.tasks) {
    const task = rebuildTask(cloud, savedTask);
    cloud.tasks.set(task.id, task);
    if (task.finished) continue;
    if (task.state === 'paused') {
      // Its runner is gone: nothing would ever resume it. Ended, so a retry starts a new one.
      for (const stage of task.stages) if (stage.state === 'pending') task.setStage(stage, 'canceled');
      task.finish('canceled');
    } else if (task.type === 'nodepool_upgrade') finishUpgrade(cloud, task);
    else finishPoolTask(cloud, task);
    finishedTasks.push(task.id);
  }
  return { savedAt: saved.savedAt, nodes: saved.nodes.length, finishedTasks };
}

export interface SandboxPersistence {
  /** What was restored from an earlier run; undefined on a first run (a fresh world). */
  restored: RestoreSummary | undefined;
  /** Writes the current state now. */
  save(): void;
  /** Stops saving on changes and writes one last time: call it before the sandbox stops. */
  close(): void;
}

/**
 * Restores `<dataDir>/sandbox-state.json` into a freshly started sandbox (if there is one), then keeps the file
 * current: shortly after node changes, and on close.
 */
export function persistSandbox(sandbox: Sandbox, dataDir: string, logger: PersistLog): SandboxPersistence {
  const saved = readSandboxState(dataDir);
  const earlier = saved?.operations ?? {};
  const restored = saved ? restoreSandbox(sandbox, saved, logger) : undefined;
  if (restored) logger.info(restored, 'sandbox state restored from the previous run');
  // Restoring may itself have counted operations (finished tasks): they are this run's, `earlier` stays as read.
  const save = () => writeSandboxState(dataDir, captureSandbox(sandbox, earlier));
  save();
  let timer: NodeJS.Timeout | undefined;
  const unsubscribe = sandbox.world.onChange((change) => {
    if (change.kind !== 'Node' || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      try {
        save();
      } catch (error) {
        logger.warn({ err: error }, 'could not save the sandbox state');
      }
    }, SAVE_DELAY_MS);
    timer.unref();
  });
  return {
    restored,
    save,
    close() {
      unsubscribe();
      if (timer) clearTimeout(timer);
      timer = undefined;
      save();
    },
  };
}
