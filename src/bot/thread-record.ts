/**
 * What the notifier keeps of each migration's chat messages (parent, batch replies, alerts), stored through the
 * ThreadStore port (src/ports/thread-store.ts).
 */
import type { MessageRef } from '../chat/core/chat-platform.js';
import type { BatchView } from '../chat/core/migration-view.js';
import type { ThreadStore } from '../ports/thread-store.js';

export interface ThreadRecord {
  /** A migration id, or `precheck:<pool>:<time>` for a precheck thread. */
  migrationId: string;
  kind: 'migration' | 'precheck';
  platform: MessageRef['platform'];
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

export type BotThreadStore = ThreadStore<ThreadRecord>;
