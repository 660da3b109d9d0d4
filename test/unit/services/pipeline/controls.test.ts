/**
 * A person's controls at unit speed: reject an approval, pause and resume (typed, while a batch runs), abort while a
 * batch runs and while parked. Abort never undoes finished work and never cancels ACK's running task: the batch in
 * flight completes, nothing after it starts.
 */
import { describe, expect, it } from 'vitest';
import type { UpgradeRequest } from '../../../../src/ports/cloud-gateway.js';
import { APPROVER, demoWorld, MigrationHarness, REQUESTER } from '../../../support/fakes/migration-harness.js';

const upgraded = (h: MigrationHarness) =>
  h.world.calls.filter((c) => c.method === 'upgradeNodePool').flatMap((c) => (c.args[2] as UpgradeRequest).nodeNames);

describe('controls', () => {
  it('a rejection pauses with the reason and starts nothing; resume asks again', async () => {
    const h = new MigrationHarness({ world: demoWorld({ poolA: 2 }) });
    const id = await h.start('pool-a', { maxParallel: 1 });
    const asked = await h.settle(id);
    const rejected = await h.answer(id, 'reject', APPROVER, { reason: 'change freeze' });
    expect(rejected).toMatchObject({ ok: true, message: 'rejected by U0APPROVER (slack): change freeze' });
    const paused = await h.settle(id);
    expect(paused).toMatchObject({ state: 'paused', reason: 'rejected by U0APPROVER (slack): change freeze' });
    expect(paused.batches[0]!.startedAt).toBeUndefined();
    expect(upgraded(h)).toEqual([]);
    expect(await h.answer(id, 'resume', APPROVER)).toMatchObject({ ok: true });
    const again = await h.settle(id);
    expect(again).toMatchObject({ state: 'awaiting-approval', pending: { batch: 1 } });
    expect(again.pending!.nonce).not.toBe(asked.pending!.nonce);
  });

  it('a typed pause while a batch runs takes effect once the batch is verified; resume continues to the end', async () => {
    const h = new MigrationHarness();
    const id = await h.start('pool-b', { maxParallel: 1 });
    let answer: unknown;
    h.when(
      async () => (await h.record(id)).batches[0]?.taskId !== undefined,
      async () => {
        answer = await h.service.controlByPool({ pool: 'pool-b', decision: 'pause', actor: REQUESTER });
      },
    );
    const paused = await h.settle(id);
    expect(answer).toMatchObject({
      ok: true,
      message: expect.stringContaining('takes effect when the current step ends'),
    });
    expect(paused).toMatchObject({
      state: 'paused',
      reason: 'paused by U0REQUESTER (slack)',
      pending: { kind: 'paused' },
    });
    expect(paused.batches[0]).toMatchObject({ state: 'done' });
    expect(paused.batches[1]!.startedAt).toBeUndefined();
    expect(upgraded(h)).toEqual(paused.batches[0]!.nodes);
    expect(await h.service.controlByPool({ pool: 'pool-b', decision: 'resume', actor: REQUESTER })).toMatchObject({
      ok: true,
    });
    const done = await h.settle(id);
    expect(done.state).toBe('completed');
    expect(done.batches.every((b) => b.state === 'done')).toBe(true);
  });

  it('an abort while a batch runs cancels its task, which finishes the nodes in progress; nothing starts after it', async () => {
    const h = new MigrationHarness({ world: demoWorld({ poolB: 6 }) });
    const id = await h.start('pool-b', { maxParallel: 2 });
    let answer: unknown;
    h.when(
      async () => (await h.record(id)).batches[1]?.taskId !== undefined,
      async () => {
        answer = await h.service.controlByPool({ pool: 'pool-b', decision: 'abort', actor: REQUESTER });
      },
    );
    const aborted = await h.settle(id);
    expect(answer).toMatchObject({ ok: true, message: expect.stringContaining('finished nodes stay migrated') });
    expect(aborted).toMatchObject({ state: 'aborted', reason: 'aborted by U0REQUESTER (slack)' });
    const [b1, b2, ...rest] = aborted.batches;
    // CancelTask, then followed until it settled: ACK finishes a node it has begun (here the whole batch).
    expect(h.world.callCount('cancelTask')).toBe(1);
    expect((await h.cloud.describeTask(b2!.taskId!)).state).toBe('success');
    expect(aborted.nodeReport).toMatchObject({ migrated: 3, untouched: 3, midWay: 0 });
    expect(b1!.state).toBe('done');
    for (const n of [...b1!.nodes, ...b2!.nodes]) expect(h.world.nodes.get(n)?.runtime).toBe('containerd');
    for (const n of rest.flatMap((b) => b.nodes)) expect(h.world.nodes.get(n)?.runtime).toBe('docker');
    expect(upgraded(h)).toEqual([...b1!.nodes, ...b2!.nodes]);
    expect(rest.every((b) => !b.startedAt)).toBe(true);
    expect(await h.stores.lease.holder('c-demo', 'np-b')).toBeUndefined();
    expect(h.events(id).at(-1)).toMatchObject({ type: 'migration.finished', migration: { state: 'aborted' } });
    const [entry] = await h.service.history('pool-b');
    expect(entry).toMatchObject({ action: 'abort', userId: REQUESTER.userId, outcome: 'ok' });
  });

  it('an abort while awaiting an approval ends the migration at once; finished batches stay migrated', async () => {
    const h = new MigrationHarness({ world: demoWorld({ poolA: 4 }) });
    const id = await h.start('pool-a', { maxParallel: 2 });
    await h.settle(id);
    await h.answer(id, 'approve');
    const second = await h.settle(id);
    expect(second.pending).toMatchObject({ kind: 'approval', batch: 2 });
    expect(await h.service.controlByPool({ pool: 'pool-a', decision: 'abort', actor: APPROVER })).toMatchObject({
      ok: true,
    });
    const aborted = await h.settle(id);
    expect(aborted.state).toBe('aborted');
    expect(aborted.pending).toBeUndefined();
    expect(h.world.nodes.get(aborted.batches[0]!.nodes[0]!)?.runtime).toBe('containerd');
    expect(upgraded(h)).toEqual(aborted.batches[0]!.nodes);
    expect(h.jobs.state(id)).toBe('completed');
    const late = await h.service.decide({
      migrationId: id,
      decision: 'approve',
      nonce: second.pending!.nonce,
      actor: APPROVER,
    });
    expect(late).toMatchObject({ ok: false, code: 'CONFLICT' });
  });
});
