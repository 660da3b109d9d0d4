/**
 * Where the notifier remembers the chat messages of each migration (docs/architecture.md#chat-platforms), so a
 * bot restart keeps posting into the same thread and the dispatcher can tell a migration thread from any other.
 * The store keeps the record whole (JSON) and indexes it by its parent message; what else a record holds is the
 * bot's business (src/bot/thread-record.ts), hence the type parameter.
 */
import type { Platform } from '../domain/migration/events.js';

export interface ThreadRecordBase {
  /** A migration id, or `precheck:<pool>:<time>` for a precheck thread. */
  migrationId: string;
  platform: Platform;
  channel: string;
  /** The parent message (Slack, console) or the one card (DingTalk). */
  parent: { messageId: string };
}

export interface ThreadStore<R extends ThreadRecordBase> {
  get(migrationId: string): Promise<R | undefined>;
  set(record: R): Promise<void>;
  /** The migration (or precheck) whose thread this is, if any. */
  findByThread(platform: Platform, channel: string, threadId: string): Promise<string | undefined>;
}

/** Thread id of the parent, as the platform delivers it on replies (Slack thread_ts, console message id). */
export function threadKey(platform: Platform, channel: string, threadId: string): string {
  return `${platform}:${channel}:${threadId}`;
}
