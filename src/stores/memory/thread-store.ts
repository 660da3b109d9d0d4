/** ThreadStore in memory (tests, the unit tier): the same contract as the Redis one. */
import { type ThreadRecordBase, type ThreadStore, threadKey } from '../../ports/thread-store.js';

export function createMemoryThreadStore<R extends ThreadRecordBase>(): ThreadStore<R> & { records(): R[] } {
  const records = new Map<string, R>();
  const index = new Map<string, string>();
  return {
    async get(migrationId) {
      const record = records.get(migrationId);
      return record ? structuredClone(record) : undefined;
    },
    async set(record) {
      records.set(record.migrationId, structuredClone(record));
      index.set(threadKey(record.platform, record.channel, record.parent.messageId), record.migrationId);
    },
    async findByThread(platform, channel, threadId) {
      return index.get(threadKey(platform, channel, threadId));
    },
    records() {
      return [...records.values()].map((r) => structuredClone(r));
    },
  };
}
