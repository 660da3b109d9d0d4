/**
 * A real ACK task keeps going while the bot is down; the sandbox's cloud stops with its process. When a saved
 * sandbox comes back (src/sandbox/persist/), a task that was running is finished here the way ACK would have
 * finished it meanwhile: an upgrade's nodes come back on containerd with a new system disk (replaced once: a
 * replacement already counted is not counted again), joins complete, removals and deletions happen.
 */
import type { CloudState } from './cloud-state.js';
import type { Task } from './task.js';
import { CONTAINERD_VERSION } from './version-metadata.js';

/** Upgrade steps in the order the sandbox's ACK runs them (a stage's `step` output names the current one). */
const UPGRADE_STEPS = ['pending', 'drain', 'stop', 'replace-disk', 'init', 'start', 'ready', 'uncordon', 'done'];

/** Finishes an upgrade that was running when the sandbox stopped, as ACK would have meanwhile. */
export function finishUpgrade(cloud: CloudState, task: Task): void {
  const { world } = cloud;
  const version = String(task.parameters['runtime_version'] ?? CONTAINERD_VERSION);
  for (const stage of task.stages) {
    if (stage.state !== 'running' && stage.state !== 'pending') continue;
    const name = stage.outputs['node_name'] ?? '';
    const instance = world.getInstanceByNode(name);
    if (!instance) {
      task.setStage(stage, 'failed', { step: 'gone' });
      continue;
    }
    const at = Math.max(0, UPGRADE_STEPS.indexOf(stage.outputs['step'] ?? 'pending'));
    const reached = (step: string) => at >= UPGRADE_STEPS.indexOf(step);
    if (!reached('stop')) cloud.stats.instance(instance.instanceId, 'StopInstance');
    let diskId = stage.outputs['system_disk_id'];
    if (!diskId) {
      // At 'replace-disk' the replacement was requested (and counted) but the new disk not yet recorded.
      if (!reached('replace-disk')) cloud.stats.instance(instance.instanceId, 'ReplaceSystemDisk');
      diskId = world.replaceSystemDisk(instance.instanceId);
    }
    if (!reached('start')) cloud.stats.instance(instance.instanceId, 'StartInstance');
    world.setNodeRuntime(name, 'containerd', version);
    world.setInstanceStatus(instance.instanceId, 'Running');
    world.setNodeReady(name, true);
    world.setUnschedulable(name, false);
    task.setStage(stage, 'success', { step: 'done', system_disk_id: diskId });
    task.results.set(instance.instanceId, 'success');
    task.event('Finish', 'NodeUpgraded', `node ${name} (${instance.instanceId}) runs containerd ${version}`);
  }
  const failed = task.stages.find((s) => s.state === 'failed');
  if (failed) {
    task.finish('fail', { code: 'NodeUpgradeFailed', message: failed.message });
    return;
  }
  const pool = world.pools.get(task.poolId);
  if (pool && world.listNodes(pool.id).every((n) => n.runtime === 'containerd'))
    world.setPoolRuntime(pool.id, 'containerd', version);
  task.finish('success');
}

/** Finishes any other running node-pool task: joins complete, removals and deletions happen. */
export function finishPoolTask(cloud: CloudState, task: Task): void {
  const { world } = cloud;
  if (task.type === 'nodepool_create' || task.type === 'nodepool_scaleout') {
    // ESS went on creating instances while the sandbox was down: the ones the task had not created yet join too.
    const wanted = Number(task.parameters[task.type === 'nodepool_create' ? 'desired_size' : 'count'] ?? 0);
    for (let missing = wanted - task.results.size; missing > 0 && world.pools.has(task.poolId); missing--) {
      const instance = world.getInstanceByNode(world.addNode(task.poolId));
      if (!instance) break;
      cloud.dockerDataBytes.set(instance.instanceId, 0);
      task.results.set(instance.instanceId, 'initial');
    }
    for (const node of world.listNodes(task.poolId)) {
      if (node.ready) continue;
      world.setInstanceStatus(node.instanceId, 'Running');
      world.setNodeReady(node.name, true);
      task.results.set(node.instanceId, 'success');
    }
  } else if (task.type === 'nodepool_remove_nodes') {
    const names = Array.isArray(task.parameters['nodes']) ? (task.parameters['nodes'] as string[]) : [];
    for (const name of names) if (world.getNode(name)) world.removeNode(name);
  } else if (task.type === 'nodepool_delete' && world.pools.has(task.poolId)) {
    world.removePool(task.poolId);
    cloud.poolCreated.delete(task.poolId);
  }
  for (const stage of task.stages) if (stage.state === 'running' || stage.state === 'pending') stage.state = 'success';
  task.finish('success');
}
