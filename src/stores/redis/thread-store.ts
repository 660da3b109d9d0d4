/** ThreadStore on Redis: one JSON value per migration plus a thread-id index, both expiring after 30 days. */
import type { Redis } from 'ioredis';
import { AppError } from '../../errors.js';
import { type ThreadRecordBase, type ThreadStore, threadKey } from '../../ports/thread-store.js';

const TTL_SECONDS = 30 * 24 * 3600;

/**
 * `prefix` namespaces the keys; give it a `{hash-tag}` (e.g. `{ack-migrate}`) on Redis Cluster so a record and
 * its index land in the same slot. `replicated`: behind Sentinel a record is waited onto a replica (WAIT), as the
 * post ledger's are: a failover (asynchronous replication) that forgot a batch's reply would post it again.
 */
export function createRedisThreadStore<R extends ThreadRecordBase>(
  redis: Redis,
  prefix = 'ack-migrate',
  replicated = false,
): ThreadStore<R> {
  const recordKey = (id: string) => `${prefix}:chat:thread:${id}`;
  const indexKey = (key: string) => `${prefix}:chat:thread-index:${key}`;
  const wrap = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw new AppError('REDIS_UNAVAILABLE', `could not ${what} the chat thread record`, {
        cause: error,
        retryable: true,
      });
    }
  };
  return {
    async get(migrationId) {
      const raw = await wrap('read', () => redis.get(recordKey(migrationId)));
      return raw ? (JSON.parse(raw) as R) : undefined;
    },
    async set(record) {
      const key = threadKey(record.platform, record.channel, record.parent.messageId);
      await wrap('write', () =>
        redis
          .multi()
          .set(recordKey(record.migrationId), JSON.stringify(record), 'EX', TTL_SECONDS)
          .set(indexKey(key), record.migrationId, 'EX', TTL_SECONDS)
          .exec(),
      );
      if (replicated) await redis.call('WAIT', 1, 500).catch(() => undefined);
    },
    async findByThread(platform, channel, threadId) {
      const id = await wrap('read', () => redis.get(indexKey(threadKey(platform, channel, threadId))));
      return id ?? undefined;
    },
  };
}
