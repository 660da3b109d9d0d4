/** PostLedger on Redis (src/ports/post-ledger.ts): one JSON value per post, expiring after 7 days. */
import { AppError } from '../../errors.js';
import type { PostedRef, PostLedger } from '../../ports/post-ledger.js';
import type { RedisClient } from './redis-client.js';
import { stateKeys } from './state-keys.js';

const TTL_SECONDS = 7 * 24 * 3600;

/**
 * `replicated`: behind Sentinel, a post's record is waited onto a replica (WAIT) before the event moves on, so a
 * failover (asynchronous replication) does not forget it and make the event's redelivery post again.
 */
export function createRedisPostLedger(redis: RedisClient, prefix: string, replicated = false): PostLedger {
  const keys = stateKeys(prefix);
  const wrap = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch {
      // Not the error as the cause: ioredis keeps the command's arguments on it.
      throw new AppError('REDIS_UNAVAILABLE', 'Redis unavailable: could not read or record a chat post', {
        retryable: true,
      });
    }
  };
  return {
    async get(key) {
      const raw = await wrap(() => redis.get(keys.posted(key)));
      return raw ? (JSON.parse(raw) as PostedRef) : undefined;
    },
    async set(key, ref) {
      await wrap(() => redis.set(keys.posted(key), JSON.stringify(ref), 'EX', TTL_SECONDS));
      if (replicated) await redis.call('WAIT', 1, 500).catch(() => undefined);
    },
  };
}
