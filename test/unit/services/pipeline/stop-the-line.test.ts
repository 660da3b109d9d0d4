/**
 * Stop the line at unit speed (mirrors test/integration/worker/stop-the-line.test.ts): a failure pauses the
 * migration naming the node and the reason, with a Retry / Skip node / Abort question, and nothing further is
 * touched; Retry runs the batch again, Skip node goes on without the node.
 */
import { describe, expect, it } from 'vitest';
import type { UpgradeRequest } from '../../../../src/ports/cloud-gateway.js';
import { runMigration } from '../../../../src/services/pipeline/runner.js';
import { demoWorld, MigrationHarness, REQUESTER, STRANGER } from '../../../support/fakes/migration-harness.js';

const upgradeRequests = (h: MigrationHarness) =>
  h.world.calls.filter((c) => c.method === 'upgradeNodePool').map((c) => c.args[2] as UpgradeRequest);

describe('stop the line', () => {
  it('pauses naming the node that never became Ready, touches nothing else, and completes on retry', async () => {
    const h = new MigrationHarness({ world: demoWorld({ poolB: 5 }) });
    h.world.plantFault('pool-b-2', 'ready', 'NodeNotReady');
    const id = await h.start('pool-b', { maxParallel: 2 });
    const paused = await h.settle(id);
    expect(paused).toMatchObject({
      state: 'paused',
      failure: { node: 'pool-b-2' },
      pending: { kind: 'failure', node: 'pool-b-2' },
    });
    expect(paused.reason).toMatch(/pool-b-2.*(Ready|NodeNotReady)/);
    const failed = h.events(id).find((e) => e.type === 'migration.failed');
    expect(failed).toMatchObject({ node: 'pool-b-2', approval: { nonce: paused.pending!.nonce } });
    expect(h.jobs.state(id)).toBe('delayed');
    const failedBatch = paused.failure!.batch;
    const later = paused.batches.filter((b) => b.index > failedBatch);
    expect(later).not.toEqual([]);
    for (const b of later) {
      expect(b.startedAt).toBeUndefined();
      for (const n of b.nodes) expect(h.world.nodes.get(n)?.runtime).toBe('docker');
    }
    const requests = upgradeRequests(h).length;

    const wrongSkip = await h.answer(id, 'skip-node', REQUESTER, { node: 'pool-b-1' });
    expect(wrongSkip).toMatchObject({ ok: false, code: 'CONFLICT' });
    expect(await h.answer(id, 'retry', STRANGER)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await h.settle(id)).toMatchObject({ state: 'paused', version: paused.version });
    expect(upgradeRequests(h)).toHaveLength(requests);

    h.world.faults = [];
    expect(await h.answer(id, 'retry', REQUESTER)).toMatchObject({
      ok: true,
      message: `batch ${failedBatch} retried by U0REQUESTER (slack)`,
    });
    const done = await h.settle(id);
    expect(done.state).toBe('completed');
    expect(done.reason).toBeUndefined();
    // The retry upgrades only what is not done yet: the failed node, not its batch mate.
    expect(upgradeRequests(h)[requests]!.nodeNames).toEqual(['pool-b-2']);
    for (const n of await h.cluster.listPoolNodes('np-b'))
      expect(n.ready && n.runtimeVersion.startsWith('containerd://')).toBe(true);
  });

  it('a second run of the job that meets the same failure keeps the first question and says it once', async () => {
    const h = new MigrationHarness({ world: demoWorld({ poolB: 5 }) });
    h.world.plantFault('pool-b-2', 'ready', 'NodeNotReady');
    const id = await h.start('pool-b', { maxParallel: 2 });
    // As after a lapsed job lock: a second run starts while the first still follows the batch's ACK task.
    let second: ReturnType<typeof runMigration> | undefined;
    h.when(
      async () => (await h.record(id)).batches.some((b) => b.nodes.includes('pool-b-2') && b.taskId !== undefined),
      () => {
        second = runMigration(h.runner, id, { shouldYield: () => false, checkLock: async () => undefined });
      },
    );
    const paused = await h.settle(id);
    expect(second).toBeDefined();
    expect(await second).toMatchObject({ type: 'park' });
    const after = await h.record(id);
    expect(after).toMatchObject({ state: 'paused', pending: { kind: 'failure', node: 'pool-b-2' } });
    expect(after.pending!.nonce).toBe(paused.pending!.nonce);
    expect(after.version).toBe(paused.version);
    const failed = h.events(id).filter((e) => e.type === 'migration.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ approval: { nonce: after.pending!.nonce } });
  });

  it('skip-node goes on without the node that never became Ready', async () => {
    const h = new MigrationHarness({ world: demoWorld({ poolB: 4 }) });
    h.world.plantFault('pool-b-2', 'ready', 'NodeNotReady');
    const id = await h.start('pool-b', { maxParallel: 2 });
    await h.settle(id);
    const skipped = await h.answer(id, 'skip-node', REQUESTER, { node: 'pool-b-2' });
    expect(skipped).toMatchObject({ ok: true, message: expect.stringContaining('pool-b-2 skipped by U0REQUESTER') });
    const done = await h.settle(id);
    expect(done.state).toBe('completed');
    const outcomes = Object.fromEntries(done.results.flatMap((r) => r.nodes).map((n) => [n.node, n.outcome]));
    expect(outcomes).toEqual({ 'pool-b-1': 'done', 'pool-b-2': 'skipped', 'pool-b-3': 'done', 'pool-b-4': 'done' });
    expect(
      upgradeRequests(h)
        .flatMap((r) => r.nodeNames)
        .filter((n) => n === 'pool-b-2'),
    ).toHaveLength(1);
  });

  it('a node whose snapshot fails is not touched; Skip node continues without it', async () => {
    const h = new MigrationHarness();
    h.world.plantFault('pool-b-1', 'snapshot', 'SnapshotTimeout');
    const id = await h.start('pool-b', { maxParallel: 1, snapshot: true });
    const paused = await h.settle(id);
    expect(paused.failure?.node).toBe('pool-b-1');
    expect(paused.reason).toMatch(/snapshot of pool-b-1's system disk .*the node was not touched/);
    const instance = paused.before['pool-b-1']!.instanceId;
    expect(h.replacements(instance)).toBe(0);
    expect(upgradeRequests(h)).toEqual([]);
    expect(await h.answer(id, 'skip-node', REQUESTER, { node: 'pool-b-1' })).toMatchObject({ ok: true });
    const done = await h.settle(id);
    expect(done.state).toBe('completed');
    expect(h.world.nodes.get('pool-b-1')?.runtime).toBe('docker');
    expect(h.world.nodes.get('pool-b-2')?.runtime).toBe('containerd');
    expect(done.results.flatMap((r) => r.nodes).find((n) => n.node === 'pool-b-1')?.outcome).toBe('skipped');
  });

  it('a throttled cloud call stops the line with the reason; Retry goes on', async () => {
    const h = new MigrationHarness();
    h.world.throttle('upgradeNodePool');
    const id = await h.start('pool-b', { maxParallel: 2 });
    const paused = await h.settle(id);
    expect(paused.state).toBe('paused');
    expect(paused.reason).toMatch(/UpgradeClusterNodepool failed after 5 attempts: Throttling\.User/);
    expect(paused.pending).toMatchObject({ kind: 'failure', batch: 1 });
    expect(paused.pending!.node).toBeUndefined();
    expect(await h.answer(id, 'retry', REQUESTER)).toMatchObject({ ok: true });
    expect((await h.settle(id)).state).toBe('completed');
  });

  it('a failure in production needs an approver to retry: the requester may not, whatever the word', async () => {
    const h = new MigrationHarness({ world: demoWorld({ poolA: 2 }) });
    h.world.plantFault('pool-a-1', 'start', 'InstanceStartFailed');
    const id = await h.start('pool-a', { maxParallel: 1 });
    await h.settle(id);
    await h.answer(id, 'approve');
    const paused = await h.settle(id);
    expect(paused.reason).toMatch(/node pool-a-1 .*failed at step start.*InstanceStartFailed/);
    const resume = await h.service.controlByPool({ pool: 'pool-a', decision: 'resume', actor: REQUESTER });
    expect(resume).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect((await h.record(id)).state).toBe('paused');
    h.world.faults = [];
    expect(await h.answer(id, 'retry')).toMatchObject({ ok: true });
    expect((await h.runToEnd(id)).state).toBe('completed');
  });
});
