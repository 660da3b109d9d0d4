/**
 * Bot replicas (docs/architecture.md#high-availability): an event delivered again after its replica died between
 * posting and acknowledging edits what was posted instead of posting it twice, and a replica taking over a
 * migration carries on in the same thread.
 */
import { describe, expect, it } from 'vitest';
import { createNotifier } from '../../../src/bot/notifier.js';
import type { ThreadRecord } from '../../../src/bot/thread-record.js';
import type { EventSource } from '../../../src/ports/event-stream.js';
import { createMemoryPostLedger } from '../../../src/stores/memory/post-ledger.js';
import { createMemoryThreadStore } from '../../../src/stores/memory/thread-store.js';
import { createFakeChatPlatform } from '../../support/fake-chat-platform.js';
import { migrationEvents } from './migration-events.js';

const noEvents: EventSource = { subscribe: async () => async () => {} };
const fast = { editIntervalMs: 1, settleMs: 1, stepEditIntervalMs: 1 };

describe('notifier replicas sharing one post ledger', () => {
  it('a replica killed after posting, before recording: the next one edits that post, nothing is posted twice', async () => {
    const slack = createFakeChatPlatform({ platform: 'slack', channel: 'C-test' });
    const threads = createMemoryThreadStore<ThreadRecord>();
    const posts = createMemoryPostLedger();
    const events = migrationEvents();
    // Replica A handles events until the first post after the parent; it dies right after that post, before the
    // thread record is written (and before the event is acknowledged).
    let writes = 0;
    let diedAt = -1;
    const dying = {
      ...threads,
      set: (record: ThreadRecord) => (++writes > 1 ? Promise.reject(new Error('SIGKILL')) : threads.set(record)),
    };
    const a = createNotifier({ platforms: [slack], events: noEvents, threads: dying, posts, ...fast });
    for (const [i, event] of events.entries()) {
      await a.handle(event, { id: `${i + 1}-0`, generation: 1 });
      if (writes > 1) {
        diedAt = i;
        break;
      }
    }
    expect(diedAt).toBeGreaterThan(0);
    const postedByA = slack.messages().length;
    expect(postedByA).toBeGreaterThanOrEqual(2);

    // Replica B takes over: the unacknowledged event comes again with the same id, then the rest.
    const b = createNotifier({ platforms: [slack], events: noEvents, threads, posts, ...fast });
    for (const [i, event] of events.entries()) {
      if (i >= diedAt) await b.handle(event, { id: `${i + 1}-0`, generation: 2 });
    }
    await b.flush();
    await a.flush();

    const top = slack.messages().filter((m) => !m.threadId);
    expect(top).toHaveLength(1);
    const thread = slack.thread(top[0]!.ref.messageId);
    const firstLines = thread.map((m) => JSON.stringify(m.versions[0]).slice(0, 80));
    expect(new Set(firstLines).size).toBe(firstLines.length);
    // Three batch replies and the final summary, as with one bot.
    expect(thread).toHaveLength(4);
  });

  it('two replicas handling one event at once (a stalled lease passed on mid-post): one posts, the other edits', async () => {
    const slack = createFakeChatPlatform({ platform: 'slack', channel: 'C-test' });
    const threads = createMemoryThreadStore<ThreadRecord>();
    const posts = createMemoryPostLedger();
    const [first] = migrationEvents();
    // Replica A's post hangs (its event loop stalled) while its lease passes to B; both think they own the event.
    let letGo: () => void = () => undefined;
    const gate = new Promise<void>((ok) => {
      letGo = ok;
    });
    let entered: () => void = () => undefined;
    const inPost = new Promise<void>((ok) => {
      entered = ok;
    });
    const stalled = new Proxy(slack, {
      get(target, prop, receiver) {
        if (prop !== 'post') return Reflect.get(target, prop, receiver);
        return async (...args: Parameters<typeof slack.post>) => {
          entered();
          await gate;
          return target.post(...args);
        };
      },
    });
    const owned = { id: '1-0', generation: 1, owned: async () => true };
    const a = createNotifier({ platforms: [stalled], events: noEvents, threads, posts, ...fast });
    const b = createNotifier({ platforms: [slack], events: noEvents, threads, posts, ...fast });
    const byA = a.handle(first!, owned);
    await inPost;
    await expect(b.handle(first!, { ...owned, generation: 2 })).rejects.toThrow(/another subscriber/);
    expect(slack.messages()).toHaveLength(0);
    letGo();
    await byA;
    // The event comes to B again (it was never acknowledged there): it finds A's message.
    await b.handle(first!, { ...owned, generation: 2 });
    await Promise.all([a.flush(), b.flush()]);
    expect(slack.messages().filter((m) => !m.threadId)).toHaveLength(1);
  });

  it('news told twice under new event ids, with the thread record forgotten (a failover), posts nothing twice', async () => {
    const slack = createFakeChatPlatform({ platform: 'slack', channel: 'C-test' });
    const posts = createMemoryPostLedger();
    const events = migrationEvents();
    const a = createNotifier({
      platforms: [slack],
      events: noEvents,
      threads: createMemoryThreadStore<ThreadRecord>(),
      posts,
      ...fast,
    });
    for (const [i, event] of events.entries()) await a.handle(event, { id: `${i + 1}-0`, generation: 1 });
    await a.flush();
    const once = slack.messages().length;
    // A worker that died after publishing runs the steps again and publishes them again (new stream ids), and the
    // bot that handles them finds no thread record (a Redis failover lost it).
    const b = createNotifier({
      platforms: [slack],
      events: noEvents,
      threads: createMemoryThreadStore<ThreadRecord>(),
      posts,
      ...fast,
    });
    for (const [i, event] of events.entries()) await b.handle(event, { id: `${i + 101}-0`, generation: 1 });
    await b.flush();
    expect(slack.messages()).toHaveLength(once);
    expect(slack.messages().filter((m) => !m.threadId)).toHaveLength(1);
  });

  it('a post that keeps failing for now hands the event back to be delivered again, and is then made once', async () => {
    const slack = createFakeChatPlatform({ platform: 'slack', channel: 'C-test' });
    const [first] = migrationEvents();
    const notifier = createNotifier({
      platforms: [slack],
      events: noEvents,
      threads: createMemoryThreadStore<ThreadRecord>(),
      posts: createMemoryPostLedger(),
      ...fast,
    });
    slack.rateLimit('post', 6, 1); // past the notifier's own waits
    await expect(notifier.handle(first!, { id: '1-0', generation: 1 })).rejects.toThrow(/chat post failed/);
    expect(slack.messages()).toHaveLength(0);
    await notifier.handle(first!, { id: '1-0', generation: 1 });
    await notifier.flush();
    expect(slack.messages().filter((m) => !m.threadId)).toHaveLength(1);
  });

  it('without delivery ids (one bot, no ledger) handles events as before', async () => {
    const slack = createFakeChatPlatform({ platform: 'slack', channel: 'C-test' });
    const notifier = createNotifier({
      platforms: [slack],
      events: noEvents,
      threads: createMemoryThreadStore<ThreadRecord>(),
      ...fast,
    });
    for (const event of migrationEvents()) await notifier.handle(event);
    await notifier.flush();
    expect(slack.messages().filter((m) => !m.threadId)).toHaveLength(1);
  });
});
