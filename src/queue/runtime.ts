/**
 * The migration side as the bot and the CLI use it: one Redis connection, the queues (producer only), the
 * MigrationService and the progress-event source. `close()` releases everything so a CLI command can exit.
 */
import { Redis } from 'ioredis';
import { AuditLog } from '../services/audit-log.js';
import type { PolicySource } from '../services/cluster-policy.js';
import { DecisionStore } from '../services/decision-store.js';
import { RedisEventPublisher, RedisEventSource, type SubscriberOptions } from '../services/event-stream.js';
import { RedisMigrationService } from '../services/migration-service.js';
import { MigrationStore } from '../services/migration-store.js';
import { BullMigrationJobs } from './bullmq-jobs.js';
import type { QueueSettings } from './queues.js';

export interface MigrationClient {
  service: RedisMigrationService;
  /** Progress events (the notifier's EventSource). */
  events: RedisEventSource;
  store: MigrationStore;
  jobs: BullMigrationJobs;
  redis: Redis;
  close(): Promise<void>;
}

export interface MigrationClientOptions extends QueueSettings {
  config: PolicySource;
  events?: SubscriberOptions;
  now?: () => Date;
}

export function createMigrationClient(options: MigrationClientOptions): MigrationClient {
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
  const jobs = new BullMigrationJobs(options);
  const store = new MigrationStore(redis, options.prefix);
  const service = new RedisMigrationService({
    config: options.config,
    store,
    decisions: new DecisionStore(redis, options.prefix),
    audit: new AuditLog(redis, options.prefix, options.now),
    events: new RedisEventPublisher(redis, options.prefix),
    jobs,
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    service,
    events: new RedisEventSource(redis, options.prefix, options.events),
    store,
    jobs,
    redis,
    async close() {
      await jobs.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
