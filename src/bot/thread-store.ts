/**
 * Where the notifier remembers the chat messages of each migration (parent, batch replies, alerts), so a bot
 * restart keeps posting into the same thread, and so the dispatcher can tell a migration thread from any other.
 */
import type { MessageRef } from '../chat/core/chat-platform.js';
import type { BatchView } from '../chat/core/migration-view.js';
import type { Platform } from '../domain/migration/events.js';

export interface ThreadRecord {
  /** A migration id, or `precheck:<pool>:<time>` for a precheck thread. */
  migrationId: string;
  kind: 'migration' | 'precheck';
  platform: Platform;
  channel: string;
  /** The parent message (Slack, console) or the one card (DingTalk). */
  parent: MessageRef;
  requester: string;
  /** Batch number → its thread reply. */
  batches: Record<string, MessageRef>;
  /** Failure alerts by their nonce. */
  alerts: Record<string, MessageRef>;
  /** Milestones already posted (DingTalk), so a replayed event does not post twice. */
  milestones: string[];
  final?: MessageRef;
  /** The latest batch's state, so a restarted bot keeps the steps it already showed. */
  batch?: BatchView;
}

export interface ThreadStore {
  get(migrationId: string): Promise<ThreadRecord | undefined>;
  set(record: ThreadRecord): Promise<void>;
  /** The migration (or precheck) whose thread this is, if any. */
  findByThread(platform: Platform, channel: string, threadId: string): Promise<string | undefined>;
}

/** Thread id of the parent, as the platform delivers it on replies (Slack thread_ts, console message id). */
export function threadKey(platform: Platform, channel: string, threadId: string): string {
  return `${platform}:${channel}:${threadId}`;
}

export function createMemoryThreadStore(): ThreadStore & { records(): ThreadRecord[] } {
  const records = new Map<string, ThreadRecord>();
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
