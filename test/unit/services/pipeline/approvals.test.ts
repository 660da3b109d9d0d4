/**
 * Approvals in production at unit speed (mirrors test/integration/worker/approvals.test.ts): every batch parks
 * awaiting an approver; the wrong person, the requester (four eyes), a forged or stale button and a second click
 * are refused and change nothing; an approval runs exactly that batch; an expired request pauses.
 */
import { describe, expect, it } from 'vitest';
import {
  APPROVER,
  demoWorld,
  MigrationHarness,
  REQUESTER,
  SECOND_APPROVER,
  STRANGER,
} from '../../../support/fakes/migration-harness.js';

const upgradesSoFar = (h: MigrationHarness) => h.world.callCount('upgradeNodePool');

async function awaiting(h: MigrationHarness, id: string, batch: number) {
  const r = await h.settle(id);
  expect(r).toMatchObject({ state: 'awaiting-approval', pending: { kind: 'approval', subject: 'batch', batch } });
  return r;
}

describe('production approvals', () => {
  it('parks each batch until an approver approves it; an approval runs exactly that batch', async () => {
    const h = new MigrationHarness({ world: demoWorld({ poolA: 4 }) });
    const id = await h.start('pool-a', { maxParallel: 2 });
    const first = await awaiting(h, id, 1);
    expect(first.production).toBe(true);
    expect(h.jobs.state(id)).toBe('delayed');
    expect(upgradesSoFar(h)).toBe(0);
    const asked = h.events(id).filter((e) => e.type === 'batch.awaiting-approval');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({
      batch: { index: 1, nodes: first.batches[0]!.nodes },
      approval: { nonce: first.pending!.nonce, subject: 'batch', approvers: expect.arrayContaining([APPROVER.userId]) },
    });

    const ok = await h.answer(id, 'approve');
    expect(ok).toMatchObject({ ok: true, message: 'batch 1 approved by U0APPROVER (slack)' });
    const second = await awaiting(h, id, 2);
    expect(upgradesSoFar(h)).toBe(1);
    expect(second.batches[0]).toMatchObject({ state: 'done', approvedBy: { userId: APPROVER.userId } });
    expect(second.batches[1]!.startedAt).toBeUndefined();

    const done = await h.runToEnd(id);
    expect(done.state).toBe('completed');
    const events = h.events(id);
    for (const b of done.batches) {
      expect(Date.parse(b.approvedBy!.at)).toBeLessThanOrEqual(Date.parse(b.startedAt!));
      const ask = events.findIndex((e) => e.type === 'batch.awaiting-approval' && e.batch.index === b.index);
      const start = events.findIndex((e) => e.type === 'batch.started' && e.batch.index === b.index);
      expect(start).toBeGreaterThan(ask);
    }
  });

  it('refuses a stranger, the requester and a forged nonce, changes nothing, and audits each refusal', async () => {
    const h = new MigrationHarness({ world: demoWorld({ poolA: 4 }) });
    const id = await h.start('pool-a', { maxParallel: 2 });
    const r = await awaiting(h, id, 1);
    const stranger = await h.answer(id, 'approve', STRANGER);
    expect(stranger).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
      message: expect.stringContaining('not an approver'),
    });
    const self = await h.answer(id, 'approve', REQUESTER);
    expect(self).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringContaining('cannot approve') });
    const forged = await h.answer(id, 'approve', APPROVER, { nonce: 'forged' });
    expect(forged).toMatchObject({ ok: false, code: 'STALE' });
    const dingtalk = await h.answer(id, 'approve', { platform: 'dingtalk', channel: 'cid', userId: APPROVER.userId });
    expect(dingtalk).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const still = await h.settle(id);
    expect(still).toMatchObject({ version: r.version, pending: { nonce: r.pending!.nonce } });
    expect(upgradesSoFar(h)).toBe(0);
    const refused = (await h.service.history('pool-a', 100))
      .filter((e) => e.outcome === 'refused')
      .map((e) => `${e.platform}:${e.userId}:${e.action}`);
    expect(refused.sort()).toEqual(
      [
        'dingtalk:U0APPROVER:approve',
        'slack:U0APPROVER:approve',
        'slack:U0REQUESTER:approve',
        'slack:U0STRANGER:approve',
      ].sort(),
    );
  });

  it('refuses the button of an earlier batch and a second click on an answered question', async () => {
    const h = new MigrationHarness({ world: demoWorld({ poolA: 4 }) });
    const id = await h.start('pool-a', { maxParallel: 2 });
    const r1 = await awaiting(h, id, 1);
    const nonce1 = r1.pending!.nonce;
    // Two approvers click at once: the first answer wins, the other is told who answered.
    const clicks = await Promise.all(
      [APPROVER, SECOND_APPROVER].map((actor) =>
        h.service.decide({ migrationId: id, decision: 'approve', nonce: nonce1, batch: 1, actor }),
      ),
    );
    expect(clicks.filter((c) => c.ok)).toHaveLength(1);
    expect(clicks.find((c) => !c.ok)).toMatchObject({
      code: 'STALE',
      message: expect.stringMatching(/already answered: approve/),
    });
    const r2 = await awaiting(h, id, 2);
    const late = await h.service.decide({
      migrationId: id,
      decision: 'approve',
      nonce: nonce1,
      batch: 1,
      actor: APPROVER,
    });
    expect(late).toMatchObject({ ok: false, code: 'STALE' });
    const wrongBatch = await h.answer(id, 'approve', APPROVER, { batch: 1 });
    expect(wrongBatch).toMatchObject({ ok: false, code: 'STALE', message: expect.stringContaining('for batch 1') });
    expect(await h.settle(id)).toMatchObject({ version: r2.version, state: 'awaiting-approval' });
    expect(upgradesSoFar(h)).toBe(1);
  });

  it('an approval request that expires pauses the migration; a late click is stale; resume asks again', async () => {
    const h = new MigrationHarness({ world: demoWorld({ poolA: 2 }) });
    const id = await h.start('pool-a', { maxParallel: 1 });
    const r1 = await awaiting(h, id, 1);
    h.clock.advance(Date.parse(r1.pending!.expiresAt!) - h.clock.now().getTime() + 1);
    const expired = await h.settle(id);
    expect(expired).toMatchObject({ state: 'paused', pending: { kind: 'paused' } });
    expect(expired.reason).toMatch(/approval request for batch 1 expired/);
    const late = await h.service.decide({
      migrationId: id,
      decision: 'approve',
      nonce: r1.pending!.nonce,
      actor: APPROVER,
    });
    expect(late).toMatchObject({ ok: false, code: 'STALE' });
    expect(await h.service.controlByPool({ pool: 'pool-a', decision: 'resume', actor: APPROVER })).toMatchObject({
      ok: true,
    });
    const again = await awaiting(h, id, 1);
    expect(again.pending!.nonce).not.toBe(r1.pending!.nonce);
    expect(upgradesSoFar(h)).toBe(0);
  });

  it('start --yes approves every batch in advance for a CLI approver, audited; others may not', async () => {
    const h = new MigrationHarness({ world: demoWorld({ poolA: 3 }) });
    const root = { platform: 'cli' as const, channel: 'terminal', userId: 'root' };
    const refused = h.start('pool-a', { origin: REQUESTER, autoApprove: true });
    await expect(refused).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const id = await h.start('pool-a', { origin: root, autoApprove: true, maxParallel: 2 });
    const done = await h.settle(id);
    expect(done.state).toBe('completed');
    expect(done.batches.every((b) => b.approvedBy?.userId === 'root')).toBe(true);
    const approvals = (await h.service.history('pool-a')).filter((e) => e.action === 'approve' && e.outcome === 'ok');
    expect(approvals.map((e) => e.batch).sort()).toEqual(done.batches.map((b) => b.index));
  });
});
