import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadRecord } from '../../../src/bot/thread-record.js';
import { createRedisThreadStore } from '../../../src/stores/redis/thread-store.js';
import { connectTestRedis, testPrefix } from '../../support/redis.js';

describe('Redis thread store', () => {
  let redis: Redis;
  let prefix: string;
  beforeAll(async () => {
    redis = await connectTestRedis();
    prefix = testPrefix('threads');
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  const record: ThreadRecord = {
    migrationId: 'mig-pool-a-01J',
    kind: 'migration',
    platform: 'slack',
    channel: 'C-ops',
    parent: { platform: 'slack', channel: 'C-ops', messageId: '1700000000.000100' },
    requester: 'U-req',
    batches: {
      '1': { platform: 'slack', channel: 'C-ops', messageId: '1700000000.000200', threadId: '1700000000.000100' },
    },
    alerts: {},
    milestones: [],
  };

  it('keeps a record across store instances (a bot restart) and finds it by its thread', async () => {
    await createRedisThreadStore(redis, prefix).set(record);
    const restarted = createRedisThreadStore(redis, prefix);
    expect(await restarted.get('mig-pool-a-01J')).toEqual(record);
    expect(await restarted.findByThread('slack', 'C-ops', '1700000000.000100')).toBe('mig-pool-a-01J');
    expect(await restarted.findByThread('slack', 'C-other', '1700000000.000100')).toBeUndefined();
    expect(await restarted.get('mig-unknown')).toBeUndefined();
    expect(await redis.ttl(`${prefix}:chat:thread:mig-pool-a-01J`)).toBeGreaterThan(29 * 24 * 3600);
  });

  it('turns a Redis failure into a retryable REDIS_UNAVAILABLE error', async () => {
    const { Redis: RedisClient } = await import('ioredis');
    const dead = new RedisClient('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
    await expect(createRedisThreadStore(dead, prefix).get('x')).rejects.toMatchObject({
      code: 'REDIS_UNAVAILABLE',
      retryable: true,
    });
    dead.disconnect();
  });
});
