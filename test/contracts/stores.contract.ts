/**
 * The store ports' contract (src/ports/*-store.ts, audit-log.ts, pool-lease.ts, event-stream.ts), run against
 * every implementation: Redis (test/integration/stores/redis-stores.test.ts) and memory
 * (test/unit/stores/memory-stores.test.ts). Optimistic record updates, first-wins decisions, the pool lease,
 * the audit log, and the event stream as the notifier's EventSource (order, back-pressure, resume after a
 * restart from the remembered position).
 */
import { describe, expect, it, vi } from 'vitest';
import type { ProgressEvent } from '../../src/domain/migration/events.js';
import { createMigrationRecord } from '../../src/domain/migration/record.js';
import type { AuditLog } from '../../src/ports/audit-log.js';
import type { DecisionStore } from '../../src/ports/decision-store.js';
import type { EventPublisher, EventSource } from '../../src/ports/event-stream.js';
import type { MigrationStore } from '../../src/ports/migration-store.js';
import { NoChange } from '../../src/ports/migration-store.js';
import type { HolderAlive, PoolLease } from '../../src/ports/pool-lease.js';
import type { PostLedger } from '../../src/ports/post-ledger.js';
import type { ThreadRecordBase, ThreadStore } from '../../src/ports/thread-store.js';

/** Fresh, empty stores per call (a new prefix on Redis). */
export interface StoreFactory {
  migrations(): MigrationStore;
  decisions(): DecisionStore;
  lease(alive: HolderAlive): PoolLease;
  audit(): AuditLog;
  /** A restart is a second `threads()` over the same data: the factory returns both. */
  threads(): {
    store: ThreadStore<ThreadRecordBase & { extra: string[] }>;
    restarted(): ThreadStore<ThreadRecordBase & { extra: string[] }>;
  };
  /**
   * One stream: its publisher, sources that remember their position under `consumer`, and the shared source of
   * one group as the replica `replica` sees it.
   */
  events(): { publisher: EventPublisher; source(consumer: string): EventSource; shared(replica: string): EventSource };
  posts(): PostLedger;
}

const origin = { platform: 'slack' as const, channel: 'C', userId: 'U1' };
const notice = (text: string): ProgressEvent => ({ type: 'notice', at: new Date().toISOString(), origin, text });

function record(id: string, createdAt = '2026-01-01T00:00:00Z') {
  return createMigrationRecord({
    id,
    clusterId: 'c1',
    poolRef: 'pool-a',
    mode: 'in-place',
    options: { maxParallel: 1, snapshot: false, soakSeconds: 0, forceBarePods: false, autoApprove: false },
    origin,
    production: true,
    now: new Date(createdAt),
  });
}

