/**
 * The worker's assembly (docs/architecture.md#processes-and-data-flow): the Redis stores, the queue producer
 * (for wake-ups and the pool lease's liveness check), the pipeline's dependencies, the job processors of jobs/
 * and the BullMQ workers that run them. `ack-migrate worker`, `dev`, tests and benchmarks start it here.
 */
import { createCleanupProcessor } from '../../jobs/cleanup.js';
import { createFleetScanProcessor } from '../../jobs/fleet-scan.js';
import { createLookupPoolProcessor } from '../../jobs/lookup-pool.js';
import { createMigrateProcessor } from '../../jobs/migrate.js';
import { createPrecheckProcessor } from '../../jobs/precheck.js';
import type { Logger } from '../log/logger.js';
import { type RedisErrorLog, redisErrorLog } from '../log/redis-errors.js';
import type { CloudGateway } from '../ports/cloud-gateway.js';
import type { ClusterAccess } from '../ports/cluster-access.js';
import type { ClusterGateway } from '../ports/cluster-gateway.js';
import { BullMigrationJobs } from '../queue/bullmq-jobs.js';
import { type RunningWorkers, startBullWorkers } from '../queue/bullmq-workers.js';
import { type QueueSettings, releaseConnections } from '../queue/queues.js';
import { clusterPolicy, type PolicySource } from '../services/cluster-policy.js';
import { awaitingApprovalEvent } from '../services/migration-events.js';
import type { RunnerDeps } from '../services/pipeline/context.js';
import { stopTheLineForJob } from '../services/pipeline/job-failure.js';
import { killSwitch } from '../services/pipeline/kill-switch.js';
import { DEFAULT_TIMING, type Timing } from '../services/pipeline/timing.js';
import { runPrecheck } from '../services/precheck-service.js';
import { dedupKeyOf } from '../services/start-migration.js';
import { openRedisStores } from '../stores/redis/redis-stores.js';
import { type ReconcileReport, reconcileMigrations } from './reconciler.js';

export type { RunningWorkers };

export interface WorkerSettings extends QueueSettings {
  config: PolicySource;
  cluster: ClusterGateway;
  cloud: CloudGateway;
  /** A fleet: each cluster's own gateways (docs/architecture.md#fleet); `cluster` and `cloud` serve the rest. */
  access?: ClusterAccess;
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
  /** Every Redis connection's errors, one line each (default: a RedisErrorLog on `logger`). */
  errors?: RedisErrorLog;
  /**
   * Skip the reconciler (src/app/reconciler.ts), or tune it: records younger than `graceMs` are left alone; it runs
   * at start and then every `everyMs` (default 60 s: a Redis failover may lose a job's last move).
   */
  reconcile?: false | { graceMs?: number; everyMs?: number };
  /** What the start-up reconciler found (tests). */
  onReconciled?: (report: ReconcileReport) => void;
}

const realSleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

export function startWorkers(settings: WorkerSettings): RunningWorkers {
  const { logger } = settings;
  const errors = settings.errors ?? redisErrorLog({ url: settings.redisUrl, logger });
  const stores = openRedisStores({ url: settings.redisUrl, prefix: settings.prefix, waitForReconnect: true, errors });
  const jobs = new BullMigrationJobs({ ...settings, errors });
  const now = settings.now ?? (() => new Date());
  const sleep = settings.sleep ?? realSleep;
  const timing = settings.timing ?? DEFAULT_TIMING;
  const store = stores.migrations;
  const precheckDeps = {
    cluster: settings.cluster,
    cloud: settings.cloud,
    defaultClusterId: settings.config.defaultClusterId,
    access: settings.access,
    fleet: settings.config.file.clusters.map((c) => c.id),
  };
  const runner: RunnerDeps = {
    store,
    decisions: stores.decisions,
    events: stores.events,
    lease: stores.lease(async (holder) => {
      const r = await store.get(holder);
      if (!r || r.state === 'completed' || r.state === 'aborted') return false;
      return jobs.isAlive(holder);
    }),
    cluster: settings.cluster,
    cloud: settings.cloud,
    access: settings.access,
    config: settings.config,
    timing,
    precheck: (request) => runPrecheck(precheckDeps, request),
    kill: killSwitch(settings.killAt),
    audit: async (entry) => {
      await stores.audit.append(entry);
    },
    logger,
    now,
    sleep,
    nonce: () => globalThis.crypto.randomUUID(),
  };
  const workers = startBullWorkers({
    redisUrl: settings.redisUrl,
    prefix: settings.prefix,
    logger,
    errors,
    processors: {
      migrate: createMigrateProcessor(runner),
      cleanup: createCleanupProcessor({
        store,
        cloud: settings.cloud,
        access: settings.access,
        events: stores.events,
        audit: runner.audit,
        logger,
        now,
        sleep,
        pollMs: timing.minPollMs,
        timeoutMs: timing.commandTimeoutMs,
      }),
      precheck: createPrecheckProcessor({ precheck: precheckDeps, events: stores.events, now }),
      lookupPool: createLookupPoolProcessor(precheckDeps),
      fleetScan: createFleetScanProcessor({
        ...precheckDeps,
        store,
        discover: settings.config.file.settings.discover,
        concurrency: settings.config.file.settings.fleetConcurrency,
      }),
      migrationFailed: async (migrationId, error) => {
        await stopTheLineForJob(runner, migrationId, error);
      },
    },
    ...(settings.concurrency !== undefined ? { concurrency: settings.concurrency } : {}),
    ...(settings.lockDurationMs !== undefined ? { lockDurationMs: settings.lockDurationMs } : {}),
    ...(settings.stalledIntervalMs !== undefined ? { stalledIntervalMs: settings.stalledIntervalMs } : {}),
    ...(settings.maxStalledCount !== undefined ? { maxStalledCount: settings.maxStalledCount } : {}),
    ...(settings.name ? { name: settings.name } : {}),
  });
  const reconcile = async () => {
    if (settings.reconcile === false) return;
    try {
      const report = await reconcileMigrations({
        store,
        logger,
        now,
        ...(settings.reconcile?.graceMs !== undefined ? { graceMs: settings.reconcile.graceMs } : {}),
        park: (migrationId, error) => stopTheLineForJob(runner, migrationId, error),
        remind: async (record) => {
          await stores.events.publish(
            awaitingApprovalEvent(record, clusterPolicy(settings.config, record.clusterId), now()),
          );
        },
        jobs: {
          stateOf: (id) => jobs.migrations.getJobState(id),
          failedReason: async (id) => (await jobs.migrations.getJob(id))?.failedReason,
          requeue: async (record) => {
            const state = await jobs.migrations.getJobState(record.id);
            if (state === 'completed') await jobs.migrations.remove(record.id);
            await jobs.wake(record.id, dedupKeyOf(record));
          },
        },
      });
      if (report.resumed.length + report.parked.length > 0) logger.warn(report, 'reconciler: migrations repaired');
      settings.onReconciled?.(report);
    } catch (error) {
      logger.warn({ err: error }, 'reconciler could not look at the migrations');
    }
  };
  let timer: NodeJS.Timeout | undefined;
  return {
    async ready() {
      await workers.ready();
      await reconcile();
      if (settings.reconcile !== false) {
        timer = setInterval(() => void reconcile(), settings.reconcile?.everyMs ?? 60_000);
        timer.unref();
      }
    },
    async close() {
      clearInterval(timer);
      await workers.close();
      await jobs.close();
      releaseConnections(settings);
      await stores.close();
    },
  };
}
