/**
 * What the services need from the job queue, without knowing it is BullMQ (src/queue/ implements it). Keeps
 * the bot side of the product free of queue details and lets tests count what was enqueued.
 */
import type { Origin } from '../domain/migration/events.js';

export interface PrecheckJobData {
  cluster?: string;
  pool: string;
  maxParallel?: number;
  planOnly: boolean;
  origin: Origin;
}

export interface MigrationJobs {
  /**
   * Adds the migration's job (job id = migration id), deduplicated by `dedupKey` for the job's whole life.
   * Returns the id of the job that holds the key: `migrationId` when added, another migration's id when not.
   */
  enqueueMigration(migrationId: string, dedupKey: string): Promise<string>;
  /**
   * Wakes a parked migration job so it looks at its record again; a no-op when it is running. With `dedupKey`
   * (the one it was enqueued with), a job that failed or is gone is added again so the migration continues.
   */
  wake(migrationId: string, dedupKey?: string): Promise<void>;
  enqueuePrecheck(data: PrecheckJobData): Promise<string>;
  /** Adds the cleanup job of a finished migration (one per migration). */
  enqueueCleanup(migrationId: string): Promise<string>;
}