export function storeContract(name: string, factory: StoreFactory): void {
  describe(`store contract: ${name}`, () => {
    it('applies concurrent updates one after the other, never losing one', async () => {
      const store = factory.migrations();
      await store.create(record('mig-pool-a-1'), ['pool-a']);
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.update('mig-pool-a-1', (r) => ({
            ...r,
            timeline: [...r.timeline, { node: `n${i}`, step: 'drain', at: '' }],
          })),
        ),
      );
      const r = await store.require('mig-pool-a-1');
      expect(r.timeline).toHaveLength(20);
      expect(r.version).toBe(20);
      expect((await store.forPool('c1', 'pool-a')).map((x) => x.id)).toEqual(['mig-pool-a-1']);
      expect((await store.active()).map((x) => x.id)).toEqual(['mig-pool-a-1']);
      await store.update('mig-pool-a-1', (x) => ({ ...x, state: 'completed' }));
      expect(await store.active()).toEqual([]);
    });

    it('refuses a second record under the same id, and NoChange or the same record writes nothing', async () => {
      const store = factory.migrations();
      await store.create(record('mig-x'), ['pool-a']);
      await expect(store.create(record('mig-x'), ['pool-a'])).rejects.toMatchObject({ code: 'CONFLICT' });
      await store.update('mig-x', () => {
        throw new NoChange();
      });
      await store.update('mig-x', (r) => r);
      expect((await store.require('mig-x')).version).toBe(0);
      await expect(store.require('mig-nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await store.get('mig-nope')).toBeUndefined();
    });

    it('finds a pool’s migrations under every name it was indexed by, newest first; remove forgets one', async () => {
      const store = factory.migrations();
      const older = record('mig-1', '2026-01-01T00:00:00Z');
      const newer = record('mig-2', '2026-01-02T00:00:00Z');
      await store.create(older, ['pool-a']);
      await store.create(newer, ['pool-a']);
      await store.indexPool(newer, ['np-a']);
      expect((await store.forPool('c1', 'pool-a')).map((r) => r.id)).toEqual(['mig-2', 'mig-1']);
      expect((await store.forPool('c1', 'np-a')).map((r) => r.id)).toEqual(['mig-2']);
      expect((await store.forPool('c2', 'pool-a')).map((r) => r.id)).toEqual([]);
      expect((await store.recent(1)).map((r) => r.id)).toEqual(['mig-2']);
      await store.remove(newer, ['pool-a', 'np-a']);
      expect((await store.forPool('c1', 'pool-a')).map((r) => r.id)).toEqual(['mig-1']);
      expect(await store.get('mig-2')).toBeUndefined();
    });

    it('hands out copies: changing a record read from the store changes nothing stored', async () => {
      const store = factory.migrations();
      await store.create(record('mig-c'), ['pool-a']);
      const read = await store.require('mig-c');
      read.timeline.push({ node: 'n', step: 'drain', at: '' });
      expect((await store.require('mig-c')).timeline).toEqual([]);
    });

    it('keeps the first decision for a nonce', async () => {
      const decisions = factory.decisions();
      const by = (userId: string) => ({ platform: 'slack' as const, userId, at: '' });
      const results = await Promise.all(
        ['A', 'B', 'C'].map((u) =>
          decisions.record({ migrationId: 'm', nonce: 'n1', decision: u === 'A' ? 'approve' : 'reject', by: by(u) }),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const kept = await decisions.get('m', 'n1');
      expect(results[['A', 'B', 'C'].indexOf(kept!.by.userId)]).toBe(true);
      expect(await decisions.get('m', 'n2')).toBeUndefined();
    });

    it('leases a pool to one migration, re-entrant, and replaces a holder that is no longer alive', async () => {
      const alive = new Set(['mig-1']);
      const lease = factory.lease(async (h) => alive.has(h));
      expect(await lease.acquire('c1', 'np-a', 'mig-1')).toEqual({ ok: true });
      expect(await lease.acquire('c1', 'np-a', 'mig-1')).toEqual({ ok: true });
      expect(await lease.acquire('c1', 'np-a', 'mig-2')).toEqual({ ok: false, holder: 'mig-1' });
      expect(await lease.acquire('c1', 'np-b', 'mig-2')).toEqual({ ok: true });
      alive.delete('mig-1');
      expect(await lease.acquire('c1', 'np-a', 'mig-2')).toEqual({ ok: true });
      expect(await lease.release('c1', 'np-a', 'mig-1')).toBe(false);
      expect(await lease.release('c1', 'np-a', 'mig-2')).toBe(true);
      expect(await lease.holder('c1', 'np-a')).toBeUndefined();
    });

    it('lists audit entries newest first, per pool, each with an id and a time', async () => {
      const audit = factory.audit();
      for (let i = 0; i < 5; i++)
        await audit.append({
          platform: 'cli',
          userId: 'root',
          action: `a${i}`,
          pool: i % 2 ? 'pool-a' : 'pool-b',
          outcome: 'ok',
        });
      expect((await audit.list('pool-a')).map((e) => e.action)).toEqual(['a3', 'a1']);
      const two = await audit.list(undefined, 2);
      expect(two.map((e) => e.action)).toEqual(['a4', 'a3']);
      expect(new Set(two.map((e) => e.id)).size).toBe(2);
      for (const e of two) expect(Number.isNaN(Date.parse(e.at))).toBe(false);
    });

    it('keeps a chat thread record whole and finds it by its parent message, also after a restart', async () => {
      const { store, restarted } = factory.threads();
      const thread = {
        migrationId: 'mig-pool-a-01J',
        platform: 'slack' as const,
        channel: 'C-ops',
        parent: { messageId: '1700000000.000100' },
        extra: ['kept as it is'],
      };
      await store.set(thread);
      thread.extra.push('a change after set is not stored');
      const again = restarted();
      expect(await again.get('mig-pool-a-01J')).toEqual({ ...thread, extra: ['kept as it is'] });
      expect(await again.findByThread('slack', 'C-ops', '1700000000.000100')).toBe('mig-pool-a-01J');
      expect(await again.findByThread('slack', 'C-other', '1700000000.000100')).toBeUndefined();
      expect(await again.findByThread('dingtalk', 'C-ops', '1700000000.000100')).toBeUndefined();
      expect(await again.get('mig-unknown')).toBeUndefined();
    });

    it('delivers events in order, one at a time, and continues after a restart where it stopped', async () => {
      const { publisher, source } = factory.events();
      const seen: string[] = [];
      let running = 0;
      let overlapped = false;
      const stop = await source('notifier').subscribe(async (e) => {
        running++;
        if (running > 1) overlapped = true;
        await new Promise((ok) => setTimeout(ok, 5));
        if (e.type === 'notice') seen.push(e.text);
        running--;
      });
      for (let i = 0; i < 10; i++) await publisher.publish(notice(`e${i}`));
      await vi.waitFor(() => expect(seen).toHaveLength(10), { timeout: 5_000, interval: 10 });
      await stop();
      expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `e${i}`));
      expect(overlapped).toBe(false);
      // published while the notifier was down
      await publisher.publish(notice('e10'));
      await publisher.publish(notice('e11'));
      const again: string[] = [];
      const stop2 = await source('notifier').subscribe(async (e) => {
        if (e.type === 'notice') again.push(e.text);
      });
      await vi.waitFor(() => expect(again.length).toBeGreaterThanOrEqual(2), { timeout: 5_000, interval: 10 });
      await stop2();
      expect(again).toEqual(['e10', 'e11']);
    });

    it('shares a group’s events between replicas: each handled once, in order, one at a time; a stopped replica’s go to another', async () => {
      const { publisher, shared } = factory.events();
      const seen: Array<{ by: string; text: string; id: string }> = [];
      let running = 0;
      let overlapped = false;
      const follow = (by: string) =>
        shared(by).subscribe(async (e, delivery) => {
          running++;
          if (running > 1) overlapped = true;
          await new Promise((ok) => setTimeout(ok, 2));
          if (e.type === 'notice') seen.push({ by, text: e.text, id: delivery?.id ?? '' });
          running--;
        });
      const stops = { a: await follow('a'), b: await follow('b') };
      for (let i = 0; i < 10; i++) await publisher.publish(notice(`s${i}`));
      await vi.waitFor(() => expect(seen).toHaveLength(10), { timeout: 10_000, interval: 10 });
      expect(seen.map((s) => s.text)).toEqual(Array.from({ length: 10 }, (_, i) => `s${i}`));
      expect(new Set(seen.map((s) => s.id)).size).toBe(10);
      expect(overlapped).toBe(false);
      // The replica that had them stops; the other takes the rest.
      const first = seen[0]!.by as 'a' | 'b';
      await stops[first]();
      for (let i = 10; i < 13; i++) await publisher.publish(notice(`s${i}`));
      await vi.waitFor(() => expect(seen).toHaveLength(13), { timeout: 10_000, interval: 10 });
      await stops[first === 'a' ? 'b' : 'a']();
      expect(seen.slice(10).map((s) => [s.by, s.text])).toEqual(
        [10, 11, 12].map((i) => [first === 'a' ? 'b' : 'a', `s${i}`]),
      );
    });

    it('remembers the message posted for an event and post', async () => {
      const posts = factory.posts();
      expect(await posts.get('1-0:0')).toBeUndefined();
      await posts.set('1-0:0', { platform: 'slack', channel: 'C1', messageId: '17.1', threadId: '17.0' });
      expect(await posts.get('1-0:0')).toEqual({
        platform: 'slack',
        channel: 'C1',
        messageId: '17.1',
        threadId: '17.0',
      });
      expect(await posts.get('1-0:1')).toBeUndefined();
    });

    it('says the next claim may find the message when a try failed without knowing', async () => {
      const posts = factory.posts();
      expect(await posts.claim('3-0:0', 'bot-a', 60_000)).toEqual({ kind: 'claimed', mayExist: false });
      await posts.release('3-0:0', 'bot-a', true);
      expect(await posts.get('3-0:0')).toBeUndefined();
      expect(await posts.claim('3-0:0', 'bot-b', 60_000)).toEqual({ kind: 'claimed', mayExist: true });
      expect(await posts.claim('3-0:0', 'bot-a', 60_000)).toEqual({ kind: 'busy' });
      // Given back again after a plain failure, it still may exist: the first try's doubt remains.
      await posts.release('3-0:0', 'bot-b');
      expect(await posts.claim('3-0:0', 'bot-a', 60_000)).toEqual({ kind: 'claimed', mayExist: true });
      await posts.set('3-0:0', { platform: 'slack', channel: 'C1', messageId: '19.1' });
      expect((await posts.claim('3-0:0', 'bot-b', 60_000)).kind).toBe('posted');
    });

    it('lets one bot at a time claim a post; the posted message answers every later claim', async () => {
      const posts = factory.posts();
      const ref = { platform: 'slack', channel: 'C1', messageId: '18.1' } as const;
      expect(await posts.claim('2-0:0', 'bot-a', 60_000)).toEqual({ kind: 'claimed', mayExist: false });
      expect(await posts.claim('2-0:0', 'bot-b', 60_000)).toEqual({ kind: 'busy' });
      expect(await posts.claim('2-0:0', 'bot-a', 60_000)).toEqual({ kind: 'claimed', mayExist: false }); // its own, again
      expect(await posts.get('2-0:0')).toBeUndefined(); // a claim is not a post
      await posts.release('2-0:0', 'bot-b'); // not b's to give back
      expect(await posts.claim('2-0:0', 'bot-b', 60_000)).toEqual({ kind: 'busy' });
      await posts.set('2-0:0', ref);
      expect(await posts.claim('2-0:0', 'bot-b', 60_000)).toEqual({ kind: 'posted', ref });
      // A released claim, and one whose holder died (it lapses), let the next bot post.
      expect(await posts.claim('2-0:1', 'bot-a', 60_000)).toEqual({ kind: 'claimed', mayExist: false });
      await posts.release('2-0:1', 'bot-a');
      expect(await posts.claim('2-0:1', 'bot-b', 60_000)).toEqual({ kind: 'claimed', mayExist: false });
      expect(await posts.claim('2-0:2', 'bot-a', 50)).toEqual({ kind: 'claimed', mayExist: false });
      await vi.waitFor(
        // bot-a died holding it, perhaps after posting: bot-b takes it over as one that may exist.
        async () => expect(await posts.claim('2-0:2', 'bot-b', 60_000)).toEqual({ kind: 'claimed', mayExist: true }),
        {
          timeout: 5_000,
          interval: 20,
        },
      );
    });
  });
}
