/**
 * The node-pool upgrade task (UpgradeClusterNodepool with use_replace): each requested node goes through
 * drain → stop → replace system disk → init with containerd → start → Ready → uncordon, max_parallelism nodes
 * per batch, on the scenario's timing × the time scale. A scenario fault fails its node at its step the way ACK
 * reports it: the task ends `fail` with an error naming the node and the step.
 */
import type { FaultStep } from '../scenario/types.js';
import type { NodeRecord } from '../world/index.js';
import type { CloudState } from './cloud-state.js';
import type { Task, TaskStage } from './task.js';

/** How long the task waits for a restarted node to report Ready before it fails it. */
export const READY_TIMEOUT_SECONDS = 30 * 60;

export interface UpgradePlan {
  nodes: NodeRecord[];
  runtimeVersion: string;
  maxParallelism: number;
  pausePolicy: 'FirstBatch' | 'EveryBatch' | 'NotPause' | undefined;
  batchIntervalMinutes: number;
  maxFailedNodes: number;
}

class StepFailure extends Error {
  constructor(
    readonly step: FaultStep,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const STEP_TEXT: Record<FaultStep, string> = {
  drain: 'draining the node',
  stop: 'stopping the ECS instance',
  'replace-disk': 'replacing the system disk',
  init: 'initialising the node with containerd',
  start: 'starting the ECS instance',
  ready: 'waiting for the node to become Ready',
  snapshot: 'creating a snapshot',
};

export async function runUpgrade(state: CloudState, task: Task, plan: UpgradePlan): Promise<void> {
  const { world } = state;
  task.event(
    'Start',
    'NodePoolUpgradeStart',
    `upgrading ${plan.nodes.length} node(s) to containerd ${plan.runtimeVersion}`,
  );
  const stages = new Map(
    plan.nodes.map((n) => {
      task.results.set(n.instanceId, 'initial');
      return [n.name, task.addStage(n.name, { node_name: n.name, instance_id: n.instanceId, step: 'pending' })];
    }),
  );
  let failed = 0;
  let firstError: { code: string; message: string } | undefined;
  for (let start = 0, batch = 1; start < plan.nodes.length; start += plan.maxParallelism, batch++) {
    if ((await task.gate()) === 'canceled') return cancelRest(task, stages);
    const nodes = plan.nodes.slice(start, start + plan.maxParallelism);
    task.event('Batch', 'NodePoolUpgradeBatch', `batch ${batch}: ${nodes.map((n) => n.name).join(', ')}`);
    const outcomes = await Promise.all(nodes.map((n) => upgradeNode(state, task, n, stages.get(n.name)!, plan)));
    for (const outcome of outcomes) {
      if (outcome) {
        failed++;
        firstError ??= outcome;
      }
    }
    if (failed > plan.maxFailedNodes) {
      cancelRest(task, stages, 'skipped');
      return task.finish('fail', firstError);
    }
    const more = start + plan.maxParallelism < plan.nodes.length;
    if (!more) break;
    if (plan.pausePolicy === 'EveryBatch' || (plan.pausePolicy === 'FirstBatch' && batch === 1)) {
      task.pauseAfterBatch(`paused after batch ${batch} (pause_policy ${plan.pausePolicy}): call ResumeTask`);
    } else if (plan.batchIntervalMinutes > 0) {
      await world.clock.sleep(plan.batchIntervalMinutes * 60);
    }
  }
  if (failed > 0) return task.finish('fail', firstError);
  const pool = world.pools.get(task.poolId);
  if (pool && world.listNodes(pool.id).every((n) => n.runtime === 'containerd')) {
    world.setPoolRuntime(pool.id, 'containerd', plan.runtimeVersion);
  }
  task.finish('success');
}

function cancelRest(task: Task, stages: Map<string, TaskStage>, as: 'canceled' | 'skipped' = 'canceled'): void {
  for (const stage of stages.values()) if (stage.state === 'pending') task.setStage(stage, as, { step: as });
  if (as === 'canceled') task.finish('canceled');
}

/** Runs one node; resolves to the task error when it failed, undefined when it succeeded or was skipped. */
async function upgradeNode(
  state: CloudState,
  task: Task,
  node: NodeRecord,
  stage: TaskStage,
  plan: UpgradePlan,
): Promise<{ code: string; message: string } | undefined> {
  const { world } = state;
  const label = `node ${node.name} (${node.instanceId})`;
  // Look before acting: a node that already came back on containerd is not replaced again; one that failed
  // half-way (containerd on disk but stopped or NotReady) is taken through every step once more.
  if (node.runtime === 'containerd' && node.ready && world.instances.get(node.instanceId)?.status === 'Running') {
    task.setStage(stage, 'skipped', { step: 'skipped' });
    task.results.set(node.instanceId, 'success');
    task.event('Skip', 'NodeSkipped', `${label} already runs containerd ${node.runtimeVersion}: not replaced`);
    return undefined;
  }
  task.setStage(stage, 'running');
  // A faulty step takes its usual time, then fails and leaves the node as that step found it.
  const step = async (name: FaultStep, action: string, seconds: number, work: () => Promise<void> | void) => {
    task.setStage(stage, 'running', { step: name });
    task.event(action, `Node${action}`, `${label}: ${STEP_TEXT[name]}`);
    const fault = state.faultFor(node.name, name);
    if (fault) {
      await world.clock.sleep(seconds);
      throw new StepFailure(name, fault.error, `${label} failed at step ${name} (${STEP_TEXT[name]}): ${fault.error}`);
    }
    await work();
  };
  const instanceId = node.instanceId;
  try {
    await step('drain', 'DrainNode', world.timing.drain, async () => {
      world.setUnschedulable(node.name, true);
      try {
        await world.drainNode(node.name, { timeoutSimSeconds: world.timing.drainGrace });
      } catch (error) {
        // ACK ends the upgrade when a drain has not finished within its timeout (30 minutes by default).
        throw new StepFailure('drain', 'NodeDrainTimeout', `${label}: ${(error as Error).message}`);
      }
      await world.clock.sleep(world.timing.drain);
    });
    await step('stop', 'StopInstance', world.timing.stop, async () => {
      world.setInstanceStatus(instanceId, 'Stopping');
      state.stats.instance(instanceId, 'StopInstance');
      world.setNodeReady(node.name, false);
      await world.clock.sleep(world.timing.stop);
      world.setInstanceStatus(instanceId, 'Stopped');
    });
    await step('replace-disk', 'ReplaceSystemDisk', world.timing.replaceSystemDisk, async () => {
      state.stats.instance(instanceId, 'ReplaceSystemDisk');
      await world.clock.sleep(world.timing.replaceSystemDisk);
      const diskId = world.replaceSystemDisk(instanceId);
      task.setStage(stage, 'running', { system_disk_id: diskId });
    });
    await step('init', 'InitNode', world.timing.init, async () => {
      await world.clock.sleep(world.timing.init);
      world.setNodeRuntime(node.name, 'containerd', plan.runtimeVersion);
    });
    await step('start', 'StartInstance', world.timing.start, async () => {
      world.setInstanceStatus(instanceId, 'Starting');
      state.stats.instance(instanceId, 'StartInstance');
      await world.clock.sleep(world.timing.start);
      world.setInstanceStatus(instanceId, 'Running');
    });
    await waitReady(state, task, node, stage, label);
    task.setStage(stage, 'running', { step: 'uncordon' });
    world.setUnschedulable(node.name, false);
    task.setStage(stage, 'success', { step: 'done' });
    task.results.set(instanceId, 'success');
    task.event('Finish', 'NodeUpgraded', `${label} runs containerd ${plan.runtimeVersion} and is schedulable again`);
    return undefined;
  } catch (error) {
    if (!(error instanceof StepFailure)) throw error;
    task.setStage(stage, 'failed', { step: error.step, error_code: error.code });
    task.results.set(instanceId, 'failed');
    task.event('Fail', 'NodeUpgradeFailed', error.message, 'Warning');
    return { code: error.code, message: error.message };
  }
}

/** With a `ready` fault the kubelet never reports Ready: the task gives up after READY_TIMEOUT_SECONDS. */
async function waitReady(state: CloudState, task: Task, node: NodeRecord, stage: TaskStage, label: string) {
  const { world } = state;
  task.setStage(stage, 'running', { step: 'ready' });
  task.event('WaitReady', 'NodeWaitReady', `${label}: ${STEP_TEXT.ready}`);
  const fault = state.faultFor(node.name, 'ready');
  if (!fault) {
    world.setNodeReady(node.name, true);
    return;
  }
  await world.clock.sleep(READY_TIMEOUT_SECONDS);
  throw new StepFailure(
    'ready',
    fault.error,
    `${label} failed at step ready: the node did not become Ready within ${READY_TIMEOUT_SECONDS / 60} minutes (${fault.error})`,
  );
}
