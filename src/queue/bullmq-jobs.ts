/**
 * MigrationJobs over BullMQ (docs/architecture.md#queue-and-jobs): the migration job's id is the migration id and its
 * deduplication id the pool, for the job's whole life (BullMQ keeps a deduplication key without ttl until the job
 * finally completes or fails, so parked approvals are included); waking a parked job is a `promote()` that tolerates a
 * job that is not parked (it then sees the new record at its next boundary).
 */
import { Job, Queue } from 'bullmq';
import type { MigrationJobs, PrecheckJobData } from '../ports/job-queue.js';
import { forwardErrors, type QueueErrorOptions } from './queue-errors.js';
import {
  type CleanupJobData,
  connectionOf,
  JOB_CLEANUP,
  JOB_MIGRATE,
  JOB_PRECHECK,
  MIGRATIONS_QUEUE,
  type MigrateJobData,
  PRECHECKS_QUEUE,
  type QueueSettings,
} from './queues.js';

const KEEP_FINISHED_SECONDS = 30 * 24 * 3600;
const JOB_NOT_IN_STATE = -3;
const ALIVE = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'wait']);

export class BullMigrationJobs implements MigrationJobs {
  readonly migrations: Queue<MigrateJobData | CleanupJobData>;
  readonly prechecks: Queue<PrecheckJobData>;

  constructor(settings: QueueSettings & QueueErrorOptions) {
    const connection = connectionOf(settings);
    this.migrations = new Queue(MIGRATIONS_QUEUE, {
      connection,
      prefix: settings.prefix,
      defaultJobOptions: {
        attempts: 1,
        removeOnComplete: { age: KEEP_FINISHED_SECONDS },
        removeOnFail: { age: KEEP_FINISHED_SECONDS },
      },
    });
    this.prechecks = new Queue(PRECHECKS_QUEUE, {
      connection,
      prefix: settings.prefix,
      defaultJobOptions: { attempts: 1, removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } },
    });
    forwardErrors([this.migrations, this.prechecks], settings.errors);
  }

  async enqueueMigration(migrationId: string, dedupKey: string): Promise<string> {
    const job = await this.migrations.add(
      JOB_MIGRATE,
      { migrationId },
      { jobId: migrationId, deduplication: { id: dedupKey } },
    );
    return job.id ?? migrationId;
  }

  async wake(migrationId: string, dedupKey?: string): Promise<void> {
    const job = await Job.fromId(this.migrations, migrationId);
    if (job && (await job.getState()) !== 'failed') {
      try {
        await job.promote();
      } catch (error) {
        if ((error as { code?: number }).code !== JOB_NOT_IN_STATE) throw error;
      }
      return;
    }
    // A failed (or vanished) job never looks at its record again. It comes back as a fresh job under the same
    // id and pool deduplication (a retry would keep the stall counter that failed it) and resumes from the
    // recorded step; the steps look before they act.
    if (!dedupKey) return;
    if (job) {
      try {
        await job.remove();
      } catch {
        return; // someone else brought it back meanwhile (it is locked or gone)
      }
    }
    await this.enqueueMigration(migrationId, dedupKey);
  }

  async enqueuePrecheck(data: PrecheckJobData): Promise<string> {
    const job = await this.prechecks.add(JOB_PRECHECK, data);
    return job.id ?? '';
  }

  async enqueueCleanup(migrationId: string): Promise<string> {
    const id = `cleanup-${migrationId}`;
    // Removed when finished, so a later cleanup of the same migration can run again; while one runs, a second
    // request with the same id is a no-op.
    const job = await this.migrations.add(
      JOB_CLEANUP,
      { migrationId },
      { jobId: id, removeOnComplete: true, removeOnFail: true },
    );
    return job.id ?? id;
  }

  /** Whether a migration's job still exists and is not finished (the pool lease's stale-holder check). */
  async isAlive(jobId: string): Promise<boolean> {
    const state = await this.migrations.getJobState(jobId);
    return ALIVE.has(state);
  }

  async close(): Promise<void> {
    await Promise.all([this.migrations.close(), this.prechecks.close()]);
  }
}
