/** The start-up reconciler (src/app/reconciler.ts) on the memory store with a scripted job queue. */
import { describe, expect, it } from 'vitest';
import { reconcileMigrations } from '../../../src/app/reconciler.js';
import { createMigrationRecord, type MigrationRecord } from '../../../src/domain/migration/record.js';
import { createLogger } from '../../../src/log/logger.js';
import { MemoryMigrationStore } from '../../../src/stores/memory/migration-store.js';

const origin = { platform: 'slack' as const, channel: 'C', userId: 'U1' };
const logger = createLogger({ level: 'silent' });
const now = new Date('2026-01-01T01:00:00Z');

async function seed(store: MemoryMigrationStore, id: string, state: MigrationRecord['state'], createdAt: string) {
  const record = createMigrationRecord({
    id,
    clusterId: 'c1',
    poolRef: id,
    mode: 'in-place',
    options: { maxParallel: 1, snapshot: false, soakSeconds: 0, forceBarePods: false, autoApprove: false },
    origin,
    production: true,
    now: new Date(createdAt),
  });
  await store.create(record, [id]);
  await store.update(id, (r) => ({ ...r, state }));
}

describe('start-up reconciler', () => {
  it('resumes migrations whose job is gone or completed, parks those whose job failed, leaves running ones', async () => {
    const store = new MemoryMigrationStore();
    const old = '2026-01-01T00:00:00Z';
    await seed(store, 'm-gone', 'running', old);
    await seed(store, 'm-done-job', 'awaiting-approval', old);
    await seed(store, 'm-failed', 'running', old);
    await seed(store, 'm-parked', 'soaking', old);
    await seed(store, 'm-active', 'running', old);
    await seed(store, 'm-new', 'pending', '2026-01-01T00:59:50Z');
    await seed(store, 'm-ended', 'completed', old);
    const states: Record<string, string> = {
      'm-done-job': 'completed',
      'm-failed': 'failed',
      'm-parked': 'delayed',
      'm-active': 'active',
    };
    const requeued: string[] = [];
    const parked: Array<[string, string]> = [];
    const report = await reconcileMigrations({
      store,
      logger,
      now: () => now,
      jobs: {
        stateOf: async (id) => states[id] ?? 'unknown',
        failedReason: async () => 'job stalled more than allowable limit',
        requeue: async (r) => void requeued.push(r.id),
      },
      park: async (id, error) => void parked.push([id, error.message]),
    });
    expect(report.resumed.sort()).toEqual(['m-done-job', 'm-gone']);
    expect(requeued.sort()).toEqual(['m-done-job', 'm-gone']);
    expect(report.parked).toEqual(['m-failed']);
    expect(parked).toEqual([['m-failed', 'job stalled more than allowable limit (found by a worker at start-up)']]);
    expect(report.running.sort()).toEqual(['m-active', 'm-parked']);
  });
});
