/**
 * One migration per pool across workers and start commands (deduplication + pool lease), two pools at once,
 * and the CLI's `start --yes --wait` from a terminal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, testPrefix } from '../../support/redis.js';
import { type Lane, scenarioYaml, WorkerHarness } from '../../support/worker-harness.js';

describe('one migration per pool', { timeout: 90_000 }, () => {
  let h: WorkerHarness;
  let lane: Lane;
  beforeAll(async () => {
    h = await WorkerHarness.start({
      prefix: testPrefix('one-per-pool'),
      redisUrl: redisUrl(),
      scenario: scenarioYaml({
        poolA: 4,
        poolB: 3,
        pools: [
          { name: 'pool-c', nodes: 3 },
          { name: 'pool-d', nodes: 3 },
        ],
      }),
    });
    lane = await h.lane();
    // two workers on the same queue
    await lane.worker({ name: 'w1' });
    await lane.worker({ name: 'w2' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('two start commands for one pool make one migration, run once by two workers', async () => {
    const [a, b] = await Promise.all([
      lane.cli(['start', 'pool-a', '--max-parallel', '2', '--json']),
      lane.cli(['start', 'pool-a', '--max-parallel', '2', '--json']),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const outA = JSON.parse(a.stdout) as { migration: { migrationId: string }; created: boolean };
    const outB = JSON.parse(b.stdout) as { migration: { migrationId: string }; created: boolean };
    expect(outA.migration.migrationId).toBe(outB.migration.migrationId);
    expect([outA.created, outB.created].sort()).toEqual([false, true]);
    const id = outA.migration.migrationId;
    expect((await lane.client.store.forPool('c-demo', 'pool-a')).map((r) => r.id)).toEqual([id]);

    const stop = lane.autoApprove(id);
    const done = await lane.untilState(id, ['completed', 'paused', 'aborted'], 60_000);
    stop();
    expect(done.state).toBe('completed');
    const stats = await h.stats();
    for (const n of Object.values(done.before)) expect(stats.instances[n.instanceId]?.ReplaceSystemDisk).toBe(1);
    // The job completes just after its record does (the processor returns after the last write): await it.
    await expect
      .poll(() => lane.client.jobs.migrations.getJobCounts('completed', 'failed', 'active', 'delayed', 'wait'), {
        timeout: 15_000,
      })
      .toMatchObject({ completed: 1, failed: 0, active: 0, delayed: 0, wait: 0 });
  });

  it('two pools migrate at the same time', async () => {
    const start = (pool: string) =>
      lane.client.service.start({
        pool,
        mode: 'in-place',
        snapshot: false,
        soakSeconds: 0,
        maxParallel: 1,
        origin: { platform: 'cli', channel: 'terminal', userId: 'root' },
        autoApprove: true,
      });
    const [b, c] = await Promise.all([start('pool-b'), start('pool-c')]);
    expect(b.created && c.created).toBe(true);
    const [rb, rc] = await Promise.all([
      lane.untilState(b.migration.migrationId, ['completed', 'paused'], 60_000),
      lane.untilState(c.migration.migrationId, ['completed', 'paused'], 60_000),
    ]);
    expect([rb.state, rc.state]).toEqual(['completed', 'completed']);
    // Each ran while the other ran: their batch intervals overlap.
    const span = (r: typeof rb) => [Date.parse(r.batches[0]!.startedAt!), Date.parse(r.finishedAt!)] as const;
    const [b0, b1] = span(rb);
    const [c0, c1] = span(rc);
    expect(Math.max(b0, c0)).toBeLessThan(Math.min(b1, c1));
  });

  it('start --yes --wait runs a production migration to its end from a terminal', async () => {
    // (A non-approver's --yes is refused: test/integration/worker/production-gate.test.ts.)
    const run = await lane.cli(['start', 'pool-d', '--yes', '--wait', '--max-parallel', '2']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^started mig-pool-d-/);
    expect(lines).toContain('started: 3 nodes in 2 batches');
    expect(lines.some((l) => /^batch 1\/2 started: pool-d-\d \(approved by root\)$/.test(l))).toBe(true);
    expect(lines.some((l) => /^batch 2\/2 done in \d+s$/.test(l))).toBe(true);
    expect(lines.some((l) => /^ {2}pool-d-\d: ready$/.test(l))).toBe(true);
    expect(lines.at(-2)).toBe('completed: 3/3 nodes migrated');
    const status = await lane.cli(['status', 'pool-d']);
    expect(status.stdout).toMatch(/^mig-pool-d-\S+ {2}pool-d {2}in-place {2}completed {2}3\/3 nodes/);
    expect(status.stdout).toMatch(/batch 1: done, approved by root: pool-d-\d/);
    const cliHistory = await lane.cli(['history', 'pool-d', '--json']);
    const entries = (JSON.parse(cliHistory.stdout) as { entries: Array<{ action: string }> }).entries;
    expect(entries.map((e) => e.action)).toContain('start');
    const nothing = await lane.cli(['pause', 'pool-d']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toBe('ack-migrate: no migration of pool-d is in progress\n');
    const history = await lane.client.service.history('pool-d');
    expect(
      history
        .filter((e) => e.action === 'approve')
        .map((e) => `${e.platform}:${e.userId}:${e.batch}`)
        .sort(),
    ).toEqual(['cli:root:1', 'cli:root:2']);
  });
});
