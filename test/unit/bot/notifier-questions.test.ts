/**
 * Questions in chat (blocker override, cleanup) after they are answered: the answered message keeps what it said
 * and loses its buttons on every platform, and later news (a pause) edits only the live messages.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createNotifier } from '../../../src/bot/notifier.js';
import type { ThreadRecord } from '../../../src/bot/thread-record.js';
import { renderPlainText } from '../../../src/chat/core/render-text.js';
import type { MigrationSummary, ProgressEvent } from '../../../src/domain/migration/events.js';
import { createMemoryThreadStore } from '../../../src/stores/memory/thread-store.js';
import { createFakeChatPlatform, type FakeChatPlatform } from '../../support/fake-chat-platform.js';
import { migrationEvents } from './migration-events.js';
import { noEvents, play, slackOnFakeClock } from './notifier-harness.js';

function started(): Extract<ProgressEvent, { type: 'migration.started' }> {
  const first = migrationEvents({ plan: [['pool-a-1'], ['pool-a-2']] })[0];
  if (first?.type !== 'migration.started') throw new Error('fixture');
  return first;
}

const state = (migration: MigrationSummary, patch: Partial<MigrationSummary>, by?: string): ProgressEvent => ({
  type: 'migration.state',
  at: migration.updatedAt,
  migration: { ...migration, ...patch },
  ...(by ? { by } : {}),
  ...(patch.reason ? { reason: patch.reason } : {}),
});

function cleanupRequest(migration: MigrationSummary): ProgressEvent {
  return {
    type: 'batch.awaiting-approval',
    at: migration.updatedAt,
    migration: { ...migration, state: 'completed' },
    batch: { index: 0, nodes: ['pool-a-1', 'pool-a-2'], evictions: [] },
    approval: { nonce: 'c1', expiresAt: '2026-01-02T00:00:00Z', subject: 'cleanup', approvers: ['U-boss'] },
    lastBatch: undefined,
  };
}

/** What the service publishes once a cleanup request is answered (src/services/cleanup-requests.ts). */
const cleanupAnswered = (migration: MigrationSummary, decision: 'approved' | 'rejected'): ProgressEvent => ({
  type: 'migration.state',
  at: migration.updatedAt,
  migration: { ...migration, state: 'completed' },
  by: 'U-boss',
  reason: `cleanup of pool-a ${decision} by U-boss${decision === 'approved' ? ': removing the old Docker directory' : ''}`,
});

describe('answered questions', () => {
  const channel = slackOnFakeClock();
  let slack: FakeChatPlatform;
  beforeEach(() => {
    slack = channel();
  });

  it('a pause edits the live messages only: the answered blocker override keeps its words', async () => {
    const notifier = createNotifier({ platforms: [slack], events: noEvents, threads: createMemoryThreadStore() });
    const first = started();
    const m = first.migration;
    const override: ProgressEvent = {
      type: 'batch.awaiting-approval',
      at: first.at,
      migration: { ...m, state: 'awaiting-approval', reason: 'the precheck found 1 blocker(s)' },
      batch: { index: 0, nodes: [], evictions: [] },
      approval: { nonce: 'o1', expiresAt: '2026-01-02T00:00:00Z', subject: 'override-blockers', approvers: [] },
      lastBatch: undefined,
    };
    await play(notifier, [first, override, state(m, { state: 'running' }, 'U-boss')]);
    const parent = slack.messages().find((x) => !x.threadId)!;
    const ask = slack.thread(parent.ref.messageId)[0]!;
    const answered = ask.versions.length;
    expect(renderPlainText(ask.message)).toContain('Resolved*: Approved by U-boss');

    await play(notifier, [state(m, { state: 'paused', reason: 'paused by U-req (slack)' }, 'U-req')]);
    expect(renderPlainText(parent.message)).toContain('paused by U-req');
    expect(ask.versions).toHaveLength(answered);
    expect(renderPlainText(ask.message)).toContain('the precheck found 1 blocker(s)');
    expect(renderPlainText(ask.message)).not.toContain('paused by U-req');
  });

  it('a cleanup request loses its Approve / Reject once answered, in the thread', async () => {
    const threads = createMemoryThreadStore<ThreadRecord>();
    const notifier = createNotifier({ platforms: [slack], events: noEvents, threads });
    const events = migrationEvents({ plan: [['pool-a-1'], ['pool-a-2']], approvals: false });
    const done = events.at(-1)!;
    if (done.type !== 'migration.finished') throw new Error('fixture');
    await play(notifier, [...events, cleanupRequest(done.migration)]);
    const parent = slack.messages().find((x) => !x.threadId)!;
    const ask = slack.thread(parent.ref.messageId).at(-1)!;
    expect(ask.message.buttons?.map((b) => b.label)).toEqual(['Approve cleanup', 'Reject']);

    await play(notifier, [cleanupAnswered(done.migration, 'approved')]);
    expect(ask.message.buttons ?? []).toEqual([]);
    expect(renderPlainText(ask.message)).toContain('Resolved*: Cleanup of pool-a approved by U-boss');
  });

  it('a cleanup request loses its Approve / Reject once answered, on the one card (DingTalk)', async () => {
    const ding = createFakeChatPlatform({ platform: 'dingtalk', supportsThreads: false, channel: 'cid-ops' });
    const notifier = createNotifier({ platforms: [ding], events: noEvents, threads: createMemoryThreadStore() });
    const origin = { platform: 'dingtalk' as const, channel: 'cid-ops', userId: 'staff-req' };
    const events = migrationEvents({ origin, plan: [['pool-a-1']], approvals: false });
    const done = events.at(-1)!;
    if (done.type !== 'migration.finished') throw new Error('fixture');
    await play(notifier, [...events, cleanupRequest(done.migration)]);
    const card = ding.messages()[0]!;
    expect(card.message.buttons?.map((b) => b.label)).toEqual(['Approve cleanup', 'Reject']);

    await play(notifier, [cleanupAnswered(done.migration, 'rejected')]);
    expect(card.message.buttons ?? []).toEqual([]);
  });
});
