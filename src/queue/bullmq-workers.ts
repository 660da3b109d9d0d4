/**
 * The worker side of BullMQ (docs/architecture.md#queue-and-jobs): one Worker on `migrations` (migrate and
 * cleanup jobs) and one on `prechecks`, sharing one Redis with any number of other workers. It runs the
 * processors it is given (jobs/, assembled in src/app/) and turns their answers into BullMQ terms:
 * park → moveToDelayed + DelayedError, hand back → moveToWait + WaitingError, a precheck failure the user must
 * fix → UnrecoverableError. Settings: maxStalledCount well above 1 (the stall counter never resets over a
 * migration's life) and no maxStartedAttempts (every wake-up from a park counts as a start).
 */
import { DelayedError, type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { PrecheckReport } from '../domain/precheck/report.js';
import { isAppError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { FleetScanAnswer } from '../ports/fleet-scanner.js';
import type { JobProcessors, MigrationJobRun } from '../ports/job-processors.js';
import type { PrecheckJobData } from '../ports/job-queue.js';
import type { PoolLookup, PoolLookupAnswer } from '../ports/pool-directory.js';
import type { QueueErrorOptions } from './queue-errors.js';
import {
  type CleanupJobData,
  connectionOf,
  JOB_CLEANUP,
  JOB_FLEET_SCAN,
  LOOKUPS_QUEUE,
  MIGRATIONS_QUEUE,
  type MigrateJobData,
  PRECHECKS_QUEUE,
  type QueueSettings,
} from './queues.js';

/** BullMQ's code for "the job is not in the state the command expects" (e.g. promote of a job already woken). */
const JOB_NOT_IN_STATE = -3;

export interface WorkerHostSettings extends QueueSettings, QueueErrorOptions {
  processors: JobProcessors;
  logger: Logger;
  /** Migrations one worker runs at once (parked ones do not count). */
  concurrency?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  maxStalledCount?: number;
  /** Name shown in BullMQ (worker list). */
  name?: string;
}

export interface RunningWorkers {
  /** Graceful: stop taking jobs, let running migrations hand back at their next safe point, close connections. */
  close(): Promise<void>;
  /** Resolves when both BullMQ workers are connected. */
  ready(): Promise<void>;
}

async function promoteTolerant(job: Job): Promise<void> {
  await job.promote().catch((error: { code?: number }) => {
    if (error.code !== JOB_NOT_IN_STATE) throw error;
  });
}

export function startBullWorkers(settings: WorkerHostSettings): RunningWorkers {
  const { logger, processors } = settings;
  const lockDurationMs = settings.lockDurationMs ?? 30_000;
  let shuttingDown = false;

  // Three parameters: BullMQ passes the AbortSignal only to processors that declare it.
  const migrate = async (job: Job<MigrateJobData>, token?: string, signal?: AbortSignal): Promise<unknown> => {
    const run: MigrationJobRun = {
      migrationId: job.data.migrationId,
      stopRequested: () => shuttingDown || signal?.aborted === true,
      keepLock: async () => !token || (await job.extendLock(token, lockDurationMs)) === 1,
    };
    const end = await processors.migrate(run);
    if (end.type === 'done') return { state: end.state };
    if (!token) throw new Error(`job ${job.id} has no lock token: cannot park or hand it back`);
    if (end.type === 'hand-back') {
      await job.moveToWait(token);
      throw new WaitingError();
    }
    await job.moveToDelayed(end.until.getTime(), token);
    if (await end.recheck()) await promoteTolerant(job);
    throw new DelayedError();
  };

  const connection = connectionOf(settings);
  const common = {
    connection,
    prefix: settings.prefix,
    lockDuration: lockDurationMs,
    stalledInterval: settings.stalledIntervalMs ?? 30_000,
    maxStalledCount: settings.maxStalledCount ?? 10,
    ...(settings.name ? { name: settings.name } : {}),
  };
  const migrations = new Worker<MigrateJobData | CleanupJobData>(
    MIGRATIONS_QUEUE,
    async (job: Job<MigrateJobData | CleanupJobData>, token?: string, signal?: AbortSignal) => {
      if (job.name !== JOB_CLEANUP) return migrate(job as Job<MigrateJobData>, token, signal);
      await processors.cleanup(job.data.migrationId);
      return { migrationId: job.data.migrationId };
    },
    { ...common, concurrency: settings.concurrency ?? 8 },
  );
  // The precheck job returns its report; the chat side learns of it through the event stream.
  const prechecks = new Worker<PrecheckJobData, PrecheckReport>(
    PRECHECKS_QUEUE,
    async (job) => {
      try {
        return await processors.precheck(job.data);
      } catch (error) {
        if (isAppError(error) && !error.retryable) throw new UnrecoverableError(error.toLine());
        throw error;
      }
    },
    { ...common, concurrency: 4 },
  );
  // Lookups answer people waiting on a command: their own worker, so a long precheck never holds one up.
  const lookups = new Worker<PoolLookup, PoolLookupAnswer | FleetScanAnswer>(
    LOOKUPS_QUEUE,
    (job) => (job.name === JOB_FLEET_SCAN ? processors.fleetScan() : processors.lookupPool(job.data)),
    { ...common, concurrency: 16 },
  );
  // The safety net for a migration job that failed for good outside the processor's own handling (stalled more
  // than maxStalledCount, attempts used up): its record must not stay `running` with no job behind it.
  migrations.on('failed', (job, error) => {
    if (!job?.id || job.name === JOB_CLEANUP) return;
    const id = (job.data as MigrateJobData).migrationId ?? job.id;
    void (async () => {
      if ((await job.getState()) !== 'failed') return; // retried: not failed for good
      await processors.migrationFailed(id, error);
    })().catch((e: unknown) =>
      logger.error({ migrationId: id, err: e instanceof Error ? e.message : String(e) }, 'could not park a failed job'),
    );
  });
  // Their connections' errors too (src/queue/queue-errors.ts): one line each, never the error object.
  const errors =
    settings.errors ?? ((error: unknown) => logger.error({ err: (error as Error).message }, 'worker error'));
  for (const w of [migrations, prechecks, lookups]) {
    w.on('error', errors);
    w.on('failed', (job, error) => logger.warn({ jobId: job?.id, err: error.message }, 'job failed'));
    w.on('lockRenewalFailed', (ids) => logger.warn({ jobIds: ids }, 'lock renewal failed'));
  }
  return {
    async ready() {
      await Promise.all([migrations.waitUntilReady(), prechecks.waitUntilReady(), lookups.waitUntilReady()]);
    },
    async close() {
      shuttingDown = true;
      await Promise.all([migrations.close(), prechecks.close(), lookups.close()]);
    },
  };
}
