/**
 * Ending a migration `aborted` (docs/architecture.md#stop-the-line-and-resume): an in-place batch's ACK task of ours
 * that still runs is cancelled (CancelTask) and followed until it settles (canceled, success or failed) within a
 * bounded time; an aborted rotation gives the old pool back its undrained nodes; then every node is read from the
 * cluster, the record reconciled with it and the node report stored. Abort never undoes finished work.
 */
import type { NodeReport } from '../../domain/migration/events.js';
import { reconcileWithCluster } from '../../domain/migration/reconcile.js';
import type { MigrationRecord } from '../../domain/migration/record.js';
import type { TaskFacts } from '../../ports/cloud-gateway.js';
import { readNodeReportSafely, type TruthDeps } from './cluster-truth.js';
import type { RunnerDeps, StepContext } from './context.js';
import { failureOf, HandOff } from './step-failure.js';

/** Thrown where a step notices a typed abort while it follows a task: the runner ends the migration at once. */
export class AbortRequested extends Error {
  constructor() {
    super('abort requested');
    this.name = 'AbortRequested';
  }
}

/** The typed abort lands in `record.control.abort` (the service writes it): look at the stored record. */
export async function throwIfAbortRequested(ctx: StepContext): Promise<void> {
  const fresh = await ctx.deps.store.get(ctx.id);
  if (fresh?.control.abort) throw new AbortRequested();
}

const ENDED: ReadonlySet<TaskFacts['state']> = new Set(['success', 'failed', 'canceled']);

export type AbortDeps = TruthDeps & Pick<RunnerDeps, 'timing'>;

/** How the caller waits (through a shutdown or not) and fences a cloud call. */
export interface AbortIo {
  wait(ms: number): Promise<void>;
  guard(): Promise<void>;
}

/**
 * The ACK task of ours that may still run: the batch's recorded task while the cursor is on its execute step,
 * or, when the worker died between creating it and recording its id, the task running on the pool (as the
 * execute step itself finds it).
 */
async function ourTask(deps: AbortDeps, r: MigrationRecord): Promise<string | undefined> {
  if (r.mode !== 'in-place' || r.cursor.step !== 'execute' || !r.poolId) return undefined;
  const recorded = r.batches[r.cursor.batch - 1]?.taskId;
  if (recorded) return recorded;
  if (r.cursor.phase !== 'started' || !deps.cloud.findActiveTask) return undefined;
  return deps.cloud.findActiveTask(r.clusterId, r.poolId);
}

/**
 * Cancels our running task and waits until ACK says it ended; a node already being replaced is finished by ACK
 * first. Returns a note for the reason when it could not be cancelled or did not settle in time.
 */
export async function cancelOurTask(deps: AbortDeps, r: MigrationRecord, io: AbortIo): Promise<string | undefined> {
  const log = deps.logger.child({ migrationId: r.id });
  let taskId: string | undefined;
  let task: TaskFacts;
  try {
    taskId = await ourTask(deps, r);
    if (!taskId) return undefined;
    task = await deps.cloud.describeTask(taskId);
  } catch (error) {
    return `could not look for the running ACK task (${failureOf(error).reason}): check the pool in the ACK console`;
  }
  if (ENDED.has(task.state)) return undefined;
  await io.guard();
  try {
    await deps.cloud.cancelTask(taskId);
    log.warn({ taskId }, 'abort: cancelled the running ACK task');
  } catch (error) {
    // It may have ended meanwhile (ACK refuses to cancel an ended task): the next look tells.
    log.warn({ taskId, reason: failureOf(error).reason }, 'abort: CancelTask refused');
  }
  const { minPollMs, pollMs } = deps.timing;
  // A node in the middle of its upgrade takes minutes to finish; the verification limit bounds the wait.
  const deadline = deps.now().getTime() + deps.timing.readyTimeoutMs;
  let delay = minPollMs;
  for (;;) {
    try {
      task = await deps.cloud.describeTask(taskId);
      if (ENDED.has(task.state)) return undefined;
    } catch (error) {
      log.warn({ taskId, reason: failureOf(error).reason }, 'abort: could not read the ACK task');
    }
    if (deps.now().getTime() >= deadline)
      return `ACK task ${taskId} was still ${task.state} when the migration ended: check it in the ACK console`;
    await io.wait(delay);
    delay = Math.min(pollMs, Math.round(delay * 1.5));
  }
}

/**
 * An aborted rotation gives the old pool back its undrained nodes (cordoned when the new pool was ready), so
 * it carries load again; drained nodes stay as they are: abort never undoes finished work.
 */
export async function uncordonUndrained(ctx: StepContext): Promise<void> {
  const r = ctx.record;
  if (r.mode !== 'rotate' || !r.rotate?.oldCordoned || r.rotate.oldRemoved || r.rotate.oldUncordoned) return;
  const drained = new Set(r.batches.filter((b) => b.state === 'done').flatMap((b) => b.nodes));
  for (const node of Object.keys(r.before).filter((n) => !drained.has(n))) {
    if (await ctx.deps.cluster.getNode(node)) await ctx.deps.cluster.setUnschedulable(node, false);
  }
  await ctx.update((x) => ({ ...x, rotate: { ...x.rotate!, oldUncordoned: true } }));
}

export interface AbortTruth {
  report: NodeReport;
  note: string | undefined;
}

/** The record as the cluster has it, with its node report (and a note on the task in the reason). */
export function withTruth(r: MigrationRecord, truth: AbortTruth, now: Date): MigrationRecord {
  const next: MigrationRecord = { ...reconcileWithCluster(r, truth.report, now), nodeReport: truth.report };
  if (truth.note) next.reason = next.reason ? `${next.reason}; ${truth.note}` : truth.note;
  return next;
}

/** Before the runner writes `aborted`: our task settled, the old pool's undrained nodes back, the nodes read. */
export async function settleForAbort(ctx: StepContext): Promise<AbortTruth | 'yield'> {
  try {
    const note = await cancelOurTask(ctx.deps, ctx.record, { wait: (ms) => ctx.wait(ms), guard: () => ctx.guard() });
    await uncordonUndrained(ctx);
    return { report: await readNodeReportSafely(ctx.deps, ctx.record), note };
  } catch (error) {
    // Shutting down: the next worker aborts from the same record (the cancel is asked again or already done).
    if (error instanceof HandOff) return 'yield';
    throw error;
  }
}
