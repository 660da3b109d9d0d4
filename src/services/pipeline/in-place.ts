/**
 * In-place batch (docs/architecture.md#migration-pipeline): ACK UpgradeClusterNodepool with the batch's node names,
 * containerd, use_replace, max_parallelism = batch size; followed through DescribeTaskInfo, with each node's steps read
 * from Kubernetes and ECS. Crash-safe: the step is marked started before the call and the task id stored before it is
 * followed; a resumed step follows a recorded task, never upgrades a node already on containerd, and looks for a task
 * already running on the pool before it creates one.
 */
import { observedStep } from '../../domain/migration/node-progress.js';
import type { MigrationRecord } from '../../domain/migration/record.js';
import { batchAt } from '../../domain/migration/record.js';
import { markStarted } from '../../domain/migration/state-machine.js';
import { alreadyMigrated } from '../../domain/migration/verification.js';
import { isAppError } from '../../errors.js';
import type { TaskFacts } from '../../ports/cloud-gateway.js';
import { throwIfAbortRequested } from './abort.js';
import { activeNodes, announceBatch, NodeTracker, observeNodes } from './batch-world.js';
import { pollUntil, type StepContext } from './context.js';
import { stepFailed } from './step-failure.js';

const ENDED = new Set(['success', 'failed', 'canceled']);

/** The task's entry for a node: by name, or by the instance id ACK reports (`task_result`) through the before-state. */
function taskNode(task: TaskFacts | undefined, name: string, before: MigrationRecord['before']) {
  const id = before[name]?.instanceId;
  const entry = task?.nodes.find((n) => n.nodeName === name || (!!id && n.instanceId === id));
  return entry ? { ...entry, nodeName: name } : undefined;
}

function taskFailure(task: TaskFacts, batchNodes: string[], before: MigrationRecord['before']) {
  const failed = batchNodes.map((n) => taskNode(task, n, before)).find((n) => n?.state === 'failed');
  const error = task.error?.message;
  if (!failed) return stepFailed(error ?? `ACK task ${task.taskId} ended ${task.state}`);
  // ACK's task error names the node and the step in words; the per-node entry often has only a code.
  const why =
    error?.includes(failed.nodeName) === true
      ? error
      : `${failed.nodeName} failed at step ${failed.step || 'unknown'}${failed.message ? `: ${failed.message}` : ''}${error ? ` (${error})` : ''}`;
  return stepFailed(`ACK task ${task.taskId}: ${why}`, failed.nodeName);
}

async function recordTask(ctx: StepContext, index: number, taskId: string): Promise<void> {
  await ctx.update((r) => ({ ...r, batches: r.batches.map((b) => (b.index === index ? { ...b, taskId } : b)) }));
}

/**
 * Follows the task (or, without one, the nodes) until every target is back on containerd and Ready. A typed abort
 * is looked for on every poll: the runner then cancels the task rather than wait for it to end.
 */
async function follow(ctx: StepContext, index: number, targets: string[], taskId: string | undefined): Promise<void> {
  const before = ctx.record.before;
  const tracker = new NodeTracker(ctx, index);
  const timeout = ctx.deps.timing.taskTimeoutMs;
  await pollUntil(
    ctx,
    timeout,
    async () => {
      await throwIfAbortRequested(ctx);
      let task: TaskFacts | undefined;
      let world: Awaited<ReturnType<typeof observeNodes>>;
      try {
        [task, world] = await Promise.all([
          taskId ? ctx.deps.cloud.describeTask(taskId) : Promise.resolve(undefined),
          observeNodes(ctx, ctx.poolId, targets),
        ]);
      } catch (error) {
        // A read that failed after the gateway's own retries (throttling, 5xx): poll again until the time is spent.
        if (!isAppError(error) || !error.retryable) throw error;
        ctx.deps.logger.warn({ migrationId: ctx.id, batch: index, err: error.message }, 'poll failed: polling on');
        return { changed: false };
      }
      for (const name of targets) {
        const b = before[name];
        if (!b) continue;
        const t = taskNode(task, name, before);
        tracker.see(
          name,
          observedStep(b, { node: world.node(name), instance: world.instance(name), task: t }),
          t?.message,
        );
      }
      const changed = await tracker.flush();
      ctx.deps.kill('execute:while-following');
      if (task) {
        if (task.state === 'success') return { done: true };
        if (ENDED.has(task.state)) throw taskFailure(task, targets, before);
        return { changed };
      }
      const done = targets.every((n) => alreadyMigrated(before[n]!, world.node(n), world.instance(n)));
      return done ? { done: true } : { changed };
    },
    () => {
      const slow = targets.find((n) => batchAt(ctx.record, index).nodeStates[n]?.step !== 'ready');
      return stepFailed(
        `the upgrade of batch ${index} did not finish within ${Math.round(timeout / 60_000)} min${slow ? `; ${slow} is still at ${batchAt(ctx.record, index).nodeStates[slow]?.step}` : ''}`,
        slow,
      );
    },
  );
}

