/**
 * The precheck as a gate of the start, at unit speed: a blocker (a PDB that allows no disruption, a failed item of
 * ACK's own check) parks the migration before any plan or upgrade until an approver overrides it; rejecting the
 * override pauses. A start for an unknown pool, or a pool already on containerd, is refused before anything runs.
 */
import { describe, expect, it } from 'vitest';
import {
  APPROVER,
  demoWorld,
  MigrationHarness,
  REQUESTER,
  STRANGER,
} from '../../../support/fakes/migration-harness.js';

/** pool-b with a Deployment whose PDB (minAvailable = replicas) allows no disruption. */
function strictWorld() {
  const spec = demoWorld();
  spec.pools[1]!.labels = { team: 'web', tier: 'b' };
  spec.controllers!.push({
    kind: 'Deployment',
    namespace: 'pay',
    name: 'ledger',
    replicas: 2,
    nodeSelector: { tier: 'b' },
  });
  spec.pdbs!.push({ namespace: 'pay', name: 'ledger', selector: { app: 'ledger' }, minAvailable: 2 });
  return spec;
}

describe('the precheck gate', () => {
  it('a PDB that allows no disruption stops the start until an approver overrides it', async () => {
    const h = new MigrationHarness({ world: strictWorld() });
    const id = await h.start('pool-b', { maxParallel: 2 });
    const blocked = await h.settle(id);
    expect(blocked).toMatchObject({
      state: 'awaiting-approval',
      pending: { kind: 'approval', subject: 'override-blockers', batch: 0 },
      precheck: { verdict: 'blocked' },
    });
    expect(blocked.precheck!.blockers.map((f) => `${f.rule} ${f.object.namespace}/${f.object.name}`)).toEqual([
      'pdb-blocking pay/ledger',
    ]);
    expect(blocked.batches).toEqual([]);
    expect(h.world.callCount('upgradeNodePool')).toBe(0);
    const notice = h.stores.events.all().find((e) => e.type === 'notice');
    expect(notice).toMatchObject({ text: expect.stringContaining('blocked (1 blocker(s)') });
    expect(h.jobs.state(id)).toBe('delayed');

    expect(await h.answer(id, 'approve', STRANGER)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await h.answer(id, 'approve', APPROVER)).toMatchObject({
      ok: true,
      message: 'override-blockers approved by U0APPROVER (slack)',
    });
    const done = await h.settle(id);
    expect(done.state).toBe('completed');
    expect(done.approvals?.['override-blockers']?.userId).toBe(APPROVER.userId);
    expect(h.world.poolNodes('np-b').every((n) => n.runtime === 'containerd')).toBe(true);
  });

  it("a failed blocker of ACK's own upgrade check stops it too; rejecting the override pauses", async () => {
    const h = new MigrationHarness();
    h.world.checkFailures.push({
      pool: 'np-b',
      name: 'OSImageSupported',
      level: 'error',
      message: 'the OS image is too old',
    });
    const id = await h.start('pool-b');
    const blocked = await h.settle(id);
    expect(blocked.pending?.subject).toBe('override-blockers');
    expect(blocked.precheck!.blockers).toMatchObject([
      { rule: 'ack-check', message: expect.stringContaining('OSImageSupported') },
    ]);
    expect(await h.answer(id, 'reject', REQUESTER, { reason: 'fix the image first' })).toMatchObject({ ok: true });
    const paused = await h.settle(id);
    expect(paused).toMatchObject({ state: 'paused', reason: 'rejected by U0REQUESTER (slack): fix the image first' });
    expect(h.world.callCount('upgradeNodePool')).toBe(0);
  });

  it('warnings alone do not stop the start', async () => {
    const h = new MigrationHarness();
    h.world.checkFailures.push({ pool: 'pool-b', name: 'DiskSpace', level: 'warning', message: 'little space left' });
    const id = await h.start('pool-b');
    const done = await h.settle(id);
    expect(done.precheck).toMatchObject({ verdict: 'warnings', blockers: [] });
    expect(done.state).toBe('completed');
  });

  it('refuses a start for an unknown pool, naming the pools there are, and audits it', async () => {
    const h = new MigrationHarness();
    await expect(h.start('pool-x')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/unknown pool "pool-x".*pool-a \(np-a\), pool-b \(np-b\)/),
    });
    expect(h.jobs.jobs.size).toBe(0);
    const [entry] = await h.service.history();
    expect(entry).toMatchObject({ action: 'start', pool: 'pool-x', outcome: 'refused' });
  });

  it('refuses a start for a pool already on containerd: nothing to migrate', async () => {
    const h = new MigrationHarness({
      world: { pools: [{ id: 'np-c', name: 'pool-c', nodes: 2, runtime: 'containerd' }] },
    });
    await expect(h.start('pool-c')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('already runs containerd'),
    });
    expect(h.jobs.jobs.size).toBe(0);
  });
});
