/**
 * The `migrate` job (jobs/migrate.ts) on its own: what it tells the queue after running the migration as far as it
 * goes (done, park until when, hand back), the recheck right after parking, fencing when another worker owns the
 * job, and stop-the-line when something fails outside any step.
 */
import { describe, expect, it } from 'vitest';
import { createMigrateProcessor, LONG_PARK_MS } from '../../../jobs/migrate.js';
import type { MigrationJobEnd, MigrationJobRun } from '../../../src/ports/job-processors.js';
import { LostLock } from '../../../src/services/pipeline/runner.js';
import { APPROVER, demoWorld, MigrationHarness } from '../../support/fakes/migration-harness.js';

function run(migrationId: string, over: Partial<MigrationJobRun> = {}): MigrationJobRun {
  return { migrationId, stopRequested: () => false, keepLock: async () => true, ...over };
}

async function parked(end: MigrationJobEnd) {
  if (end.type !== 'park') throw new Error(`expected park, got ${end.type}`);
  return end;
}

describe('the migrate job', () => {
  it('is done when the migration ended', async () => {
    const h = new MigrationHarness();
    const id = await h.start('pool-b');
    const end = await createMigrateProcessor(h.runner)(run(id));
    expect(end).toEqual({ type: 'done', state: 'completed' });
  });

  it('parks until the approval expires; the recheck says whether an answer landed meanwhile', async () => {
    const h = new MigrationHarness({ world: demoWorld({ poolA: 2 }) });
    const id = await h.start('pool-a', { maxParallel: 1 });
    const migrate = createMigrateProcessor(h.runner);
    const end = await parked(await migrate(run(id)));
    const r = await h.record(id);
    expect(end.until.toISOString()).toBe(r.pending!.expiresAt);
    expect(await end.recheck()).toBe(false);
    await h.answer(id, 'approve', APPROVER);
    expect(await end.recheck()).toBe(true);
    const next = await parked(await migrate(run(id)));
    expect((await h.record(id)).pending?.batch).toBe(2);
    expect(await next.recheck()).toBe(false);
  });

  it('parks a stopped line for at most a day: a wake-up is only a hint', async () => {
    const h = new MigrationHarness();
    h.world.plantFault('pool-b-1', 'start', 'InstanceStartFailed');
    const id = await h.start('pool-b');
    const end = await parked(await createMigrateProcessor(h.runner)(run(id)));
    expect((await h.record(id)).state).toBe('paused');
    expect(end.until.getTime() - h.clock.now().getTime()).toBe(LONG_PARK_MS);
  });

  it('hands the job back when the worker shuts down, having changed nothing; another run goes on', async () => {
    const h = new MigrationHarness();
    const id = await h.start('pool-b');
    const migrate = createMigrateProcessor(h.runner);
    const before = await h.record(id);
    expect(await migrate(run(id, { stopRequested: () => true }))).toEqual({ type: 'hand-back' });
    expect(await h.record(id)).toEqual(before);
    expect(await migrate(run(id))).toEqual({ type: 'done', state: 'completed' });
  });

  it('stops before a destructive call once another worker owns the job, and writes nothing more', async () => {
    const h = new MigrationHarness();
    const id = await h.start('pool-b');
    const lost = createMigrateProcessor(h.runner)(run(id, { keepLock: async () => false }));
    await expect(lost).rejects.toBeInstanceOf(LostLock);
    const r = await h.record(id);
    expect(r.state).toBe('running');
    expect(r.pending).toBeUndefined();
    expect(h.world.callCount('upgradeNodePool')).toBe(0);
  });

  it('an error outside any step stops the line with the reason instead of failing the job', async () => {
    const h = new MigrationHarness();
    const id = await h.start('pool-b');
    const lease = h.runner.lease;
    h.runner.lease = {
      ...lease,
      acquire: async () => {
        throw new Error('lease store unreachable');
      },
      release: (...args) => lease.release(...args),
      holder: (...args) => lease.holder(...args),
    };
    const end = await parked(await createMigrateProcessor(h.runner)(run(id)));
    const r = await h.record(id);
    expect(r).toMatchObject({ state: 'paused', reason: 'the migration job failed: lease store unreachable' });
    expect(r.pending).toMatchObject({ kind: 'failure' });
    expect(h.events(id).at(-1)).toMatchObject({ type: 'migration.failed' });
    expect(await end.recheck()).toBe(false);
    h.runner.lease = lease;
    expect(await h.answer(id, 'retry', APPROVER)).toMatchObject({ ok: true });
    expect((await h.settle(id)).state).toBe('completed');
  });

  it('a job that fails for good stops the line; resume brings a fresh job back without repeating work', async () => {
    const h = new MigrationHarness();
    const id = await h.start('pool-b', { maxParallel: 1 });
    // Mid-way the worker loses the job's lock: its next destructive call is refused and the job fails for good.
    h.when(
      async () => (await h.record(id)).batches[0]?.taskId !== undefined,
      () => {
        h.jobs.keepsLock = false;
      },
    );
    const paused = await h.settle(id);
    expect(h.jobs.state(id)).toBe('failed');
    expect(paused).toMatchObject({ state: 'paused', pending: { kind: 'failure' } });
    expect(paused.reason).toBe(`the migration job failed: lost the lock of job ${id}`);
    expect(h.events(id).at(-1)).toMatchObject({ type: 'migration.failed', reason: paused.reason });
    h.jobs.keepsLock = true;
    expect(await h.service.controlByPool({ pool: 'pool-b', decision: 'resume', actor: APPROVER })).toMatchObject({
      ok: true,
    });
    const done = await h.settle(id);
    expect(done.state).toBe('completed');
    expect(h.jobs.state(id)).toBe('completed');
    for (const n of Object.values(done.before)) expect(h.replacements(n.instanceId)).toBe(1);
  });
});
