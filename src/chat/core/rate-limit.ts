/**
 * Rate limits from chat APIs (Slack 429 with Retry-After, DingTalk throttling). Adapters throw either a
 * RateLimitedError or an AppError('CHAT_API') with `details.retryAfterMs`; the coalescer and the notifier wait
 * the given time and try again, so the latest state is never lost to a throttle.
 */
import { AppError, isAppError } from '../../errors.js';

export class RateLimitedError extends AppError {
  readonly retryAfterMs: number;

  constructor(retryAfterMs: number, message = 'chat API rate limit reached', cause?: unknown) {
    super('CHAT_API', message, {
      retryable: true,
      details: { retryAfterMs },
      ...(cause === undefined ? {} : { cause }),
    });
    this.retryAfterMs = retryAfterMs;
  }
}

/** How long the platform asked us to wait, or undefined when the error is not a rate limit. */
export function retryAfterMs(error: unknown): number | undefined {
  if (error instanceof RateLimitedError) return Math.max(0, error.retryAfterMs);
  if (isAppError(error) && error.code === 'CHAT_API') {
    const ms = error.details.retryAfterMs;
    if (typeof ms === 'number' && Number.isFinite(ms)) return Math.max(0, ms);
  }
  return undefined;
}

/**
 * A failure after which a post may or may not have reached the platform: a timeout, a dropped connection, a 5xx.
 * A rate limit (the platform said to wait) or a refusal means it did not.
 */
export function postOutcomeUnknown(error: unknown): boolean {
  return isAppError(error) && error.retryable && retryAfterMs(error) === undefined;
}

export interface RetryOptions {
  /** Attempts in total, the first included. */
  attempts?: number;
  /** Upper bound for one wait, so a bogus Retry-After cannot park the bot for hours. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `call`, waiting out rate limits (and retrying other retryable chat errors with a short backoff). Used
 * for posts, which cannot be coalesced: every thread reply must arrive.
 */
export async function withRateLimitRetry<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  const maxWait = options.maxWaitMs ?? 60_000;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts) throw error;
      const wait = retryAfterMs(error);
      if (wait !== undefined) await sleep(Math.min(wait, maxWait));
      else if (isAppError(error) && error.retryable) await sleep(Math.min(250 * 2 ** attempt, maxWait));
      else throw error;
    }
  }
}
