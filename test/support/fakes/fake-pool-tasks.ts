/**
 * The node-pool tasks other than the upgrade, as src/sandbox/cloud/pool-tasks.ts runs them and stepped by
 * `FakeWorld.tick()`: a scale-out buys its instances at once and their nodes join Ready on containerd after
 * JOIN_TICKS; RemoveNodePoolNodes stops and releases each node; DeleteClusterNodepool removes the empty pool.
 */
import { type FakeTask, type Stage, setStage } from './fake-tasks.js';
import type { FakeWorld } from './fake-world.js';

/** Ticks a new node takes to join (instance Running, node Ready). */
export const JOIN_TICKS = 2;

type Work = Generator<void, void, void>;

/** CreateClusterNodePool / ScaleClusterNodePool: the instances are bought at once (the pool counts them), their nodes join later. */
export function runScaleOut(world: FakeWorld, task: FakeTask, count: number): Work {
  const names = Array.from({ length: count }, () => world.addNode(task.poolId, false));
  for (const n of names) task.results.set(world.nodes.get(n)!.instanceId, 'initial');
  task.stages.push({ state: 'running', outputs: { nodes: names.join(',') } });
  task.currentStage = 'ScaleOut';
  return join(world, task, names);
}

function* join(world: FakeWorld, task: FakeTask, names: string[]): Work {
  for (let t = 0; t < JOIN_TICKS; t++) yield;
  for (const n of names) {
    const node = world.nodes.get(n);
    if (!node) continue; // removed while it was joining
    world.instances.get(node.instanceId)!.status = 'Running';
    world.setReady(n, true);
    task.results.set(node.instanceId, 'success');
  }
  task.stages[0]!.state = 'success';
  task.finish('success');
}

/** RemoveNodePoolNodes (drain_node=false: the bot drained them itself): each node stopped, then released. */
export function* runRemoveNodes(world: FakeWorld, task: FakeTask, names: string[]): Work {
  for (const name of names) {
    const node = world.nodes.get(name);
    if (!node) continue;
    const stage: Stage = {
      state: 'running',
      outputs: { node_name: name, instance_id: node.instanceId, step: 'remove' },
    };
    task.stages.push(stage);
    task.results.set(node.instanceId, 'initial');
    world.setReady(name, false);
    world.instances.get(node.instanceId)!.status = 'Stopping';
    yield;
    world.removeNode(name);
    setStage(stage, 'success', { step: 'removed' });
    task.results.set(node.instanceId, 'success');
  }
  task.finish('success');
}

export function* runDeletePool(world: FakeWorld, task: FakeTask): Work {
  yield;
  world.removePool(task.poolId);
  task.finish('success');
}
