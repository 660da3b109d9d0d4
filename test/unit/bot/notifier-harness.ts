/** Shared by the notifier's unit tests: a Slack-like fake on a fixed clock, and events handed over one by one. */
import { afterEach, beforeEach, vi } from 'vitest';
import type { Notifier } from '../../../src/bot/notifier.js';
import type { ProgressEvent } from '../../../src/domain/migration/events.js';
import type { EventSource } from '../../../src/ports/event-stream.js';
import { createFakeChatPlatform, type FakeChatPlatform } from '../../support/fake-chat-platform.js';

export const noEvents: EventSource = { subscribe: async () => async () => {} };

/** Handles the events in order, then delivers every queued edit. */
export async function play(notifier: Notifier, events: ProgressEvent[]): Promise<void> {
  for (const event of events) await notifier.handle(event);
  const flushed = notifier.flush();
  await vi.runAllTimersAsync();
  await flushed;
}

/** Fake timers at 2026-01-01 for each test; `slack()` is that test's fresh Slack channel C-test. */
export function slackOnFakeClock(): () => FakeChatPlatform {
  let slack: FakeChatPlatform | undefined;
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse('2026-01-01T00:00:00Z'));
    slack = createFakeChatPlatform({ platform: 'slack', channel: 'C-test' });
  });
  afterEach(() => vi.useRealTimers());
  return () => {
    if (!slack) throw new Error('slackOnFakeClock: used outside a test');
    return slack;
  };
}
