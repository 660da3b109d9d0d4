/**
 * The chat messages posted per event (docs/architecture.md#high-availability): the notifier records the message
 * it posted under the event's id and the post's place in that event's handling, so an event delivered again
 * (its replica died after posting and before acknowledging) edits that message instead of posting a second one.
 */
import type { Platform } from '../domain/migration/events.js';

export interface PostedRef {
  platform: Platform;
  channel: string;
  messageId: string;
  threadId?: string;
}

export interface PostLedger {
  get(key: string): Promise<PostedRef | undefined>;
  set(key: string, ref: PostedRef): Promise<void>;
}
