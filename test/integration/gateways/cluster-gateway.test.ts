import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KubeClusterGateway } from '../../../src/gateways/cluster/kube-cluster-gateway.js';
import { loadKubeConfig } from '../../../src/gateways/cluster/kube-config.js';
import type { NodeWatchEvent } from '../../../src/ports/cluster-gateway.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/start-sandbox.js';

let sandbox: Sandbox;
let gateway: KubeClusterGateway;

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.01 });
  gateway = new KubeClusterGateway(loadKubeConfig(sandbox.kubeconfig), { watchRetryMs: 50 });
});

afterAll(async () => {
  gateway?.close();
  await sandbox?.stop();
});

function key(ref: { kind: string; namespace?: string; name: string }): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

// Generous deadlines: these wait for events, they do not measure speed (CI shares two cores with the sandbox).
const WAIT = { timeout: 20_000, interval: 25 };

describe('KubeClusterGateway read side (demo scenario)', () => {
  it('snapshots pool-a: its nodes only, every pod on them with its top owner, the workloads and PDBs that reach them', async () => {
    const before = gateway.stats().calls;
    const snap = await gateway.snapshotPool('np-a');
    // Discovery once (/apis, /api/v1, /apis/policy/v1, /apis/batch/v1), the pods of each of the pool's 6 nodes
    // through its field selector, one list per other kind (each fits one page here); never a call per pod.
    const after = gateway.stats().calls;
    const delta = Object.fromEntries(Object.entries(after).map(([k, n]) => [k, n - (before[k] ?? 0)]));
    expect(delta).toEqual({
      discovery: 4,
      'list nodes': 1,
      'list pods': 6,
      'list replicasets': 1,
      'list jobs': 1,
      'list deployments': 1,
      'list statefulsets': 1,
      'list daemonsets': 1,
      'list cronjobs': 1,
      'list poddisruptionbudgets': 1,
    });
    expect(snap.nodes.map((n) => n.name).sort()).toEqual([
      'pool-a-1',
      'pool-a-2',
      'pool-a-3',
      'pool-a-4',
      'pool-a-5',
      'pool-a-6',
    ]);
    for (const n of snap.nodes) {
      expect(n.poolId).toBe('np-a');
      expect(n.instanceId).toMatch(/^i-/);
      expect(n.internalIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(n.runtimeVersion).toMatch(/^docker:\/\//);
      expect(n.ready).toBe(true);
    }
    const onPool = sandbox.world.listNodes('np-a').flatMap((n) => sandbox.world.podsOnNode(n.name));
    expect(snap.pods.map((p) => `${p.namespace}/${p.name}`).sort()).toEqual(
      onPool.map((p) => `${p.namespace}/${p.name}`).sort(),
    );
    const owners = new Map(snap.pods.map((p) => [`${p.namespace}/${p.name}`, p]));
    const ledger = snap.pods.filter((p) => p.namespace === 'payments');
    expect(ledger.length).toBe(3);
    for (const p of ledger) {
      expect(p.owner).toEqual({ kind: 'Deployment', namespace: 'payments', name: 'ledger' });
      expect(p.controllerKind).toBe('ReplicaSet');
    }
    const bare = owners.get('default/debug-shell');
    expect(bare?.owner).toEqual({ kind: 'Pod', namespace: 'default', name: 'debug-shell' });
    expect(bare?.controllerKind).toBeUndefined();
    const redis = snap.pods.find((p) => p.name === 'redis-0');
    expect(redis?.owner).toEqual({ kind: 'StatefulSet', namespace: 'data', name: 'redis' });
    const agent = snap.pods.find((p) => p.namespace === 'monitoring');
    expect(agent?.owner.kind).toBe('DaemonSet');
    expect(agent?.spec.volumes).toContainEqual({
      name: 'docker-sock',
      hostPath: { path: '/var/run/docker.sock', type: 'Socket' },
    });

    const workloads = new Set(snap.workloads.map((w) => key(w.ref)));
    // The CronJob has no pod now, but its template selects pool-a's nodes.
    expect(workloads).toContain('CronJob/ci/image-prune');
    expect(workloads).toContain('DaemonSet/kube-system/kube-proxy-worker');
    for (const p of snap.pods) if (p.owner.kind !== 'Pod') expect(workloads).toContain(key(p.owner));
    // The staging namespace runs on pool-b only: neither its Deployment nor its PDB belongs to pool-a.
    expect(workloads).not.toContain('Deployment/staging/web');
    expect(snap.pdbs.map((p) => `${p.namespace}/${p.name}`)).toContain('payments/ledger');
    expect(snap.pdbs.map((p) => p.namespace)).not.toContain('staging');
    const pdb = snap.pdbs.find((p) => p.name === 'ledger');
    expect(pdb).toMatchObject({ maxUnavailable: 0, disruptionsAllowed: 0 });
  });

  it('lists the pool nodes by label and reads one node; an unknown node is undefined', async () => {
    const nodes = await gateway.listPoolNodes('np-b');
    expect(nodes.map((n) => n.name).sort()).toEqual(['pool-b-1', 'pool-b-2', 'pool-b-3']);
    expect((await gateway.getNode('pool-b-2'))?.poolId).toBe('np-b');
    expect(await gateway.getNode('no-such-node')).toBeUndefined();
  });

  it('lists the pods on one node with their top owners', async () => {
    const pods = await gateway.listPodsOnNode('pool-a-1');
    const expected = sandbox.world.podsOnNode('pool-a-1').map((p) => p.name);
    expect(pods.map((p) => p.name).sort()).toEqual([...expected].sort());
    for (const p of pods) {
      expect(p.nodeName).toBe('pool-a-1');
      if (p.controllerKind === 'ReplicaSet') expect(p.owner.kind).toBe('Deployment');
    }
  });

  it('reports desired and ready replicas; a deleted workload wants nothing', async () => {
    const status = await gateway.workloadStatus([
      { kind: 'Deployment', namespace: 'payments', name: 'ledger' },
      { kind: 'StatefulSet', namespace: 'data', name: 'redis' },
      { kind: 'Deployment', namespace: 'payments', name: 'gone' },
    ]);
    expect(status.map((s) => [s.ref.name, s.desired, s.ready])).toEqual([
      ['ledger', 3, 3],
      ['redis', 3, 3],
      ['gone', 0, 0],
    ]);
  });
});

describe('KubeClusterGateway write side', () => {
  it('cordons and uncordons a node, idempotently, and the watch sees it', async () => {
    const events: NodeWatchEvent[] = [];
    const stop = await gateway.watchPoolNodes('np-b', (e) => events.push(e));
    try {
      // The first connection replays the pool's current nodes.
      await vi.waitFor(() => expect(events.filter((e) => e.type === 'ADDED').length).toBeGreaterThanOrEqual(3), WAIT);
      await gateway.setUnschedulable('pool-b-1', true);
      await gateway.setUnschedulable('pool-b-1', true);
      expect((await gateway.getNode('pool-b-1'))?.unschedulable).toBe(true);
      await expect
        .poll(
          () => events.some((e) => e.type === 'MODIFIED' && e.node.name === 'pool-b-1' && e.node.unschedulable),
          WAIT,
        )
        .toBe(true);
      await gateway.setUnschedulable('pool-b-1', false);
      expect(sandbox.world.getNode('pool-b-1')?.unschedulable).toBe(false);
      await expect
        .poll(
          () =>
            events.some(
              (e, i) => e.node.name === 'pool-b-1' && !e.node.unschedulable && i > 3 && e.type === 'MODIFIED',
            ),
          WAIT,
        )
        .toBe(true);
      expect(events.every((e) => e.node.poolId === 'np-b')).toBe(true);
    } finally {
      stop();
    }
  });

  it('keeps watching across server-side stream ends, resuming where it stopped', async () => {
    const short = new KubeClusterGateway(loadKubeConfig(sandbox.kubeconfig), {
      watchRetryMs: 20,
      watchTimeoutSeconds: 1,
    });
    const events: NodeWatchEvent[] = [];
    const stop = await short.watchPoolNodes('np-a', (e) => events.push(e));
    try {
      await vi.waitFor(() => expect(events.length).toBeGreaterThanOrEqual(6), WAIT);
      // Outlive the first stream, then change a node: only a reconnected watch can see it.
      await vi.waitFor(() => expect(short.stats().calls['watch nodes'] ?? 0).toBeGreaterThanOrEqual(2), WAIT);
      const seen = events.length;
      sandbox.world.setUnschedulable('pool-a-6', true);
      await expect
        .poll(() => events.slice(seen).some((e) => e.node.name === 'pool-a-6' && e.node.unschedulable), WAIT)
        .toBe(true);
      // Resumed from its resourceVersion: no replay of the six nodes as ADDED.
      expect(events.slice(seen).filter((e) => e.type === 'ADDED')).toEqual([]);
    } finally {
      stop();
      sandbox.world.setUnschedulable('pool-a-6', false);
      short.close();
    }
  });

  it('evicts a pod, which then no longer exists under its uid', async () => {
    const [pod] = (await gateway.listPodsOnNode('pool-b-2')).filter((p) => p.owner.kind === 'Deployment');
    expect(pod).toBeDefined();
    expect(await gateway.podExists(pod!.namespace, pod!.name, pod!.uid)).toBe(true);
    expect(await gateway.evictPod(pod!.namespace, pod!.name)).toEqual({ status: 'evicted' });
    await expect.poll(() => gateway.podExists(pod!.namespace, pod!.name, pod!.uid), WAIT).toBe(false);
    expect(await gateway.evictPod(pod!.namespace, pod!.name)).toEqual({ status: 'gone' });
  });

  it('reports an eviction a PDB refuses as blocked, naming the PDB', async () => {
    const ledger = (await gateway.snapshotPool('np-a')).pods.find((p) => p.namespace === 'payments')!;
    const outcome = await gateway.evictPod('payments', ledger.name);
    expect(outcome).toMatchObject({ status: 'blocked', pdb: 'ledger' });
    expect(await gateway.podExists('payments', ledger.name, ledger.uid)).toBe(true);
  });

  it('deletes a pod outright; deleting it again is not an error', async () => {
    const bare = sandbox.world.podsOnNode('pool-a-1').find((p) => p.name === 'debug-shell')!;
    await gateway.deletePod('default', 'debug-shell');
    expect(await gateway.podExists('default', 'debug-shell', bare.uid)).toBe(false);
    await expect(gateway.deletePod('default', 'debug-shell')).resolves.toBeUndefined();
  });

  it('turns API failures into CLUSTER_API errors that name the call', async () => {
    const error = await gateway.setUnschedulable('no-such-node', true).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CLUSTER_API', retryable: false });
    expect((error as Error).message).toMatch(/cordon node no-such-node failed: HTTP 404/);
  });
});
