/**
 * When the migration's job itself fails (an error outside any step, a worker that stalled too often, attempts
 * used up), nothing would ever move the record on again: it would show `running` for ever, and a typed abort
 * would wait for a step boundary that never comes. This stops the line instead, as a failed step does: paused,
 * the reason recorded, a Retry / Abort question open and the thread told, the record first reconciled with the
 * cluster (what ACK finished while no worker followed it is done). An abort that was already waiting for the next
 * boundary is honoured at once, since there is no step left to wait for: our running ACK task is cancelled and
 * every node read from the cluster before the migration ends.
 */
import { reconcileWithCluster } from '../../domain/migration/reconcile.js';
import { isTerminal, type MigrationRecord } from '../../domain/migration/record.js';
import { abortNow, lineStopped, stopTheLine } from '../../domain/migration/state-machine.js';
import { clusterPolicy } from '../cluster-policy.js';
import { failedEvent, finishedEvent, stateEvent } from '../migration-events.js';
import { scopedTo } from '../scoped-gateways.js';
import { type AbortTruth, cancelOurTask, withTruth } from './abort.js';
import { readNodeReportSafely } from './cluster-truth.js';
import type { RunnerDeps } from './context.js';
import { failureOf } from './step-failure.js';

export type JobFailureDeps = Pick<
  RunnerDeps,
  | 'store'
  | 'events'
  | 'lease'
  | 'config'
  | 'logger'
  | 'now'
  | 'nonce'
  | 'cluster'
  | 'cloud'
  | 'access'
  | 'timing'
  | 'sleep'
>;

/** Our running ACK task cancelled and settled, then every node read (the job is gone: nothing to fence). */
async function settleForAbort(deps: JobFailureDeps, record: MigrationRecord): Promise<AbortTruth> {
  const note = await cancelOurTask(deps, record, { wait: (ms) => deps.sleep(ms), guard: async () => {} });
  return { report: await readNodeReportSafely(deps, record), note };
}

const MAX_REASON = 300;

/** One line, bounded: the reason goes to chat and the record. */
export function jobFailureReason(error: unknown): string {
  const text = failureOf(error).reason.split(/\r?\n/)[0]?.trim() || 'unknown error';
  const short = text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
  return `the migration job failed: ${short}`;
}

/**
 * Parks the migration after its job failed; returns the record as it now stands (undefined: no record). A
 * record that already ended or already asks a Retry/Resume question is left as it is.
 */
export async function stopTheLineForJob(
  fleet: JobFailureDeps,
  migrationId: string,
  error: unknown,
): Promise<MigrationRecord | undefined> {
  const current = await fleet.store.get(migrationId);
  if (!current) return undefined;
  const deps = await scopedTo(fleet, current.clusterId);
  const reason = jobFailureReason(error);
  const abortTruth = !isTerminal(current) && current.control.abort ? await settleForAbort(deps, current) : undefined;
  // Read before the stop is written, so the stopped record already shows what ACK finished meanwhile.
  const asked = lineStopped(current);
  const report =
    abortTruth?.report ?? (isTerminal(current) || asked ? undefined : await readNodeReportSafely(deps, current));
  const at = deps.now();
  let outcome = 'unchanged' as 'unchanged' | 'paused' | 'aborted';
  let abortedBy: string | undefined;
  let updated = await deps.store.update(migrationId, (x) => {
    outcome = 'unchanged';
    if (isTerminal(x)) return x;
    if (x.control.abort) {
      outcome = 'aborted';
      abortedBy = x.control.abort.userId;
      const aborted = abortNow(x, x.control.abort, at);
      return abortTruth ? withTruth(aborted, abortTruth, at) : aborted;
    }
    if (lineStopped(x)) return x;
    outcome = 'paused';
    const stopped = stopTheLine(x, { batch: x.cursor.batch, node: undefined, reason }, deps.nonce(), at);
    return report ? reconcileWithCluster(stopped, report, at) : stopped;
  });
  const log = deps.logger.child({ migrationId });
  if (outcome === 'paused') {
    log.warn({ reason }, 'migration job failed: stopping the line');
    const policy = clusterPolicy(deps.config, updated.clusterId);
    await deps.events.publish(failedEvent(updated, policy, at, deps.config.file.settings));
  } else if (outcome === 'aborted') {
    log.warn({ reason }, 'migration job failed with an abort pending: aborted');
    if (!updated.nodeReport) {
      // The abort landed after the look above: settle and read now.
      const truth = await settleForAbort(deps, updated);
      updated = await deps.store.update(migrationId, (x) => withTruth(x, truth, deps.now()));
    }
    if (updated.poolId) await deps.lease.release(updated.clusterId, updated.poolId, updated.id);
    await deps.events.publish(stateEvent(updated, at, abortedBy));
    await deps.events.publish(finishedEvent(updated, at));
  }
  return updated;
}
