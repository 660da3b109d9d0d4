/**
 * What a thread says when a migration is paused or carries on after a restart: "pausing…" until the step ends,
 * a line when the pause is asked for and when it is taken, a line when a worker resumes an interrupted step
 * (with the node's steps from before the restart kept), and the ETA both as ACK estimates it and as the demo runs.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createNotifier } from '../../../src/bot/notifier.js';
import type { ThreadRecord } from '../../../src/bot/thread-record.js';
import { renderPlainText } from '../../../src/chat/core/render-text.js';
import type { MigrationSummary, ProgressEvent } from '../../../src/domain/migration/events.js';
import { createMemoryThreadStore } from '../../../src/stores/memory/thread-store.js';
import type { FakeChatPlatform } from '../../support/fake-chat-platform.js';
import { migrationEvents } from './migration-events.js';
import { noEvents, play, slackOnFakeClock } from './notifier-harness.js';

function summaryAt(events: ProgressEvent[], i: number): MigrationSummary {
  const event = events[i];
  if (!event || !('migration' in event)) throw new Error(`fixture: no migration event at ${i}`);
  return event.migration;
}

const field = (message: { fields?: Array<{ label: string; value: string }> }, label: string) =>
  message.fields?.find((f) => f.label === label)?.value;

describe('pause and resume in the thread', () => {
  const channel = slackOnFakeClock();
  let slack: FakeChatPlatform;
  beforeEach(() => {
    slack = channel();
  });

  it('shows "pausing…" while the step ends, and says in the thread when the pause is asked for and taken', async () => {
    const notifier = createNotifier({ platforms: [slack], events: noEvents, threads: createMemoryThreadStore() });
    const events = migrationEvents({ approvals: false });
    const running = events.findIndex((e) => e.type === 'node.step' && e.batch === 2);
    const m = summaryAt(events, running);
    const asked: ProgressEvent = {
      type: 'migration.state',
      at: '2026-01-01T00:10:00.000Z',
      migration: { ...m, pausingBy: 'U-req' },
      by: 'U-req',
      reason: 'pause requested by U-req (slack): it takes effect when the current step ends',
    };
    await play(notifier, [...events.slice(0, running + 1), asked]);
    const parent = slack.messages().find((x) => !x.threadId)!;
    expect(field(parent.message, 'State')).toBe('⏸️ pausing… (asked by U-req)');
    const thread = () => slack.thread(parent.ref.messageId).map((x) => renderPlainText(x.message));
    expect(thread().at(-1)).toContain('Pause requested by U-req: pausing…');

    const paused: ProgressEvent = {
      type: 'migration.state',
      at: '2026-01-01T00:10:30.000Z',
      migration: { ...m, state: 'paused', reason: 'paused by U-req (slack)' },
      by: 'U-req',
    };
    await play(notifier, [paused, paused]);
    expect(field(parent.message, 'State')).toBe('⏸️ paused');
    expect(thread().filter((t) => t.startsWith('⏸️ Paused'))).toEqual([
      '⏸️ Paused: paused by U-req (slack). `/migrate resume pool-a` carries on, `/migrate abort pool-a` stops for good.',
    ]);
  });

  it('after a restart, says the migration resumed and keeps the steps the node went through before', async () => {
    const threads = createMemoryThreadStore<ThreadRecord>();
    const events = migrationEvents({ approvals: false, plan: [['pool-a-1', 'pool-a-2']] });
    // Stopped while both nodes are down: cordon, drain and stop are behind them.
    const cut = events.findIndex((e) => e.type === 'node.step' && e.entry.step === 'replace-disk');
    const first = createNotifier({ platforms: [slack], events: noEvents, threads });
    await play(first, events.slice(0, cut));
    await first.stop();

    const second = createNotifier({ platforms: [slack], events: noEvents, threads });
    const m = summaryAt(events, cut);
    const resumed: ProgressEvent = { type: 'migration.state', at: events[cut]!.at, migration: m, resumed: true };
    await play(second, [resumed, ...events.slice(cut, cut + 2)]);
    const parent = slack.messages().find((x) => !x.threadId)!;
    const thread = slack.thread(parent.ref.messageId);
    expect(renderPlainText(thread.at(-1)!.message)).toMatch(/^▶️ Resumed at batch 1 of 1 after an interruption/);
    const batch = thread[0]!.message;
    expect(batch.timeline?.[0]?.detail).toMatch(/^cordon \d+s › drain \d+s › stop \d+s › replace disk/);
  });

  it('shows the ETA as ACK estimates it and as the demo runs', async () => {
    const notifier = createNotifier({
      platforms: [slack],
      events: noEvents,
      threads: createMemoryThreadStore(),
      timeScale: 0.004,
    });
    await play(notifier, migrationEvents({ approvals: false }).slice(0, 3));
    const parent = slack.messages().find((x) => !x.threadId)!;
    expect(field(parent.message, 'ETA')).toBe("~24m (ACK's estimate) · ~6s in this demo");
  });
});
