/**
 * One ioredis client for any form of REDIS_URL (src/config/redis-url.ts, docs/contracts.md#configuration): a
 * plain URL, a Sentinel set (ioredis asks the Sentinels for the master and follows a failover), or a Redis Cluster.
 */
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { parseRedisUrl, redisClientFields } from '../../config/redis-url.js';
import type { RedisClient } from './redis-client.js';

export function connectRedis(url: string, options: RedisOptions = {}): RedisClient {
  const t = parseRedisUrl(url);
  if (t.kind === 'single') return new Redis(url, options);
  const fields = redisClientFields(url) as RedisOptions;
  if (t.kind === 'sentinel') return new Redis({ ...fields, ...options });
  return new Cluster(t.nodes, { redisOptions: { ...fields, ...options } });
}
