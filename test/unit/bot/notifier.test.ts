import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createNotifier, type Notifier } from '../../../src/bot/notifier.js';
import type { ThreadRecord } from '../../../src/bot/thread-record.js';
import { renderPlainText } from '../../../src/chat/core/render-text.js';
import type { ProgressEvent } from '../../../src/domain/migration/events.js';
import type { PrecheckReport } from '../../../src/domain/precheck/report.js';
import type { EventSource } from '../../../src/ports/event-stream.js';
import { createMemoryThreadStore } from '../../../src/stores/memory/thread-store.js';
import { createFakeChatPlatform, type FakeChatPlatform } from '../../support/fake-chat-platform.js';
import { migrationEvents } from './migration-events.js';

const noEvents: EventSource = { subscribe: async () => async () => {} };
/** Replays events at 1/20 of their real pace (the sandbox's time scale in the demo), human waits included. */
const TIME_SCALE = 0.05;

async function play(notifier: Notifier, events: ProgressEvent[], onEach?: (e: ProgressEvent, i: number) => void) {
  let previous = events[0] ? Date.parse(events[0].at) : 0;
  for (const [i, event] of events.entries()) {
    const gap = (Date.parse(event.at) - previous) * TIME_SCALE;
    previous = Date.parse(event.at);
    await vi.advanceTimersByTimeAsync(gap);
    onEach?.(event, i);
    await notifier.handle(event);
  }
  const flushed = notifier.flush();
  await vi.runAllTimersAsync();
  await flushed;
}

const text = (m: { message: Parameters<typeof renderPlainText>[0] }) => renderPlainText(m.message);

