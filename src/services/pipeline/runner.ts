/**
 * Runs a migration from wherever its record stands until it must park (a person or a time must come), ends
 * (completed or aborted) or hands its job back (shutdown). The state machine says what is next; the steps do it
 * and record it. Any failure of a step stops the line: paused, reason recorded, a Retry / Skip node / Abort
 * question open. BullMQ is not known here: jobs/migrate.ts turns the outcome into park / hand-off / done.
 */
import { applyDecision, checkDecision, type DecisionInput } from '../../domain/migration/decisions.js';
import type { MigrationState } from '../../domain/migration/events.js';
import { reconcileWithCluster } from '../../domain/migration/reconcile.js';
import { type Cursor, isTerminal } from '../../domain/migration/record.js';
import {
  abortNow,
  expireApproval,
  lineStopped,
  nextAction,
  pauseNow,
  stopTheLine,
} from '../../domain/migration/state-machine.js';
import { clusterPolicy } from '../cluster-policy.js';
import { failedEvent, finishedEvent, stateEvent } from '../migration-events.js';
import { scopedTo } from '../scoped-gateways.js';
import { AbortRequested, settleForAbort, uncordonUndrained, withTruth } from './abort.js';
import { readNodeReportSafely } from './cluster-truth.js';
import { type RunHooks, type RunnerDeps, StepContext } from './context.js';
import { approvalStep, approveRemoveStep, finishStep, soakStep, windowStep } from './gate-steps.js';
import { executeInPlace } from './in-place.js';
import { beforeStateStep, endEarly, leaseStep, planStep, precheckStep } from './prepare-steps.js';
import { drainBatchStep, preparePoolStep, removeOldPoolStep } from './rotate.js';
import { queuedReason } from './slots.js';
import { snapshotStep } from './snapshots.js';
import { failureOf, HandOff } from './step-failure.js';
import { verifyInPlace, verifyRotate } from './verify.js';

export type RunOutcome =
  | { type: 'ended'; state: MigrationState }
  /** Park until `until` (undefined: until woken). `version` is the record version the decision was made on. */
  | { type: 'park'; until: Date | undefined; version: number }
  | { type: 'yield' };

/** Thrown by RunHooks.checkLock when another worker owns the job now: nothing may be recorded any more. */
export class LostLock extends Error {
  constructor(jobId: string) {
    super(`lost the lock of job ${jobId}`);
    this.name = 'LostLock';
  }
}

function runStep(ctx: StepContext, cursor: Cursor): Promise<void> {
  const rotate = ctx.record.mode === 'rotate';
  switch (cursor.step) {
    case 'lease':
      return leaseStep(ctx);
    case 'before-state':
      return beforeStateStep(ctx);
    case 'precheck':
      return precheckStep(ctx);
    case 'plan':
      return planStep(ctx);
    case 'prepare-pool':
      return preparePoolStep(ctx);
    case 'approval':
      return approvalStep(ctx);
    case 'window':
      return windowStep(ctx);
    case 'snapshot':
      return snapshotStep(ctx);
    case 'execute':
      return rotate ? drainBatchStep(ctx) : executeInPlace(ctx);
    case 'verify':
      return rotate ? verifyRotate(ctx) : verifyInPlace(ctx);
    case 'soak':
      return soakStep(ctx);
    case 'approve-remove':
      return approveRemoveStep(ctx);
    case 'remove-old-pool':
      return removeOldPoolStep(ctx);
    case 'finish':
      return finishStep(ctx);
  }
}

/** Stop the line, then bring the record in line with the cluster before anyone is shown the stop. */
async function stopStep(ctx: StepContext, error: unknown): Promise<void> {
  const { deps } = ctx;
  const { reason, node } = failureOf(error);
  deps.logger.warn({ migrationId: ctx.id, step: ctx.record.cursor, node, reason }, 'stopping the line');
  const report = await readNodeReportSafely(deps, ctx.record);
  const at = deps.now();
  let asked = false;
  const stopped = await ctx.update((x) => {
    asked = false;
    // Already stopped with its question open: a second run of the job (its lock lapsed under load while the first
    // still ran) met the same failure. The first question stands, so the buttons already shown keep answering it.
    if (lineStopped(x)) return x;
    asked = true;
    return reconcileWithCluster(stopTheLine(x, { batch: x.cursor.batch, node, reason }, deps.nonce(), at), report, at);
  });
  if (asked) await ctx.emit(failedEvent(stopped, ctx.policy, at, deps.config.file.settings));
}

