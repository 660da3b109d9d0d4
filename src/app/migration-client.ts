/**
 * The migration side as the bot and the CLI use it (docs/architecture.md#processes-and-data-flow): the Redis
 * stores, the queues (producer only), the MigrationService and the progress-event source. `close()` releases
 * everything so a CLI command can exit.
 */
import type { RedisErrorLog } from '../log/redis-errors.js';
import { secretMasker } from '../log/secret-mask.js';
import type { FleetScanner } from '../ports/fleet-scanner.js';
import { BullMigrationJobs } from '../queue/bullmq-jobs.js';
import { BullPoolDirectory } from '../queue/bullmq-pool-directory.js';
import { type QueueSettings, releaseConnections } from '../queue/queues.js';
import type { PolicySource } from '../services/cluster-policy.js';
import { MigrationServiceImpl } from '../services/migration-service.js';
import type { SubscriberOptions } from '../stores/redis/event-stream.js';
import { openRedisStores, type RedisStores } from '../stores/redis/redis-stores.js';
import { maskedAuditLog } from './masked-audit-log.js';
import {
  durableAuditLog,
  durableJobs,
  durablePublisher,
  type OutageOptions,
  refuseWhileRedisDown,
} from './redis-outage.js';

export interface MigrationClient {
  service: MigrationServiceImpl;
  /** Progress events (the notifier's EventSource). */
  events: ReturnType<RedisStores['eventSource']>;
  store: RedisStores['migrations'];
  stores: RedisStores;
  /** The fleet view, scanned by a worker. */
  fleet: FleetScanner;
  jobs: BullMigrationJobs;
  close(): Promise<void>;
}

export interface MigrationClientOptions extends QueueSettings {
  config: PolicySource;
  events?: SubscriberOptions;
  now?: () => Date;
  /** The process's own secrets (config.secrets), masked by value in the audit log; token shapes always are. */
  secrets?: readonly string[];
  /** Every Redis connection's errors, one line each (src/log/redis-errors.ts); default: remembered, not logged. */
  errors?: RedisErrorLog;
  /** How writes that follow an applied change ride out a Redis outage (src/app/redis-outage.ts). */
  outage?: OutageOptions;
}

export function createMigrationClient(options: MigrationClientOptions): MigrationClient {
  const stores = openRedisStores({
    url: options.redisUrl,
    prefix: options.prefix,
    ...(options.now ? { now: options.now } : {}),
    ...(options.errors ? { errors: options.errors } : {}),
  });
  const jobs = new BullMigrationJobs(options);
  const pools = new BullPoolDirectory(options);
  const outage = options.outage ?? {};
  // A change is refused while Redis does not answer; what follows an applied change is retried, not dropped.
  const service = refuseWhileRedisDown(
    new MigrationServiceImpl({
      config: options.config,
      store: stores.migrations,
      decisions: stores.decisions,
      audit: durableAuditLog(maskedAuditLog(stores.audit, secretMasker(options.secrets)), outage),
      events: durablePublisher(stores.events, outage),
      jobs: durableJobs(jobs, outage),
      pools,
      ...(options.now ? { now: options.now } : {}),
    }),
    () => stores.ping(),
  );
  return {
    service,
    events: stores.eventSource(options.events),
    store: stores.migrations,
    stores,
    fleet: pools,
    jobs,
    async close() {
      await Promise.all([jobs.close(), pools.close()]);
      releaseConnections(options);
      await stores.close();
    },
  };
}