describe('notifier on a threaded platform', () => {
  let slack: FakeChatPlatform;
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse('2026-01-01T00:00:00Z'));
    slack = createFakeChatPlatform({ platform: 'slack', channel: 'C-test' });
  });
  afterEach(() => vi.useRealTimers());

  it('keeps one parent edited in place and one thread reply per batch, ending in the final state', async () => {
    const threads = createMemoryThreadStore<ThreadRecord>();
    const notifier = createNotifier({ platforms: [slack], events: noEvents, threads });
    const events = migrationEvents();
    await play(notifier, events);

    const top = slack.messages().filter((m) => !m.threadId);
    expect(top).toHaveLength(1);
    const parent = top[0]!;
    expect(parent.versions.length).toBeGreaterThan(2);
    expect(text(parent)).toContain('✅ completed');
    expect(parent.message.progress).toEqual({ done: 6, total: 6 });
    expect(text(parent)).toContain('Requested by: alice');

    const thread = slack.thread(parent.ref.messageId);
    // Three batch replies and the final summary.
    expect(thread).toHaveLength(4);
    const batches = thread.slice(0, 3);
    for (const [i, batch] of batches.entries()) {
      const first = batch.versions[0]!;
      expect(first.buttons?.map((b) => b.label)).toEqual([`Approve batch ${i + 1}`, 'Reject']);
      expect(first.buttons?.[0]?.payload).toEqual({
        decision: 'approve',
        migrationId: 'mig-pool-a-01JTEST',
        nonce: `n${i + 1}`,
        batch: i + 1,
      });
      expect(first.buttons?.[1]?.confirm?.confirm).toBe('Reject');
      expect(renderPlainText(first)).toContain('web/Deployment/frontend');
      const last = batch.message;
      expect(last.buttons ?? []).toEqual([]);
      expect(last.context).toContain('Approved by U-boss');
      expect(last.timeline?.every((row) => row.step === '✅ done' && row.duration)).toBe(true);
      expect(last.timeline?.[0]?.detail).toMatch(/cordon \d+s › drain/);
    }
    expect(renderPlainText(batches[1]!.versions[0]!)).toContain('Last batch');
    expect(renderPlainText(batches[1]!.versions[0]!)).toContain('batch 1: 1 done');

    const final = thread[3]!.message;
    expect(final.header).toContain('migration completed');
    expect(final.timeline?.map((r) => r.node)).toEqual([
      'pool-a-1',
      'pool-a-2',
      'pool-a-3',
      'pool-a-4',
      'pool-a-5',
      'pool-a-6',
    ]);
    expect(final.mentions).toEqual(['U-req']);
    expect(renderPlainText(final)).toContain('docker → containerd on 6 nodes');

    const record = await threads.get('mig-pool-a-01JTEST');
    expect(record?.parent.messageId).toBe(parent.ref.messageId);
    expect(Object.keys(record?.batches ?? {})).toEqual(['1', '2', '3']);
    expect(await threads.findByThread('slack', 'C-test', parent.ref.messageId)).toBe('mig-pool-a-01JTEST');

    // The cost of a batch, measured at the demo's pace: the Slack goal is at most six calls.
    const calls = notifier.calls('mig-pool-a-01JTEST')!;
    expect(calls.total).toBe(slack.calls.length);
    for (const batch of [1, 2, 3]) expect(calls.byBatch[batch]).toBeLessThanOrEqual(6);
    console.info('chat calls per batch', JSON.stringify(calls.byBatch), 'total', calls.total);
  });

  it('still ends in the final state when updates are rate limited (429) for a while', async () => {
    const notifier = createNotifier({
      platforms: [slack],
      events: noEvents,
      threads: createMemoryThreadStore<ThreadRecord>(),
    });
    const events = migrationEvents();
    const cut = events.findIndex((e) => e.type === 'batch.finished' && e.result.index === 3);
    await play(notifier, events, (_e, i) => {
      if (i === cut) slack.rateLimit('update', 4, 3000);
    });
    expect(slack.calls.filter((c) => !c.ok)).toHaveLength(4);
    const parent = slack.messages().find((m) => !m.threadId)!;
    expect(text(parent)).toContain('✅ completed');
    expect(parent.message.progress).toEqual({ done: 6, total: 6 });
    const batch3 = slack.thread(parent.ref.messageId)[2]!;
    expect(batch3.message.header).toContain('finished');
    expect(notifier.calls('mig-pool-a-01JTEST')?.rateLimited).toBe(4);
  });

  it('waits out a 429 on a post and still posts the reply', async () => {
    const notifier = createNotifier({
      platforms: [slack],
      events: noEvents,
      threads: createMemoryThreadStore<ThreadRecord>(),
    });
    const events = migrationEvents({ plan: [['pool-a-1']] });
    slack.rateLimit('post', 2, 1500);
    // Posts wait for the Retry-After inside handle(), so the clock must run while the events are handled.
    const handled = Promise.all(events.map((e) => notifier.handle(e)));
    await vi.advanceTimersByTimeAsync(1499);
    expect(slack.messages()).toHaveLength(0);
    await vi.runAllTimersAsync();
    await handled;
    const flushed = notifier.flush();
    await vi.runAllTimersAsync();
    await flushed;
    expect(slack.messages().filter((m) => !m.threadId)).toHaveLength(1);
    expect(slack.calls.filter((c) => c.op === 'post' && !c.ok)).toHaveLength(2);
  });

  it('alerts on a failure with the requester mentioned and Retry / Skip node / Abort, closed once acted on', async () => {
    const notifier = createNotifier({
      platforms: [slack],
      events: noEvents,
      threads: createMemoryThreadStore<ThreadRecord>(),
    });
    const events = migrationEvents({ failure: { node: 'pool-a-3', step: 'start' } });
    const failedAt = events.findIndex((e) => e.type === 'migration.failed');
    await play(notifier, events.slice(0, failedAt + 1));
    const parent = slack.messages().find((m) => !m.threadId)!;
    expect(text(parent)).toContain('paused');
    expect(text(parent)).toContain('InstanceStartFailed');
    const alert = slack.thread(parent.ref.messageId).find((m) => m.message.header?.includes('stopped'))!;
    expect(alert.message.mentions).toEqual(['U-req']);
    expect(renderPlainText(alert.message)).toContain('node `pool-a-3`');
    expect(alert.message.buttons?.map((b) => b.label)).toEqual(['Retry', 'Skip node', 'Abort']);
    expect(alert.message.buttons?.[1]?.payload).toMatchObject({ decision: 'skip-node', node: 'pool-a-3', batch: 2 });
    expect(alert.message.buttons?.[2]?.confirm).toBeDefined();
    const batch2 = slack.thread(parent.ref.messageId)[1]!;
    expect(batch2.message.timeline?.find((r) => r.node === 'pool-a-3')?.step).toBe('❌ failed');

    await play(notifier, events.slice(failedAt + 1));
    expect(alert.message.buttons ?? []).toEqual([]);
    expect(renderPlainText(alert.message)).toContain('Resumed by U-boss');
    expect(text(parent)).toContain('✅ completed');
  });

  it('keeps threading across a bot restart and ignores replayed events', async () => {
    const threads = createMemoryThreadStore<ThreadRecord>();
    const events = migrationEvents();
    const half = events.findIndex((e) => e.type === 'batch.started' && e.batch.index === 2) + 3;
    const first = createNotifier({ platforms: [slack], events: noEvents, threads });
    await play(first, events.slice(0, half));
    await first.stop();
    const second = createNotifier({ platforms: [slack], events: noEvents, threads });
    // At-least-once delivery: the last two events come again after the restart.
    await play(second, events.slice(half - 2));
    const top = slack.messages().filter((m) => !m.threadId);
    expect(top).toHaveLength(1);
    const thread = slack.thread(top[0]!.ref.messageId);
    expect(thread).toHaveLength(4);
    const batch2 = thread[1]!.message;
    expect(batch2.timeline?.map((r) => r.step)).toEqual(['✅ done', '✅ done']);
    // Steps shown before the restart are still there.
    expect(batch2.timeline?.[0]?.detail).toMatch(/^cordon/);
  });

  it('asks for a blocker override in a reply of its own, without touching the batch replies', async () => {
    const notifier = createNotifier({
      platforms: [slack],
      events: noEvents,
      threads: createMemoryThreadStore<ThreadRecord>(),
    });
    const events = migrationEvents({ plan: [['pool-a-1']] });
    const started = events[0]!;
    if (started.type !== 'migration.started') throw new Error('fixture');
    const override: ProgressEvent = {
      type: 'batch.awaiting-approval',
      at: started.at,
      migration: { ...started.migration, state: 'awaiting-approval', reason: 'the precheck found 1 blocker(s)' },
      batch: { index: 0, nodes: [], evictions: [] },
      approval: { nonce: 'o1', expiresAt: '2026-01-02T00:00:00Z', subject: 'override-blockers', approvers: ['U-boss'] },
      lastBatch: undefined,
    };
    const resumed: ProgressEvent = {
      type: 'migration.state',
      at: started.at,
      migration: { ...started.migration, state: 'running' },
      by: 'U-boss',
    };
    await play(notifier, [started, override, resumed, ...events.slice(1)]);
    const parent = slack.messages().find((m) => !m.threadId)!;
    const thread = slack.thread(parent.ref.messageId);
    expect(thread.map((m) => m.message.header)).toEqual([
      '⏹️ pool-a: precheck blockers need an override',
      '✅ Batch 1 of 1 · pool-a: finished in 2m50s',
      '✅ pool-a: migration completed',
    ]);
    const ask = thread[0]!;
    expect(ask.versions[0]?.buttons?.map((b) => [b.label, b.payload.decision, b.payload.nonce])).toEqual([
      ['Override blockers', 'approve', 'o1'],
      ['Reject', 'reject', 'o1'],
    ]);
    expect(renderPlainText(ask.message)).toContain('Resolved*: Approved by U-boss');
  });

  it('posts a precheck as a parent with the verdict and a thread reply with findings, plan and ETA', async () => {
    const threads = createMemoryThreadStore<ThreadRecord>();
    const notifier = createNotifier({ platforms: [slack], events: noEvents, threads });
    const report: PrecheckReport = {
      cluster: { id: 'c-demo', version: '1.22.15-aliyun.1' },
      pool: { id: 'np-a', name: 'pool-a', runtime: 'docker', runtimeVersion: '19.03.15', nodes: 6 },
      verdict: 'blocked',
      findings: [
        {
          rule: 'docker-socket',
          severity: 'blocker',
          object: { kind: 'DaemonSet', namespace: 'monitoring', name: 'node-agent' },
          message: 'mounts /var/run/docker.sock from the host',
          hint: 'switch the agent to the containerd socket',
        },
        {
          rule: 'single-replica',
          severity: 'warning',
          object: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
          message: 'runs one replica',
          hint: 'scale to 2 before migrating',
        },
      ],
      plan: {
        maxParallel: 2,
        batches: [['pool-a-1'], ['pool-a-2', 'pool-a-3']],
        estimatedMinutes: 16,
        containerdVersion: '1.6.28',
      },
    };
    const origin = { platform: 'slack' as const, channel: 'C-test', userId: 'U-req' };
    await notifier.handle({ type: 'precheck.finished', at: '2026-01-01T00:00:00Z', origin, report });
    await notifier.handle({ type: 'precheck.finished', at: '2026-01-01T00:00:00Z', origin, report });
    const top = slack.messages().filter((m) => !m.threadId);
    expect(top).toHaveLength(1);
    expect(text(top[0]!)).toContain('⛔ blocked');
    const [reply] = slack.thread(top[0]!.ref.messageId);
    const body = text(reply!);
    expect(body).toMatch(/Blockers \(1\)[\s\S]*node-agent[\s\S]*containerd socket/);
    expect(body).toMatch(/Warnings \(1\)[\s\S]*checkout/);
    expect(body).toContain('2 batches (1, 2), max parallel 2, to containerd 1.6.28, ETA ~16m');
    expect(await threads.findByThread('slack', 'C-test', top[0]!.ref.messageId)).toMatch(/^precheck:/);
  });

  it('shows migrations from a platform that is not connected (the CLI) on the default target', async () => {
    const notifier = createNotifier({
      platforms: [slack],
      events: noEvents,
      threads: createMemoryThreadStore<ThreadRecord>(),
      defaultTarget: { platform: 'slack', channel: 'C-ops' },
    });
    const events = migrationEvents({
      origin: { platform: 'cli', channel: 'tty', userId: 'root' },
      plan: [['pool-a-1']],
    });
    await play(notifier, events);
    expect(
      slack
        .messages()
        .filter((m) => !m.threadId)
        .map((m) => m.ref.channel),
    ).toEqual(['C-ops']);
  });
});

