/**
 * The node-pool tasks other than the upgrade: scale-out (CreateClusterNodePool, ScaleClusterNodePool) adds
 * instances whose nodes join as Ready containerd nodes after timing.join; RemoveNodePoolNodes drains (when
 * asked) and removes them; DeleteClusterNodepool removes the pool.
 */
import type { CloudState } from './cloud-state.js';
import type { Task } from './task.js';

/**
 * ESS creates the instances one after another over timing.join; each node appears (and counts in total_nodes) as
 * its instance is created, and joins Ready at the end of the join.
 */
export async function runScaleOut(state: CloudState, task: Task, count: number): Promise<void> {
  const { world } = state;
  const names: string[] = [];
  task.event('ScaleOut', 'NodePoolScaleOut', `adding ${count} node(s)`);
  const stage = task.addStage(`join ${count} node(s)`);
  task.setStage(stage, 'running');
  const step = count > 0 ? world.timing.join / (2 * count) : 0;
  for (let i = 0; i < count; i++) {
    await world.clock.sleep(step);
    if (!world.pools.has(task.poolId)) break;
    const name = world.addNode(task.poolId);
    const instance = world.getInstanceByNode(name);
    if (instance) {
      // New instances boot from the pool's image: nothing left over from Docker on their data disks.
      state.dockerDataBytes.set(instance.instanceId, 0);
      world.setInstanceStatus(instance.instanceId, 'Pending');
      task.results.set(instance.instanceId, 'initial');
    }
    names.push(name);
  }
  await world.clock.sleep(world.timing.join - step * count);
  for (const name of names) {
    const instance = world.getInstanceByNode(name);
    if (!instance) continue; // removed while it was joining
    world.setInstanceStatus(instance.instanceId, 'Running');
    world.setNodeReady(name, true);
    task.results.set(instance.instanceId, 'success');
    task.event('Join', 'NodeJoined', `node ${name} (${instance.instanceId}) joined the cluster`);
  }
  task.setStage(stage, 'success');
  task.finish('success');
}

export async function runRemoveNodes(
  state: CloudState,
  task: Task,
  nodeNames: string[],
  drain: boolean,
): Promise<void> {
  const { world } = state;
  for (const name of nodeNames) {
    const instance = world.getInstanceByNode(name);
    if (!instance) continue;
    task.results.set(instance.instanceId, 'initial');
    const stage = task.addStage(name, { node_name: name, instance_id: instance.instanceId, step: 'pending' });
    task.setStage(stage, 'running', { step: drain ? 'drain' : 'remove' });
    if (drain) {
      task.event('DrainNode', 'NodeDrain', `draining node ${name}`);
      try {
        await world.drainNode(name, { timeoutSimSeconds: 30 * 60 });
      } catch (error) {
        task.event('DrainNode', 'DrainTimeout', `${(error as Error).message}; removing it anyway`, 'Warning');
      }
      await world.clock.sleep(world.timing.drain);
    }
    world.setNodeReady(name, false);
    world.setInstanceStatus(instance.instanceId, 'Stopping');
    await world.clock.sleep(world.timing.stop);
    world.removeNode(name);
    task.setStage(stage, 'success', { step: 'removed' });
    task.results.set(instance.instanceId, 'success');
    task.event('RemoveNode', 'NodeRemoved', `node ${name} (${instance.instanceId}) was removed from the cluster`);
  }
  task.finish('success');
}

export async function runDeletePool(state: CloudState, task: Task): Promise<void> {
  const { world } = state;
  const nodes = world.listNodes(task.poolId);
  if (nodes.length > 0) {
    task.event('RemoveNode', 'NodePoolRemoveNodes', `removing ${nodes.length} node(s) without draining (force)`);
    await world.clock.sleep(world.timing.stop);
  }
  world.removePool(task.poolId);
  state.poolCreated.delete(task.poolId);
  task.event('DeleteNodePool', 'NodePoolDeleted', `node pool ${task.poolId} was deleted`);
  task.finish('success');
}
