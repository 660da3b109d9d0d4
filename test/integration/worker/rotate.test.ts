/**
 * Rotate mode against the sandbox: a containerd pool cloned from the old one takes the workloads, the old
 * pool is drained with our own drain and removed only after its own approval; a PDB that allows no disruption
 * stops the line naming the PDB instead of hanging.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFileSchema } from '../../../src/config/config-file.js';
import { redisUrl, testPrefix } from '../../support/redis.js';
import { APPROVER, type Lane, REQUESTER, scenarioYaml, until, WorkerHarness } from '../../support/worker-harness.js';

const workloads = `
manifests:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: b-app, namespace: web, labels: { app: b-app } }
    spec:
      replicas: 3
      selector: { matchLabels: { app: b-app } }
      template:
        metadata: { labels: { app: b-app } }
        spec:
          nodeSelector: { tier: b }
          containers: [{ name: app, image: registry.cn-hangzhou.aliyuncs.com/demo/api:1.18.0 }]
  - apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: { name: b-app, namespace: web }
    spec: { maxUnavailable: 1, selector: { matchLabels: { app: b-app } } }
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: ledger, namespace: web, labels: { app: ledger } }
    spec:
      replicas: 1
      selector: { matchLabels: { app: ledger } }
      template:
        metadata: { labels: { app: ledger } }
        spec:
          nodeSelector: { tier: p }
          containers: [{ name: ledger, image: registry.cn-hangzhou.aliyuncs.com/demo/ledger:3.1.0 }]
  - apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: { name: ledger, namespace: web }
    spec: { minAvailable: 1, selector: { matchLabels: { app: ledger } } }
`;

describe('rotate mode', { timeout: 90_000 }, () => {
  let h: WorkerHarness;
  let lane: Lane;
  beforeAll(async () => {
    h = await WorkerHarness.start({
      prefix: testPrefix('rotate'),
      redisUrl: redisUrl(),
      scenario: scenarioYaml({
        poolA: 2,
        poolB: 0,
        pools: [
          { name: 'pool-rb', nodes: 3, labels: '{ team: web, tier: b }' },
          { name: 'pool-rp', nodes: 2, labels: '{ team: web, tier: p }' },
        ],
        extra: workloads,
      }),
      config: configFileSchema.parse({
        clusters: [
          {
            id: 'c-demo',
            environment: 'production',
            pools: { 'pool-rb': { environment: 'staging' }, 'pool-rp': { environment: 'staging' } },
            approvers: { slack: [APPROVER.userId] },
          },
        ],
      }),
    });
    lane = await h.lane();
    await lane.worker({ timing: { ...h.timing, drainTimeoutMs: 2_000 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('moves the workloads to a new containerd pool and removes the old pool only after its approval', async () => {
    const { migration } = await lane.client.service.start({
      pool: 'pool-rb',
      mode: 'rotate',
      snapshot: false,
      soakSeconds: 0,
      maxParallel: 2,
      origin: REQUESTER,
    });
    const id = migration.migrationId;
    const asking = await until(
      'remove-old-pool approval',
      async () => {
        const r = await lane.record(id);
        if (r.state === 'paused' || r.state === 'aborted') throw new Error(`${r.state}: ${r.reason}`);
        return r.pending?.subject === 'remove-old-pool' ? r : undefined;
      },
      60_000,
    );
    // every old node drained, nothing removed yet
    expect(asking.batches.every((b) => b.state === 'done')).toBe(true);
    const pools = await h.gateways.cloud.listNodePools('c-demo');
    expect(pools.map((p) => p.name)).toEqual(expect.arrayContaining(['pool-rb', 'pool-rb-containerd']));
    const fresh = pools.find((p) => p.name === 'pool-rb-containerd')!;
    const oldNodes = await h.gateways.cluster.listPoolNodes('np-pool-rb');
    expect(oldNodes).toHaveLength(3);
    expect(oldNodes.every((n) => n.unschedulable)).toBe(true);
    const newNodes = await h.gateways.cluster.listPoolNodes(fresh.id);
    expect(newNodes).toHaveLength(3);
    expect(newNodes.every((n) => n.ready && n.runtimeVersion.startsWith('containerd://'))).toBe(true);
    // b-app now runs on the new pool, all replicas ready
    const [status] = await h.gateways.cluster.workloadStatus([{ kind: 'Deployment', namespace: 'web', name: 'b-app' }]);
    expect(status).toMatchObject({ desired: 3, ready: 3 });
    for (const n of oldNodes) {
      const pods = await h.gateways.cluster.listPodsOnNode(n.name);
      expect(pods.filter((p) => p.controllerKind !== 'DaemonSet' && !p.mirror)).toEqual([]);
    }
    // Once the job has parked on the question (no worker holds it; only an answer wakes it), the record is as the
    // question left it and the old pool is still there: nothing removes it before its approval.
    await until('the job parked', async () =>
      (await lane.client.jobs.migrations.getJobState(id)) === 'delayed' ? true : undefined,
    );
    expect(await lane.record(id)).toMatchObject({ version: asking.version, pending: { nonce: asking.pending!.nonce } });
    expect((await h.gateways.cloud.listNodePools('c-demo')).some((p) => p.id === 'np-pool-rb')).toBe(true);
    expect((await h.stats()).actions).not.toHaveProperty('DeleteClusterNodepool');

    const ok = await lane.client.service.decide({
      migrationId: id,
      decision: 'approve',
      nonce: asking.pending!.nonce,
      actor: APPROVER,
    });
    expect(ok).toMatchObject({ ok: true, message: 'remove-old-pool approved by U0APPROVER (slack)' });
    const done = await lane.untilState(id, ['completed', 'paused'], 60_000);
    expect(done.state).toBe('completed');
    expect(done.approvals?.['remove-old-pool']?.userId).toBe(APPROVER.userId);
    const after = await h.gateways.cloud.listNodePools('c-demo');
    expect(after.some((p) => p.id === 'np-pool-rb')).toBe(false);
    expect((await h.stats()).actions.DeleteClusterNodepool).toBe(1);
    expect(await h.gateways.cluster.listPoolNodes('np-pool-rb')).toEqual([]);
  });

  it('stops the line naming the PodDisruptionBudget that blocks a drain', async () => {
    const { migration } = await lane.client.service.start({
      pool: 'pool-rp',
      mode: 'rotate',
      snapshot: false,
      soakSeconds: 0,
      maxParallel: 2,
      origin: REQUESTER,
    });
    const id = migration.migrationId;
    // The precheck already names the PDB as a blocker: an approver overrides it on purpose.
    const blocked = await until(
      'override approval',
      async () => {
        const r = await lane.record(id);
        return r.pending?.subject === 'override-blockers' ? r : undefined;
      },
      30_000,
    );
    expect(blocked.precheck?.blockers.map((f) => f.rule)).toContain('pdb-blocking');
    await lane.client.service.decide({
      migrationId: id,
      decision: 'approve',
      nonce: blocked.pending!.nonce,
      actor: APPROVER,
    });
    const paused = await lane.untilState(id, ['paused', 'completed'], 60_000);
    expect(paused.state).toBe('paused');
    expect(paused.reason).toMatch(/PodDisruptionBudget web\/ledger allows no disruption of pod web\/ledger-/);
    expect(paused.failure?.node).toMatch(/^pool-rp-/);
    // The event is published right after the record is written and reaches the subscriber a moment later.
    await until('migration.failed naming the PDB', () =>
      lane.eventsOf(id).find((e) => e.type === 'migration.failed' && /web\/ledger/.test(e.reason)),
    );
    // Abort gives the old pool its undrained nodes back: schedulable again, still on Docker.
    await lane.client.service.controlByPool({ pool: 'pool-rp', decision: 'abort', actor: APPROVER });
    await lane.untilState(id, ['aborted']);
    await until(
      'old nodes schedulable',
      async () => {
        const nodes = await h.gateways.cluster.listPoolNodes('np-pool-rp');
        return nodes.length === 2 && nodes.every((n) => !n.unschedulable) ? nodes : undefined;
      },
      60_000,
    );
  }, 120_000);
});
