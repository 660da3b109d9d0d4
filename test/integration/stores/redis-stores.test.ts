/** The store contract on the real test Redis (each factory call a fresh key prefix). */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { RedisAuditLog } from '../../../src/stores/redis/audit-log.js';
import { RedisDecisionStore } from '../../../src/stores/redis/decision-store.js';
import { RedisGroupEventSource } from '../../../src/stores/redis/event-group.js';
import { RedisEventPublisher, RedisEventSource } from '../../../src/stores/redis/event-stream.js';
import { RedisMigrationStore } from '../../../src/stores/redis/migration-store.js';
import { RedisPoolLease } from '../../../src/stores/redis/pool-lease.js';
import { createRedisPostLedger } from '../../../src/stores/redis/post-ledger.js';
import { createRedisThreadStore } from '../../../src/stores/redis/thread-store.js';
import { storeContract } from '../../contracts/stores.contract.js';
import { connectTestRedis, testPrefix } from '../../support/redis.js';

let redis: Redis;
beforeAll(async () => {
  redis = await connectTestRedis();
});
afterAll(async () => {
  await redis.quit();
});

storeContract('redis', {
  migrations: () => new RedisMigrationStore(redis, testPrefix('migrations')),
  decisions: () => new RedisDecisionStore(redis, testPrefix('decisions')),
  lease: (alive) => new RedisPoolLease(redis, testPrefix('lease'), alive),
  audit: () => new RedisAuditLog(redis, testPrefix('audit')),
  threads: () => {
    const prefix = testPrefix('threads');
    return { store: createRedisThreadStore(redis, prefix), restarted: () => createRedisThreadStore(redis, prefix) };
  },
  events: () => {
    const prefix = testPrefix('events');
    return {
      publisher: new RedisEventPublisher(redis, prefix),
      source: (consumer) => new RedisEventSource(redis, prefix, { consumer, blockMs: 100 }),
      shared: (replica) =>
        new RedisGroupEventSource(redis, prefix, { group: 'notifier', consumer: replica, leaseMs: 400, blockMs: 100 }),
    };
  },
  posts: () => createRedisPostLedger(redis, testPrefix('posts')),
});
