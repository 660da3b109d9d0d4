/**
 * The Redis pieces under the service, on the real test Redis: optimistic record updates, first-wins decisions,
 * the pool lease, the audit log, and the event stream as the notifier's EventSource (order, back-pressure,
 * resume after a restart from the remembered position).
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ProgressEvent } from '../../../src/domain/migration/events.js';
import { createMigrationRecord } from '../../../src/domain/migration/record.js';
import { AuditLog } from '../../../src/services/audit-log.js';
import { DecisionStore } from '../../../src/services/decision-store.js';
import { RedisEventPublisher, RedisEventSource } from '../../../src/services/event-stream.js';
import { MigrationStore } from '../../../src/services/migration-store.js';
import { PoolLease } from '../../../src/services/pool-lease.js';
import { connectTestRedis, testPrefix } from '../../support/redis.js';

const origin = { platform: 'slack' as const, channel: 'C', userId: 'U1' };
const notice = (text: string): ProgressEvent => ({ type: 'notice', at: new Date().toISOString(), origin, text });

describe('migration state in Redis', () => {
  let redis: Redis;
  const prefix = testPrefix('stores');
  beforeAll(async () => {
    redis = await connectTestRedis();
  });
  afterAll(async () => {
    await redis.quit();
  });

  function record(id: string) {
    return createMigrationRecord({
      id,
      clusterId: 'c1',
      poolRef: 'pool-a',
      mode: 'in-place',
      options: { maxParallel: 1, snapshot: false, soakSeconds: 0, forceBarePods: false, autoApprove: false },
      origin,
      production: true,
      now: new Date('2026-01-01T00:00:00Z'),
    });
  }

  it('applies concurrent updates one after the other, never losing one', async () => {
    const store = new MigrationStore(redis, prefix);
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

  it('keeps the first decision for a nonce', async () => {
    const decisions = new DecisionStore(redis, prefix);
    const by = (userId: string) => ({ platform: 'slack' as const, userId, at: '' });
    const results = await Promise.all(
      ['A', 'B', 'C'].map((u) =>
        decisions.record({ migrationId: 'm', nonce: 'n1', decision: u === 'A' ? 'approve' : 'reject', by: by(u) }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const kept = await decisions.get('m', 'n1');
    expect(results[['A', 'B', 'C'].indexOf(kept!.by.userId)]).toBe(true);
  });

  it('leases a pool to one migration, re-entrant, and replaces a holder that is no longer alive', async () => {
    const alive = new Set(['mig-1']);
    const lease = new PoolLease(redis, prefix, async (h) => alive.has(h));
    expect(await lease.acquire('c1', 'np-a', 'mig-1')).toEqual({ ok: true });
    expect(await lease.acquire('c1', 'np-a', 'mig-1')).toEqual({ ok: true });
    expect(await lease.acquire('c1', 'np-a', 'mig-2')).toEqual({ ok: false, holder: 'mig-1' });
    alive.delete('mig-1');
    expect(await lease.acquire('c1', 'np-a', 'mig-2')).toEqual({ ok: true });
    expect(await lease.release('c1', 'np-a', 'mig-1')).toBe(false);
    expect(await lease.release('c1', 'np-a', 'mig-2')).toBe(true);
    expect(await lease.holder('c1', 'np-a')).toBeUndefined();
  });

  it('lists audit entries newest first, per pool', async () => {
    const audit = new AuditLog(redis, prefix);
    for (let i = 0; i < 5; i++)
      await audit.append({
        platform: 'cli',
        userId: 'root',
        action: `a${i}`,
        pool: i % 2 ? 'pool-a' : 'pool-b',
        outcome: 'ok',
      });
    expect((await audit.list('pool-a')).map((e) => e.action)).toEqual(['a3', 'a1']);
    expect((await audit.list(undefined, 2)).map((e) => e.action)).toEqual(['a4', 'a3']);
  });

  it('delivers events in order, one at a time, and continues after a restart where it stopped', async () => {
    const p = testPrefix('events');
    const publisher = new RedisEventPublisher(redis, p);
    const seen: string[] = [];
    let running = 0;
    let overlapped = false;
    const source = () => new RedisEventSource(redis, p, { consumer: 'notifier', blockMs: 100 });
    const stop = await source().subscribe(async (e) => {
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
    const stop2 = await source().subscribe(async (e) => {
      if (e.type === 'notice') again.push(e.text);
    });
    await vi.waitFor(() => expect(again.length).toBeGreaterThanOrEqual(2), { timeout: 5_000, interval: 10 });
    await stop2();
    expect(again).toEqual(['e10', 'e11']);
  });
});
