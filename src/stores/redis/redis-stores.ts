/**
 * Every store port over one Redis connection (docs/architecture.md#stores): what the composition root
 * (src/app/) opens for the bot, the worker and the CLI. Keys live under `<prefix>:state:` beside the queues.
 */
import type { Redis } from 'ioredis';
import { parseRedisUrl } from '../../config/redis-url.js';
import { AppError } from '../../errors.js';
import { type RedisErrorLog, redisErrorLog } from '../../log/redis-errors.js';
import type { HolderAlive } from '../../ports/pool-lease.js';
import type { PostLedger } from '../../ports/post-ledger.js';
import type { ThreadRecordBase, ThreadStore } from '../../ports/thread-store.js';
import { RedisAuditLog } from './audit-log.js';
import { connectRedis } from './connect.js';
import { RedisDecisionStore } from './decision-store.js';
import { type GroupSourceOptions, RedisGroupEventSource } from './event-group.js';
import { RedisEventPublisher, RedisEventSource, type SubscriberOptions } from './event-stream.js';
import { RedisMigrationStore } from './migration-store.js';
import { RedisPoolLease } from './pool-lease.js';
import { createRedisPostLedger } from './post-ledger.js';
import { createRedisThreadStore } from './thread-store.js';

export interface RedisStoresOptions {
  url: string;
  prefix: string;
  now?: () => Date;
  /**
   * Commands wait for a reconnect instead of failing after a few retries (the worker: a migration rides out a
   * short Redis outage). Without it a command fails after 3 retries (the bot and the CLI answer a person).
   */
  waitForReconnect?: boolean;
  /**
   * Where the connection's errors go (src/log/redis-errors.ts: one line, never the error object, which carries
   * the AUTH password). Without it they are only remembered for `connected()`; never left to ioredis to print.
   */
  errors?: RedisErrorLog;
}

export interface RedisStores {
  migrations: RedisMigrationStore;
  decisions: RedisDecisionStore;
  audit: RedisAuditLog;
  events: RedisEventPublisher;
  eventSource(options?: SubscriberOptions): RedisEventSource;
  /** The events shared by every bot replica of `group` (src/stores/redis/event-group.ts). */
  sharedEventSource(options: GroupSourceOptions): RedisGroupEventSource;
  posts: PostLedger;
  threads<R extends ThreadRecordBase>(): ThreadStore<R>;
  lease(holderAlive: HolderAlive): RedisPoolLease;
  /** True when Redis answers PING (readiness). */
  ping(): Promise<boolean>;
  /** Resolves once Redis answers; else throws AppError('REDIS_UNAVAILABLE') with one line saying why. */
  connected(): Promise<void>;
  close(): Promise<void>;
}

const PING_TIMEOUT_MS = 2000;

/** PING with a deadline: a connection that waits for a reconnect would otherwise hold readiness checks. */
async function answersPing(redis: Redis): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((ok) => {
    timer = setTimeout(() => ok(false), PING_TIMEOUT_MS);
  });
  try {
    return await Promise.race([redis.ping().then((r) => r === 'PONG'), late]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function openRedisStores(options: RedisStoresOptions): RedisStores {
  // A Cluster client speaks the same commands; every key of the stores shares the prefix's {hash tag}, one slot.
  const redis = connectRedis(options.url, { maxRetriesPerRequest: options.waitForReconnect ? null : 3 }) as Redis;
  const errors = options.errors ?? redisErrorLog({ url: options.url });
  redis.on('error', errors);
  const { prefix } = options;
  const sentinel = parseRedisUrl(options.url).kind === 'sentinel';
  return {
    migrations: new RedisMigrationStore(redis, prefix, sentinel),
    decisions: new RedisDecisionStore(redis, prefix),
    audit: new RedisAuditLog(redis, prefix, options.now),
    events: new RedisEventPublisher(redis, prefix, sentinel),
    eventSource: (subscriber) => new RedisEventSource(redis, prefix, subscriber, errors),
    sharedEventSource: (group) => new RedisGroupEventSource(redis, prefix, group, errors),
    posts: createRedisPostLedger(redis, prefix, sentinel),
    threads: <R extends ThreadRecordBase>() => createRedisThreadStore<R>(redis, prefix, sentinel),
    lease: (holderAlive) => new RedisPoolLease(redis, prefix, holderAlive),
    ping: () => answersPing(redis),
    async connected() {
      try {
        await redis.ping();
      } catch (error) {
        // Not the error itself as the cause: ioredis keeps the AUTH arguments on it.
        throw new AppError('REDIS_UNAVAILABLE', errors.explain(error), { retryable: true });
      }
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
