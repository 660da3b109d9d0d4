/**
 * The start-up reconciler of a worker (docs/architecture.md#high-availability): no migration stays "running"
 * with nothing running it. For every migration that has not ended, it looks at its job:
 *
 * - waiting, delayed (parked) or active: something runs it (an active job whose worker died is found by BullMQ's
 *   stalled check, and one stalled too often fails into the job-failure hook, which parks it);
 * - gone, or completed while the record has not ended: it is enqueued again and resumes at the recorded step
 *   (the steps look before they act);
 * - failed for good: it is parked, paused with the job's failure as the reason and a Retry / Abort question
 *   (whose answer enqueues it again); one that already asks a question is left as it is.
 *
 * Records younger than `graceMs` are skipped: their start may still be enqueueing the job.
 */
import { isTerminal, type MigrationRecord } from '../domain/migration/record.js';
import type { Logger } from '../log/logger.js';
import type { MigrationStore } from '../ports/migration-store.js';

export interface ReconcilerJobs {
  /** BullMQ's job state ('unknown' when there is no such job). */
  stateOf(migrationId: string): Promise<string>;
  failedReason(migrationId: string): Promise<string | undefined>;
  /** Enqueues the migration's job again (removing a finished one under its id first). */
  requeue(record: MigrationRecord): Promise<void>;
}

export interface ReconcilerDeps {
  store: MigrationStore;
  jobs: ReconcilerJobs;
  /** Parks the migration paused with the reason (the job-failure hook). */
  park(migrationId: string, error: Error): Promise<unknown>;
  logger: Logger;
  now?: () => Date;
  graceMs?: number;
  /**
   * Tells the chat again what a parked migration waits for (its approval request, as an event). A Redis failover
   * can roll the record and the job back behind what chat already shows (the batch "running" while Redis has it
   * waiting for its approval again): without the reminder nobody would see the buttons to answer it.
   */
  remind?(record: MigrationRecord): Promise<void>;
}

export interface ReconcileReport {
  running: string[];
  resumed: string[];
  parked: string[];
}

const RUNNING = new Set(['waiting', 'wait', 'active', 'delayed', 'prioritized', 'waiting-children']);

export async function reconcileMigrations(deps: ReconcilerDeps): Promise<ReconcileReport> {
  const report: ReconcileReport = { running: [], resumed: [], parked: [] };
  const now = (deps.now ?? (() => new Date()))().getTime();
  for (const record of await deps.store.active()) {
    if (isTerminal(record)) continue;
    if (now - Date.parse(record.createdAt) < (deps.graceMs ?? 30_000)) continue;
    const log = deps.logger.child({ migrationId: record.id });
    const state = await deps.jobs.stateOf(record.id);
    if (RUNNING.has(state)) {
      report.running.push(record.id);
      if (state === 'delayed' && record.state === 'awaiting-approval' && record.pending && deps.remind)
        await deps.remind(record).catch((e: unknown) => log.warn({ err: String(e) }, 'reconciler: reminder failed'));
    } else if (state === 'failed') {
      const why = (await deps.jobs.failedReason(record.id)) ?? 'failed';
      log.warn({ reason: why }, 'reconciler: the migration job failed for good; parking the migration');
      await deps.park(record.id, new Error(`${why} (found by a worker at start-up)`));
      report.parked.push(record.id);
    } else {
      log.warn({ job: state }, 'reconciler: nothing runs this migration; enqueueing it again');
      await deps.jobs.requeue(record);
      report.resumed.push(record.id);
    }
  }
  return report;
}