describe('notifier on a platform without threads (DingTalk)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse('2026-01-01T00:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('keeps one card updated in place plus milestone posts that mention people', async () => {
    const ding = createFakeChatPlatform({ platform: 'dingtalk', supportsThreads: false, channel: 'cid-ops' });
    const notifier = createNotifier({
      platforms: [ding],
      events: noEvents,
      threads: createMemoryThreadStore<ThreadRecord>(),
    });
    const origin = { platform: 'dingtalk' as const, channel: 'cid-ops', userId: 'staff-req', userName: 'Li' };
    const events = migrationEvents({ origin, failure: { node: 'pool-a-2', step: 'drain' } });
    await play(notifier, events);
    const all = ding.messages();
    expect(all.every((m) => m.threadId === undefined)).toBe(true);
    const card = all[0]!;
    expect(text(card)).toContain('✅ completed');
    expect(card.versions.some((v) => v.buttons?.[0]?.label === 'Approve batch 2')).toBe(true);
    expect(card.versions.some((v) => v.buttons?.map((b) => b.label).join() === 'Retry,Skip node,Abort')).toBe(true);
    expect(card.message.buttons ?? []).toEqual([]);
    const milestones = all.slice(1);
    // Three approvals, one failure, the end.
    expect(milestones).toHaveLength(5);
    for (const m of milestones) expect(m.message.mentions).toContain('staff-req');
    expect(milestones[0]!.message.mentions).toContain('U-boss');
    expect(milestones.at(-1)!.message.text).toContain('pool-a migrated to containerd: 6/6 nodes');
  });
});
