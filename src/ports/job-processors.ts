/**
 * The processors the job queue runs (docs/architecture.md#queue-and-jobs), as the queue adapter (src/queue/)
 * sees them: plain functions of the job's data, written in jobs/ without knowing the queue is BullMQ. The
 * adapter turns what a migration processor returns into queue terms (park → delayed, hand back → waiting).
 */
import type { PrecheckReport } from '../domain/precheck/report.js';
import type { FleetScanAnswer } from './fleet-scanner.js';
import type { PrecheckJobData } from './job-queue.js';
import type { PoolLookup, PoolLookupAnswer } from './pool-directory.js';

/** What a migration processor may ask of the queue about its own job. */
export interface MigrationJobRun {
  readonly migrationId: string;
  /** True once the worker is shutting down or the queue asked the job to stop: yield at the next safe point. */
  stopRequested(): boolean;
  /** Renews this worker's lock on the job; false when another worker owns it now (fencing). */
  keepLock(): Promise<boolean>;
}

export type MigrationJobEnd =
  /** The migration ended (completed or aborted): the job completes. */
  | { type: 'done'; state: string }
  /**
   * The migration waits for a person or a time: the job is parked until `until` without holding a worker.
   * Right after parking the adapter calls `recheck`; true means something changed meanwhile, wake it now.
   */
  | { type: 'park'; until: Date; recheck: () => Promise<boolean> }
  /** The worker is shutting down: the job goes back to the queue for another worker. */
  | { type: 'hand-back' };

export interface JobProcessors {
  migrate(run: MigrationJobRun): Promise<MigrationJobEnd>;
  cleanup(migrationId: string): Promise<void>;
  /** Throws an AppError; one that is not retryable fails the job for good (the user has to fix something). */
  precheck(data: PrecheckJobData): Promise<PrecheckReport>;
  /** Which pool a command names (read-only; answered by any worker). */
  lookupPool(lookup: PoolLookup): Promise<PoolLookupAnswer>;
  /** The fleet view with fresh prechecks (read-only; answered by any worker). */
  fleetScan(): Promise<FleetScanAnswer>;
  /** A migration job failed for good outside its processor's own handling (stalled too often, …). */
  migrationFailed(migrationId: string, error: Error): Promise<void>;
}
