/**
 * The worker process's BullMQ side (`ack-migrate worker`, `dev`, tests): one Worker on `migrations` (migrate and
 * cleanup jobs) and one on `prechecks`, sharing one Redis with any number of other workers. Settings
 * (docs/architecture.md#queue-and-jobs): maxStalledCount well above 1 (BullMQ never resets a job's stall counter,
 * so it counts over a migration's whole life), no maxStartedAttempts (every wake-up from a park counts as a start).
 * On shutdown the worker stops taking jobs and running migrations hand themselves back at their next safe point;
 * nothing is abandoned.
 */
import { type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createCleanupProcessor } from '../../jobs/cleanup.js';
import { createMigrateProcessor } from '../../jobs/migrate.js';
import { createPrecheckProcessor, type PrecheckJobData } from '../../jobs/precheck.js';
import type { PrecheckReport } from '../domain/precheck/report.js';
import { asAppError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { CloudGateway } from '../ports/cloud-gateway.js';
import type { ClusterGateway } from '../ports/cluster-gateway.js';
import { AuditLog } from '../services/audit-log.js';
import type { PolicySource } from '../services/cluster-policy.js';
import { DecisionStore } from '../services/decision-store.js';
import { RedisEventPublisher } from '../services/event-stream.js';
import { MigrationStore } from '../services/migration-store.js';
import type { RunnerDeps } from '../services/pipeline/context.js';
import { stopTheLineForJob } from '../services/pipeline/job-failure.js';
import { killSwitch } from '../services/pipeline/kill-switch.js';
import { DEFAULT_TIMING, type Timing } from '../services/pipeline/timing.js';
import { PoolLease } from '../services/pool-lease.js';
import { runPrecheck } from '../services/precheck-service.js';
import { BullMigrationJobs } from './bullmq-jobs.js';
import {
  type CleanupJobData,
  connectionOf,
  JOB_CLEANUP,
  MIGRATIONS_QUEUE,
  type MigrateJobData,
  PRECHECKS_QUEUE,
  type QueueSettings,
} from './queues.js';

export interface WorkerSettings extends QueueSettings {
  config: PolicySource;
  cluster: ClusterGateway;
  cloud: CloudGateway;
  logger: Logger;
  timing?: Timing;
  /** Migrations one worker runs at once (parked ones do not count). */
  concurrency?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  maxStalledCount?: number;
  /** Test-only crash switch (ACK_MIGRATE_TEST_KILL_AT). */
  killAt?: string;
  /** Name shown in BullMQ (worker list). */
  name?: string;
  now?: () => Date;
  /** How the worker waits between looks (benchmarks measure it). */
  sleep?: (ms: number) => Promise<void>;
}

export interface RunningWorkers {
  /** Graceful: stop taking jobs, let running migrations hand back at their next safe point, close connections. */
  close(): Promise<void>;
  /** Resolves when both BullMQ workers are connected. */
  ready(): Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

export function startWorkers(settings: WorkerSettings): RunningWorkers {
  const { logger } = settings;
  const redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: null });
  const jobs = new BullMigrationJobs(settings);
  const store = new MigrationStore(redis, settings.prefix);
  const events = new RedisEventPublisher(redis, settings.prefix);
  const audit = new AuditLog(redis, settings.prefix);
  const now = settings.now ?? (() => new Date());
  const sleep = settings.sleep ?? realSleep;
  const timing = settings.timing ?? DEFAULT_TIMING;
  const lockDurationMs = settings.lockDurationMs ?? 30_000;
  let shuttingDown = false;

  const lease = new PoolLease(redis, settings.prefix, async (holder) => {
    const r = await store.get(holder);
    if (!r || r.state === 'completed' || r.state === 'aborted') return false;
    return jobs.isAlive(holder);
  });
  const runner: RunnerDeps = {
    store,
    decisions: new DecisionStore(redis, settings.prefix),
    events,
    lease,
    cluster: settings.cluster,
    cloud: settings.cloud,
    config: settings.config,
    timing,
    precheck: (request) =>
      runPrecheck(
        { cluster: settings.cluster, cloud: settings.cloud, defaultClusterId: settings.config.defaultClusterId },
        request,
      ),
    kill: killSwitch(settings.killAt),
    audit: async (entry) => {
      await audit.append(entry);
    },
    logger,
    now,
    sleep,
    nonce: () => globalThis.crypto.randomUUID(),
  };
  const migrate = createMigrateProcessor({ runner, shuttingDown: () => shuttingDown, lockDurationMs });
  const cleanup = createCleanupProcessor({
    store,
    cloud: settings.cloud,
    events,
    audit: runner.audit,
    logger,
    now,
    sleep,
    pollMs: timing.minPollMs,
    timeoutMs: timing.commandTimeoutMs,
  });
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
    (job: Job<MigrateJobData | CleanupJobData>, token?: string, signal?: AbortSignal) =>
      job.name === JOB_CLEANUP
        ? cleanup(job as Job<CleanupJobData>)
        : migrate(job as Job<MigrateJobData>, token, signal),
    { ...common, concurrency: settings.concurrency ?? 8 },
  );
  const precheck = createPrecheckProcessor({
    cluster: settings.cluster,
    cloud: settings.cloud,
    defaultClusterId: settings.config.defaultClusterId,
  });
  // The precheck job returns its report; the chat side learns of it through the event stream.
  const prechecks = new Worker<PrecheckJobData, PrecheckReport>(
    PRECHECKS_QUEUE,
    async (job) => {
      const at = () => now().toISOString();
      try {
        const report = await precheck(job);
        await events.publish({ type: 'precheck.finished', at: at(), origin: job.data.origin, report });
        return report;
      } catch (error) {
        const reason = asAppError(error).toLine();
        await events.publish({
          type: 'precheck.failed',
          at: at(),
          origin: job.data.origin,
          pool: job.data.pool,
          reason,
        });
        throw error;
      }
    },
    { ...common, concurrency: 4 },
  );
  // The safety net for a migration job that failed for good outside the processor's own handling (stalled more
  // than maxStalledCount, attempts used up): its record must not stay `running` with no job behind it.
  migrations.on('failed', (job, error) => {
    if (!job?.id || job.name === JOB_CLEANUP) return;
    const id = (job.data as MigrateJobData).migrationId ?? job.id;
    void (async () => {
      if ((await jobs.migrations.getJobState(job.id!)) !== 'failed') return; // retried: not failed for good
      await stopTheLineForJob(runner, id, error);
    })().catch((e: unknown) =>
      logger.error({ migrationId: id, err: e instanceof Error ? e.message : String(e) }, 'could not park a failed job'),
    );
  });
  for (const w of [migrations, prechecks]) {
    w.on('error', (error) => logger.error({ err: error.message }, 'worker error'));
    w.on('failed', (job, error) => logger.warn({ jobId: job?.id, err: error.message }, 'job failed'));
    w.on('lockRenewalFailed', (ids) => logger.warn({ jobIds: ids }, 'lock renewal failed'));
  }
  return {
    async ready() {
      await Promise.all([migrations.waitUntilReady(), prechecks.waitUntilReady()]);
    },
    async close() {
      shuttingDown = true;
      await Promise.all([migrations.close(), prechecks.close()]);
      await jobs.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
