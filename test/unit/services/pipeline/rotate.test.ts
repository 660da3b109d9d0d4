/**
 * Rotate mode at unit speed (mirrors test/integration/worker/rotate.test.ts): a containerd pool cloned from the old
 * one is Ready before anything moves, the old pool is cordoned and drained batch by batch with our own drain, and it
 * is removed only after its own approval. A PDB that allows no disruption stops the line naming it; abort gives the
 * old pool its undrained nodes back.
 */
import { describe, expect, it } from 'vitest';
import type { FakeWorldSpec } from '../../../support/fakes/fake-world.js';
import { APPROVER, harnessConfig, MigrationHarness } from '../../../support/fakes/migration-harness.js';

const world = (): FakeWorldSpec => ({
  pools: [
    { id: 'np-r', name: 'pool-r', nodes: 3, labels: { team: 'web', tier: 'r' } },
    { id: 'np-p', name: 'pool-p', nodes: 2, labels: { team: 'web', tier: 'p' } },
  ],
  controllers: [
    { kind: 'Deployment', namespace: 'web', name: 'r-app', replicas: 3, nodeSelector: { tier: 'r' } },
    { kind: 'Deployment', namespace: 'web', name: 'ledger', replicas: 1, nodeSelector: { tier: 'p' } },
    { kind: 'DaemonSet', namespace: 'kube-system', name: 'node-agent' },
  ],
  pdbs: [
    { namespace: 'web', name: 'r-app', selector: { app: 'r-app' }, maxUnavailable: 1 },
    { namespace: 'web', name: 'ledger', selector: { app: 'ledger' }, minAvailable: 1 },
  ],
});

function harness() {
  const config = harnessConfig();
  config.clusters[0]!.pools['pool-p'] = { environment: 'staging' };
  return new MigrationHarness({ world: world(), config, timing: { drainTimeoutMs: 120_000 } });
}

const at = (h: MigrationHarness, method: string, where: (args: unknown[]) => boolean = () => true) =>
  h.world.calls.findIndex((c) => c.method === method && where(c.args));

describe('rotate mode', () => {
  it('moves the workloads to a new containerd pool and removes the old pool only after its approval', async () => {
    const h = harness();
    const id = await h.start('pool-r', { mode: 'rotate', maxParallel: 2 });
    const asking = await h.settle(id);
    expect(asking).toMatchObject({ state: 'awaiting-approval', pending: { subject: 'remove-old-pool' } });
    expect(asking.batches.map((b) => [b.nodes.length, b.state])).toEqual([
      [1, 'done'],
      [2, 'done'],
    ]);
    const fresh = (await h.cloud.listNodePools('c-demo')).find((p) => p.name === 'pool-r-containerd')!;
    expect(fresh).toMatchObject({ runtime: 'containerd', nodeCount: 3, labels: { tier: 'r' } });
    expect(asking.rotate).toMatchObject({ newPoolId: fresh.id, oldCordoned: true, oldRemoved: false });
    const newNodes = await h.cluster.listPoolNodes(fresh.id);
    expect(newNodes.every((n) => n.ready && n.runtimeVersion === 'containerd://1.6.28')).toBe(true);
    // Nothing moved before the new pool was there, and the old pool was cordoned as a whole before its first drain.
    expect(at(h, 'createNodePool')).toBeLessThan(at(h, 'setUnschedulable'));
    expect(at(h, 'setUnschedulable')).toBeLessThan(at(h, 'evictPod'));
    const old = await h.cluster.listPoolNodes('np-r');
    expect(old.map((n) => n.unschedulable)).toEqual([true, true, true]);
    for (const n of old) {
      const left = (await h.cluster.listPodsOnNode(n.name)).filter((p) => p.controllerKind !== 'DaemonSet');
      expect(left).toEqual([]);
    }
    expect(await h.cluster.workloadStatus([{ kind: 'Deployment', namespace: 'web', name: 'r-app' }])).toMatchObject([
      { desired: 3, ready: 3 },
    ]);
    // Parked on the question: the old pool is still there and nothing asked to remove it.
    expect(h.jobs.state(id)).toBe('delayed');
    expect(h.world.callCount('removeNodePoolNodes') + h.world.callCount('deleteNodePool')).toBe(0);

    const ok = await h.answer(id, 'approve', APPROVER);
    expect(ok).toMatchObject({ ok: true, message: 'remove-old-pool approved by U0APPROVER (slack)' });
    const done = await h.settle(id);
    expect(done).toMatchObject({ state: 'completed', rotate: { oldRemoved: true } });
    expect(done.approvals?.['remove-old-pool']?.userId).toBe(APPROVER.userId);
    expect((await h.cloud.listNodePools('c-demo')).map((p) => p.id)).not.toContain('np-r');
    expect(await h.cluster.listPoolNodes('np-r')).toEqual([]);
    expect(h.world.callCount('upgradeNodePool')).toBe(0);
  });

  it('stops the line naming the PodDisruptionBudget that blocks a drain; abort gives the old nodes back', async () => {
    const h = harness();
    const id = await h.start('pool-p', { mode: 'rotate', maxParallel: 2 });
    // The precheck already names the PDB as a blocker: an approver overrides it on purpose.
    const blocked = await h.settle(id);
    expect(blocked.pending).toMatchObject({ subject: 'override-blockers' });
    expect(blocked.precheck?.blockers.map((f) => f.rule)).toContain('pdb-blocking');
    expect(await h.answer(id, 'approve', APPROVER)).toMatchObject({ ok: true });
    const paused = await h.settle(id);
    expect(paused.state).toBe('paused');
    expect(paused.reason).toMatch(/PodDisruptionBudget web\/ledger allows no disruption of pod web\/ledger-/);
    expect(paused.failure?.node).toMatch(/^pool-p-/);
    expect(h.events(id).find((e) => e.type === 'migration.failed')).toMatchObject({ reason: paused.reason });
    const ledger = await h.cluster.workloadStatus([{ kind: 'Deployment', namespace: 'web', name: 'ledger' }]);
    expect(ledger).toMatchObject([{ desired: 1, ready: 1 }]);

    expect(await h.service.controlByPool({ pool: 'pool-p', decision: 'abort', actor: APPROVER })).toMatchObject({
      ok: true,
    });
    const aborted = await h.settle(id);
    expect(aborted).toMatchObject({ state: 'aborted', rotate: { oldUncordoned: true } });
    const nodes = await h.cluster.listPoolNodes('np-p');
    expect(nodes.map((n) => [n.unschedulable, n.runtimeVersion])).toEqual([
      [false, 'docker://19.3.15'],
      [false, 'docker://19.3.15'],
    ]);
    // Abort undoes nothing: the new pool stays for a person to remove.
    expect((await h.cloud.listNodePools('c-demo')).some((p) => p.name === 'pool-p-containerd')).toBe(true);
  });
});