export async function executeInPlace(ctx: StepContext): Promise<void> {
  const index = ctx.record.cursor.batch;
  await announceBatch(ctx, index);
  const batch = batchAt(ctx.record, index);
  const targets = activeNodes(batch);
  const before = ctx.record.before;

  // A recorded task that still runs is followed, never replaced.
  let ended: TaskFacts | undefined;
  if (batch.taskId) {
    const task = await ctx.deps.cloud.describeTask(batch.taskId);
    if (!ENDED.has(task.state)) {
      await follow(ctx, index, targets, batch.taskId);
      return done(ctx);
    }
    ended = task;
  }
  const world = await observeNodes(ctx, ctx.poolId, targets);
  const remaining = targets.filter((n) => !alreadyMigrated(before[n]!, world.node(n), world.instance(n)));
  if (remaining.length === 0) return done(ctx);
  // The record holds this node done (verified, or found migrated when the line stopped): never upgrade it again.
  const regressed = remaining.find((n) => batch.nodeStates[n]?.outcome === 'done');
  if (regressed) {
    const seen = world.node(regressed);
    const now = seen ? `${seen.runtimeVersion}, ${seen.ready ? 'Ready' : 'NotReady'}` : 'not in Kubernetes';
    throw stepFailed(`${regressed} was recorded migrated but is not any more (${now}): check it`, regressed);
  }
  // The recorded task failed while no worker followed it (crash). Only a person's Retry (which sets the phase back
  // to pending) may upgrade these nodes again; unless a newer task of ours runs, stop the line with its reason.
  if (ended && ended.state !== 'success' && ctx.record.cursor.phase === 'started') {
    const running = await ctx.deps.cloud.findActiveTask?.(ctx.record.clusterId, ctx.poolId);
    if (!running) throw taskFailure(ended, targets, before);
  }

  // Crashed between creating the task and recording its id: find that task instead of creating another.
  if (ctx.record.cursor.phase === 'started' && ctx.deps.cloud.findActiveTask) {
    const running = await ctx.deps.cloud.findActiveTask(ctx.record.clusterId, ctx.poolId);
    if (running) {
      await recordTask(ctx, index, running);
      await follow(ctx, index, targets, running);
      return done(ctx);
    }
  }

  // With use_replace ACK re-initialises the nodes from this request: name the containerd version it offers for
  // the cluster's own Kubernetes version (DescribeKubernetesVersionMetadata).
  const target = await ctx.deps.cloud.containerdVersion(ctx.record.clusterId);
  await ctx.guard();
  await ctx.update((r) => markStarted(r, ctx.now()));
  ctx.deps.kill('execute:after-start-recorded');
  // The gateway waits until the pool is idle (its state and running tasks) before it asks.
  const { taskId } = await ctx.deps.cloud.upgradeNodePool(ctx.record.clusterId, ctx.poolId, {
    nodeNames: remaining,
    runtimeType: 'containerd',
    runtimeVersion: target.runtimeVersion,
    kubernetesVersion: target.kubernetesVersion,
    useReplace: true,
    maxParallelism: Math.min(10, batch.nodes.length),
  });
  ctx.deps.kill('execute:after-create-task');
  await recordTask(ctx, index, taskId);
  ctx.deps.kill('execute:after-record-task');
  await follow(ctx, index, targets, taskId);
  return done(ctx);
}

async function done(ctx: StepContext): Promise<void> {
  ctx.deps.kill('execute:after-task-done');
  await ctx.advance();
}