export async function runMigration(fleet: RunnerDeps, migrationId: string, hooks: RunHooks): Promise<RunOutcome> {
  const first = await fleet.store.get(migrationId);
  if (!first) {
    fleet.logger.error({ migrationId }, 'migration job without a record: nothing to run');
    return { type: 'ended', state: 'aborted' };
  }
  // Beyond settings.maxConcurrentMigrations a migration that has not begun waits, parked, and looks again.
  if (first.state === 'pending') {
    const limits = fleet.config.file.settings.maxConcurrentMigrations ?? {};
    const queued = await queuedReason(fleet.store, limits, first);
    if (queued) {
      const now = fleet.now();
      const parked =
        first.reason === queued ? first : await fleet.store.update(first.id, (x) => ({ ...x, reason: queued }));
      if (parked !== first) await fleet.events.publish(stateEvent(parked, now, undefined, queued));
      return { type: 'park', until: new Date(now.getTime() + fleet.timing.pollMs), version: parked.version };
    }
    if (first.reason?.startsWith('queued: ')) await fleet.store.update(first.id, ({ reason: _, ...x }) => x);
  }
  // The migration's own cluster: its region's cloud endpoints and its Kubernetes API.
  const deps = await scopedTo(fleet, first.clusterId);
  const ctx = new StepContext(deps, hooks, first, clusterPolicy(deps.config, first.clusterId), {
    windowsConfigured: deps.config.file.settings.maintenanceWindows.length > 0,
  });
  const log = deps.logger.child({ migrationId });
  if (first.poolId && !isTerminal(first)) {
    // Re-entrant for this migration; refused only if another live migration took the pool meanwhile.
    const lease = await deps.lease.acquire(first.clusterId, first.poolId, first.id);
    if (!lease.ok) await endEarly(ctx, 'aborted', `pool ${first.poolName} is held by ${lease.holder}`);
  }
  const triedDecisions = new Set<string>();
  for (;;) {
    const r = await ctx.reload();
    if (r.pending && !triedDecisions.has(r.pending.nonce)) {
      // The bot wrote a first-wins answer but did not get to apply it (crashed): apply it now.
      triedDecisions.add(r.pending.nonce);
      const d = await deps.decisions.get(r.id, r.pending.nonce);
      if (d) {
        const input: DecisionInput = { decision: d.decision, nonce: d.nonce, actor: d.by };
        if (d.node !== undefined) input.node = d.node;
        if (d.reason !== undefined) input.reason = d.reason;
        const now = deps.now();
        if (checkDecision(r, input, now).ok) {
          const updated = await ctx.update((x) =>
            checkDecision(x, input, now).ok ? applyDecision(x, input, { now, nonce: deps.nonce() }).record : x,
          );
          await ctx.emit(stateEvent(updated, now, d.by.userId));
          continue;
        }
      }
    }
    const now = deps.now();
    const action = nextAction(r, now);
    switch (action.type) {
      case 'end':
        if (r.state === 'aborted' && r.control.abort) {
          // Aborted while parked (by the service): settle our task and read the nodes now, then tell.
          const truth = await settleForAbort(ctx);
          if (truth === 'yield') return { type: 'yield' };
          const ended = await ctx.update((x) => ({ ...withTruth(x, truth, deps.now()), control: {} }));
          await ctx.emit(finishedEvent(ended, deps.now()));
        } else if (r.state === 'aborted') await uncordonUndrained(ctx);
        if (r.poolId) await deps.lease.release(r.clusterId, r.poolId, r.id);
        log.info({ state: r.state }, 'migration ended');
        return { type: 'ended', state: r.state };
      case 'park':
        return { type: 'park', until: action.until, version: r.version };
      case 'expire': {
        const paused = await ctx.update((x) =>
          x.pending?.nonce === r.pending?.nonce ? expireApproval(x, deps.nonce(), now) : x,
        );
        await ctx.emit(stateEvent(paused, now));
        break;
      }
      case 'abort': {
        const truth = await settleForAbort(ctx);
        if (truth === 'yield') return { type: 'yield' };
        const at = deps.now();
        const aborted = await ctx.update((x) => withTruth(abortNow(x, action.by, at), truth, at));
        await ctx.emit(stateEvent(aborted, at, action.by.userId));
        await ctx.emit(finishedEvent(aborted, at));
        break;
      }
      case 'pause': {
        const reason = `paused by ${action.by.userId} (${action.by.platform})`;
        const paused = await ctx.update((x) => pauseNow(x, action.by, deps.nonce(), reason, now));
        await ctx.emit(stateEvent(paused, now, action.by.userId));
        break;
      }
      case 'run': {
        if (hooks.shouldYield()) return { type: 'yield' };
        try {
          if (action.cursor.step === 'finish' && !r.nodeReport) {
            // Completion: what the cluster shows goes into the record and the final summary.
            const report = await readNodeReportSafely(deps, r);
            await ctx.update((x) => ({ ...reconcileWithCluster(x, report, deps.now()), nodeReport: report }));
          }
          await runStep(ctx, action.cursor);
        } catch (error) {
          if (error instanceof HandOff) return { type: 'yield' };
          if (error instanceof LostLock) throw error;
          // A typed abort seen while following a task: the next turn of the loop ends the migration.
          if (error instanceof AbortRequested) break;
          await stopStep(ctx, error);
        }
        break;
      }
    }
  }
}
