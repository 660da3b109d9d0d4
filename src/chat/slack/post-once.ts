/**
 * chat.postMessage without posting twice (docs/architecture.md#high-availability). Slack has no idempotency key,
 * and a post whose answer timed out or came back as a 5xx may have been posted all the same (Slack answers late
 * under load). So each post carries a post id in its message metadata, and before it is sent again the thread (or
 * the channel's newest messages) is searched for it. A 429 is not retried here: nothing was posted, and the chat
 * core waits out the Retry-After.
 */
import { createHash, randomUUID } from 'node:crypto';
import { postOutcomeUnknown } from '../core/rate-limit.js';
import type { SlackWebApi } from './slack-web-api.js';

/** The metadata event type of every message the bot posts. */
export const POST_EVENT_TYPE = 'ack_migrate_post';
const ATTEMPTS = 3;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface PostOnceOptions {
  /**
   * The message's name in the post ledger (Target.post): its post id is derived from it, so a later try, even
   * from another bot, looks for the same id. Without it, a random id serves this call's own retries.
   */
  key?: string;
  /** An earlier try failed without knowing whether the message went out: look for it before posting. */
  mayExist?: boolean;
  attempts?: number;
  pauseMs?: number;
}

export async function postOnce(
  api: Pick<SlackWebApi, 'postMessage' | 'findPosted'>,
  params: Record<string, unknown> & { channel: string; thread_ts?: string },
  options: PostOnceOptions = {},
): Promise<{ channel: string; ts: string }> {
  const postId = options.key ? createHash('sha256').update(options.key).digest('hex').slice(0, 32) : randomUUID();
  const body = { ...params, metadata: { event_type: POST_EVENT_TYPE, event_payload: { post_id: postId } } };
  const attempts = options.attempts ?? ATTEMPTS;
  if (options.mayExist) {
    const ts = await api.findPosted(params.channel, params.thread_ts, postId);
    if (ts) return { channel: params.channel, ts };
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.postMessage(body);
    } catch (error) {
      if (!postOutcomeUnknown(error) || attempt >= attempts) throw error;
      // Give a late post a moment to land, then look for it before posting again.
      await sleep((options.pauseMs ?? 500) * attempt);
      const ts = await api.findPosted(params.channel, params.thread_ts, postId).catch(() => undefined);
      if (ts) return { channel: params.channel, ts };
    }
  }
}
