import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';

export function redisUrl(): string {
  return inject('redisUrl');
}

/** A connection for one test file, failing fast with a clear message when Redis is not reachable. */
export async function connectTestRedis(): Promise<Redis> {
  const url = redisUrl();
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `Redis at ${url} is not reachable: ${(error as Error).message}. Set REDIS_URL or install redis-server.`,
    );
  }
  return redis;
}

/** A unique BullMQ/key prefix so test files never see each other's data. */
export function testPrefix(name: string): string {
  return `test-${name}-${randomUUID().slice(0, 8)}`;
}
