/**
 * settings.maxConcurrentMigrations: with one slot per cluster, a second start waits as `pending`, its status says it
 * is queued and why, and it begins by itself once the first migration ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFileSchema } from '../../../src/config/config-file.js';
import { redisUrl, testPrefix } from '../../support/redis.js';
import { type Lane, REQUESTER, scenarioYaml, until, WorkerHarness } from '../../support/worker-harness.js';

const config = configFileSchema.parse({
  clusters: [{ id: 'c-demo', environment: 'test' }],
  settings: { maxConcurrentMigrations: { perCluster: 1 } },
});

describe('concurrency limit', { timeout: 90_000 }, () => {
  let h: WorkerHarness;
  let lane: Lane;
  beforeAll(async () => {
    h = await WorkerHarness.start({
      prefix: testPrefix('slots'),
      redisUrl: redisUrl(),
      scenario: scenarioYaml({ poolA: 2, poolB: 2 }),
      config,
    });
    lane = await h.lane();
    await lane.worker();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('queues a start beyond the limit, shows it as queued, and starts it when the slot frees', async () => {
    const start = (pool: string) =>
      lane.client.service.start({ pool, origin: REQUESTER, mode: 'in-place', snapshot: false, soakSeconds: 0 });
    const first = (await start('pool-b')).migration.migrationId;
    await lane.untilState(first, ['running']);
    const second = (await start('pool-a')).migration.migrationId;

    const queued = await until('pool-a queued', async () => {
      const [s] = await lane.client.service.status('pool-a');
      return s?.reason?.startsWith('queued') ? s : undefined;
    });
    expect(queued.state).toBe('pending');
    expect(queued.reason).toBe('queued: 1 migration of cluster c-demo before it (limit 1); it starts when one ends');

    const done = await lane.untilState(second, ['completed', 'paused', 'aborted'], 60_000);
    expect(done.state).toBe('completed');
    expect(done.reason).toBeUndefined();
    const firstRecord = await lane.record(first);
    expect(firstRecord.state).toBe('completed');
    // The second began (its first batch) only after the first had ended.
    expect(Date.parse(done.batches[0]!.startedAt!)).toBeGreaterThanOrEqual(Date.parse(firstRecord.finishedAt!));
  });
});
