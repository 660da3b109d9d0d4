import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCoalescer } from '../../../../src/chat/core/coalescer.js';
import { RateLimitedError } from '../../../../src/chat/core/rate-limit.js';
import { AppError } from '../../../../src/errors.js';

describe('createCoalescer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function recorder(fail?: (value: number, n: number) => unknown) {
    const sent: Array<{ key: string; value: number; at: number }> = [];
    let n = 0;
    const send = async (key: string, value: number) => {
      n += 1;
      const error = fail?.(value, n);
      if (error) throw error;
      sent.push({ key, value, at: Date.now() });
    };
    return { sent, send };
  }

  it('sends the first value at once, then at most one per interval, always the newest, the newest last', async () => {
    const { sent, send } = recorder();
    const c = createCoalescer<number>({ send, minIntervalMs: 1000 });
    for (let v = 1; v <= 50; v++) {
      c.push('m1', v);
      await vi.advanceTimersByTimeAsync(100);
    }
    await vi.runAllTimersAsync();
    const values = sent.map((s) => s.value);
    expect(values[0]).toBe(1);
    expect(values.at(-1)).toBe(50);
    expect(values.length).toBeLessThanOrEqual(6);
    for (let i = 1; i < sent.length; i++) expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(1000);
    expect(c.pendingKeys()).toEqual([]);
  });

  it('keeps keys independent', async () => {
    const { sent, send } = recorder();
    const c = createCoalescer<number>({ send, minIntervalMs: 1000 });
    c.push('a', 1);
    c.push('b', 2);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.key).sort()).toEqual(['a', 'b']);
  });

  it('merges a burst within settleMs into one send', async () => {
    const { sent, send } = recorder();
    const c = createCoalescer<number>({ send, minIntervalMs: 1000, settleMs: 300 });
    c.push('m', 1);
    await vi.advanceTimersByTimeAsync(100);
    c.push('m', 2);
    c.push('m', 3);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent.map((s) => s.value)).toEqual([3]);
    expect(sent[0]!.at).toBe(300);
  });

  it('lets a delayed (low-value) push wait, and a later urgent push bring it forward', async () => {
    const { sent, send } = recorder();
    const c = createCoalescer<number>({ send, minIntervalMs: 1000 });
    c.push('m', 1, { delayMs: 10_000 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toEqual([]);
    c.push('m', 2);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.value)).toEqual([2]);
  });

  it('waits out a 429 per Retry-After and still delivers the final state', async () => {
    // The first three attempts are rate limited (2 s each); meanwhile newer values arrive.
    const { sent, send } = recorder((_v, n) => (n <= 3 ? new RateLimitedError(2000) : undefined));
    const c = createCoalescer<number>({ send, minIntervalMs: 1000 });
    c.push('m', 1);
    await vi.advanceTimersByTimeAsync(500);
    c.push('m', 2);
    await vi.advanceTimersByTimeAsync(2500);
    c.push('m', 3);
    await vi.runAllTimersAsync();
    expect(sent.map((s) => s.value)).toEqual([3]);
    expect(sent[0]!.at).toBeGreaterThanOrEqual(6000);
  });

  it("understands AppError('CHAT_API') with details.retryAfterMs as a rate limit", async () => {
    const limited = new AppError('CHAT_API', 'ratelimited', { details: { retryAfterMs: 3000 } });
    const { sent, send } = recorder((_v, n) => (n === 1 ? limited : undefined));
    const c = createCoalescer<number>({ send, minIntervalMs: 1000 });
    c.push('m', 7);
    await vi.advanceTimersByTimeAsync(2999);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.map((s) => s.value)).toEqual([7]);
  });

  it('gives up on a non-retryable error, reports it, and goes on with newer values', async () => {
    const errors: unknown[] = [];
    const { sent, send } = recorder((v) => (v === 1 ? new AppError('CHAT_API', 'message_not_found') : undefined));
    const c = createCoalescer<number>({ send, minIntervalMs: 1000, onError: (_k, e) => errors.push(e) });
    c.push('m', 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toHaveLength(1);
    c.push('m', 2);
    await vi.runAllTimersAsync();
    expect(sent.map((s) => s.value)).toEqual([2]);
  });

  it('retries a transient plain error a few times before giving up', async () => {
    const { sent, send } = recorder((_v, n) => (n <= 2 ? new Error('socket hang up') : undefined));
    const c = createCoalescer<number>({ send, minIntervalMs: 1000, attempts: 3 });
    c.push('m', 1);
    await vi.runAllTimersAsync();
    expect(sent.map((s) => s.value)).toEqual([1]);
  });

  it('by default keeps the newest value through a 20-second outage (5xx, network), so a final state is not lost', async () => {
    const errors: unknown[] = [];
    const outage = () =>
      Date.now() < 20_000
        ? new AppError('CHAT_API', 'Slack chat.update failed: HTTP 503', { retryable: true })
        : undefined;
    const { sent, send } = recorder(outage);
    const c = createCoalescer<number>({ send, minIntervalMs: 1000, onError: (_k, e) => errors.push(e) });
    c.push('parent', 1);
    await vi.runAllTimersAsync();
    expect(sent.map((s) => s.value)).toEqual([1]);
    expect(errors).toEqual([]);
  });

  it('flush sends pending values without waiting for their delay and resolves when delivered', async () => {
    const { sent, send } = recorder();
    const c = createCoalescer<number>({ send, minIntervalMs: 1000 });
    c.push('a', 1);
    c.push('b', 1, { delayMs: 60_000 });
    await vi.advanceTimersByTimeAsync(0);
    c.push('a', 2);
    const done = c.flush();
    await vi.advanceTimersByTimeAsync(1000);
    await done;
    expect(sent.filter((s) => s.key === 'a').map((s) => s.value)).toEqual([1, 2]);
    expect(sent.filter((s) => s.key === 'b').map((s) => s.value)).toEqual([1]);
    expect(Date.now()).toBeLessThan(60_000);
  });
});
