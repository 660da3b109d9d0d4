/**
 * The chat messages posted per event (docs/architecture.md#high-availability): the notifier records the message
 * it posted under the event's id and the post's place in that event's handling, so an event delivered again
 * (its replica died after posting and before acknowledging) edits that message instead of posting a second one.
 *
 * Before posting, a bot claims the post: two bots handling one event at once (one's lease stalled and passed
 * to the other while it was posting) must not both post. A claim lapses after its time, so a bot that died
 * holding one delays the post, never loses it.
 */
import type { Platform } from '../domain/migration/events.js';

export interface PostedRef {
  platform: Platform;
  channel: string;
  messageId: string;
  threadId?: string;
}

/** What a claim found: the message already posted, the claim taken (post now), or another bot's live claim. */
export type PostClaim =
  | { kind: 'posted'; ref: PostedRef }
  /** Post now; `mayExist`: an earlier try failed without knowing whether the message went out. */
  | { kind: 'claimed'; mayExist: boolean }
  | { kind: 'busy' };

export interface PostLedger {
  get(key: string): Promise<PostedRef | undefined>;
  /** Takes (or renews, for the same holder) the claim to post under key for ttlMs, unless posted or held. */
  claim(key: string, holder: string, ttlMs: number): Promise<PostClaim>;
  /**
   * Gives a claim back (the post failed): the next delivery posts. Only the holder's own claim. `unsure`: the
   * failure left it unknown whether the message went out; the next claim says so (`mayExist`).
   */
  release(key: string, holder: string, unsure?: boolean): Promise<void>;
  /** Records the message posted under key (replacing the claim). */
  set(key: string, ref: PostedRef): Promise<void>;
}
