/**
 * Coalesces edits of the same chat message: at most one send per `minIntervalMs` per key, always the newest
 * value, and the newest value is always the last one delivered. A rate-limit error (429) is waited out per its
 * Retry-After and the newest value is sent then; nothing is lost, only skipped intermediate states.
 *
 * Why: a migration batch moves a dozen nodes through ten steps each; editing the batch message on every step
 * would hit Slack's Tier-3 limit and flood DingTalk. Users only need the current picture.
 */
import { retryAfterMs } from './rate-limit.js';

export interface CoalescerOptions<V> {
  send(key: string, value: V): Promise<void>;
  /** Minimum time between two sends of the same key (default 1000 ms). */
  minIntervalMs?: number;
  /** Wait this long after the first push before sending, so a burst of events becomes one edit (default 0). */
  settleMs?: number;
  /**
   * Attempts for errors that are neither rate limits nor marked non-retryable (default 8: backoff from 0.5 s, capped
   * at 30 s, about a minute in all). Giving up after a second's outage left a parent message in its last-but-one
   * state for good when the outage hit the final edit.
   */
  attempts?: number;
  /** Called when a value is given up on (a non-retryable error, or retries exhausted). */
  onError?(key: string, error: unknown): void;
}

export interface PushOptions {
  /**
   * Send no earlier than this many ms from now, unless an earlier send is already due. Low-value updates (a
   * node moved one step) use a long delay; milestones use none, and carry the low-value changes with them.
   */
  delayMs?: number;
}

interface Entry<V> {
  value: V | undefined;
  version: number;
  sentVersion: number;
  lastSentAt: number;
  /** Earliest time the pending value was asked to go out. */
  wantedAt: number;
  blockedUntil: number;
  failures: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  timerAt: number;
  inFlight: boolean;
}

export interface Coalescer<V> {
  push(key: string, value: V, options?: PushOptions): void;
  /** Sends every pending value as soon as the interval and rate limits allow; resolves when all are delivered. */
  flush(): Promise<void>;
  /** Keys with a value not yet delivered. */
  pendingKeys(): string[];
}

export function createCoalescer<V>(options: CoalescerOptions<V>): Coalescer<V> {
  const minInterval = options.minIntervalMs ?? 1000;
  const settle = options.settleMs ?? 0;
  const attempts = options.attempts ?? 8;
  const entries = new Map<string, Entry<V>>();
  let urgent = 0;
  let idleWaiters: Array<() => void> = [];

  const isIdle = (e: Entry<V>) => !e.inFlight && e.version === e.sentVersion;

  function checkIdle(): void {
    for (const e of entries.values()) if (!isIdle(e)) return;
    urgent = 0;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  }

  function schedule(key: string, e: Entry<V>): void {
    if (e.inFlight || e.version === e.sentVersion) return;
    const now = Date.now();
    const due = Math.max(urgent > 0 ? now : e.wantedAt, e.lastSentAt + minInterval, e.blockedUntil, now);
    if (e.timer !== undefined) {
      if (e.timerAt <= due) return;
      clearTimeout(e.timer);
    }
    e.timerAt = due;
    e.timer = setTimeout(() => {
      e.timer = undefined;
      void fire(key, e);
    }, due - now);
  }

  async function fire(key: string, e: Entry<V>): Promise<void> {
    if (e.inFlight || e.version === e.sentVersion) return;
    const version = e.version;
    const value = e.value as V;
    e.inFlight = true;
    e.wantedAt = Number.POSITIVE_INFINITY;
    try {
      await options.send(key, value);
      e.sentVersion = version;
      e.lastSentAt = Date.now();
      e.failures = 0;
    } catch (error) {
      const wait = retryAfterMs(error);
      const now = Date.now();
      // The value did not go out, so it (or a newer one) is still wanted now.
      e.wantedAt = Math.min(e.wantedAt, now);
      if (wait !== undefined) {
        // Keep trying: the newest value (this one or a newer push) goes out once the platform lets us.
        e.blockedUntil = now + wait;
      } else {
        e.failures += 1;
        const retryable = !(error instanceof Error && 'retryable' in error && error.retryable === false);
        if (retryable && e.failures < attempts) {
          e.blockedUntil = now + Math.min(30_000, 250 * 2 ** e.failures);
        } else {
          e.failures = 0;
          if (e.version === version) e.sentVersion = version;
          options.onError?.(key, error);
        }
      }
    } finally {
      e.inFlight = false;
      if (e.version === e.sentVersion) {
        entries.delete(key);
        e.value = undefined;
        // Remember when it was sent, so the next push still honours the interval.
        lastSent.set(key, e.lastSentAt);
      } else {
        schedule(key, e);
      }
      checkIdle();
    }
  }

  // Send times of keys with nothing pending; pruned lazily, they only matter within one interval.
  const lastSent = new Map<string, number>();

  return {
    push(key, value, pushOptions = {}) {
      const now = Date.now();
      let e = entries.get(key);
      if (!e) {
        const sentAt = lastSent.get(key) ?? Number.NEGATIVE_INFINITY;
        lastSent.delete(key);
        if (lastSent.size > 1000) {
          for (const [k, t] of lastSent) if (t + minInterval < now) lastSent.delete(k);
        }
        e = {
          value: undefined,
          version: 0,
          sentVersion: 0,
          lastSentAt: sentAt,
          wantedAt: Number.POSITIVE_INFINITY,
          blockedUntil: 0,
          failures: 0,
          timer: undefined,
          timerAt: 0,
          inFlight: false,
        };
        entries.set(key, e);
      }
      e.value = value;
      e.version += 1;
      e.wantedAt = Math.min(e.wantedAt, now + Math.max(settle, pushOptions.delayMs ?? 0));
      schedule(key, e);
    },
    flush() {
      if ([...entries.values()].every(isIdle)) return Promise.resolve();
      urgent += 1;
      for (const [key, e] of entries) schedule(key, e);
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    pendingKeys() {
      return [...entries].filter(([, e]) => !isIdle(e)).map(([k]) => k);
    },
  };
}
