/**
 * The ClusterGateway contract (src/ports/cluster-gateway.ts): what every implementation shows, run against the fake
 * (test/unit/services/fake-gateways.test.ts) and against KubeClusterGateway over the sandbox's Kubernetes API
 * (test/integration/gateways/gateway-contract.test.ts), on the world of contract-world.ts.
 */
import { describe, expect, it } from 'vitest';
import type { NodeWatchEvent } from '../../../src/ports/cluster-gateway.js';
import { eventually, type GatewaySubject, type SubjectFactory } from './contract-world.js';

const GUARDED = { kind: 'Deployment' as const, namespace: 'web', name: 'guarded' };
const SPREAD = { kind: 'Deployment' as const, namespace: 'web', name: 'spread' };

export function clusterGatewayContract(name: string, factory: SubjectFactory): void {
  describe(`ClusterGateway contract: ${name}`, () => {
    const test = (title: string, body: (s: GatewaySubject) => Promise<void>) =>
      it(title, async () => {
        const s = await factory();
        try {
          await body(s);
        } finally {
          await s.close();
        }
      });

    const podOf = async (s: GatewaySubject, poolId: string, owner: string) => {
      const pod = (await s.cluster.snapshotPool(poolId)).pods.find((p) => p.owner.name === owner);
      if (!pod) throw new Error(`no pod of ${owner} on ${poolId}`);
      return pod;
    };

    test("lists a pool's nodes by its label and reads one node the same way; unknown ones are absent", async (s) => {
      const nodes = await s.cluster.listPoolNodes('np-a');
      expect(nodes.map((n) => n.name).sort()).toEqual(['pool-a-1', 'pool-a-2', 'pool-a-3']);
      for (const n of nodes) {
        expect(n).toMatchObject({
          poolId: 'np-a',
          ready: true,
          unschedulable: false,
          runtimeVersion: 'docker://19.3.15',
        });
        expect(n.instanceId).toMatch(/^i-/);
        expect(n.internalIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
        expect(n.labels).toMatchObject({ team: 'a', 'alibabacloud.com/nodepool-id': 'np-a' });
      }
      expect(await s.cluster.getNode('pool-a-2')).toEqual(nodes.find((n) => n.name === 'pool-a-2'));
      expect(await s.cluster.getNode('no-such-node')).toBeUndefined();
      expect(await s.cluster.listPoolNodes('np-nope')).toEqual([]);
    });

    test('snapshots a pool: its nodes, the pods on them with their top owners, the workloads and PDBs', async (s) => {
      const snap = await s.cluster.snapshotPool('np-a');
      const names = new Set(snap.nodes.map((n) => n.name));
      expect([...names].sort()).toEqual(['pool-a-1', 'pool-a-2', 'pool-a-3']);
      const web = snap.pods.filter((p) => p.namespace === 'web');
      expect(web).toHaveLength(4);
      for (const p of web) {
        expect(names.has(p.nodeName ?? '')).toBe(true);
        expect(p).toMatchObject({ phase: 'Running', ready: true, controllerKind: 'ReplicaSet', mirror: false });
        expect(['guarded', 'spread']).toContain(p.owner.name);
        expect(p.owner.kind).toBe('Deployment');
        expect(p.uid).toBeTruthy();
      }
      const workloads = snap.workloads.map((w) => `${w.ref.kind}/${w.ref.namespace}/${w.ref.name}:${w.replicas}`);
      expect(workloads).toEqual(expect.arrayContaining(['Deployment/web/guarded:2', 'Deployment/web/spread:2']));
      const pdbs = Object.fromEntries(snap.pdbs.map((b) => [`${b.namespace}/${b.name}`, b]));
      expect(pdbs['web/guarded']).toMatchObject({ minAvailable: 2, disruptionsAllowed: 0, currentHealthy: 2 });
      expect(pdbs['web/spread']).toMatchObject({ maxUnavailable: 1, disruptionsAllowed: 1, expectedPods: 2 });
      const other = await s.cluster.snapshotPool('np-b');
      const debug = other.pods.find((p) => p.name === 'debug');
      expect(debug).toMatchObject({
        owner: { kind: 'Pod', namespace: 'default', name: 'debug' },
        controllerKind: undefined,
      });
      expect(other.pdbs.filter((b) => b.namespace === 'web')).toEqual([]);
    });

    test('lists the pods of each node; an unknown node has none', async (s) => {
      const snap = await s.cluster.snapshotPool('np-a');
      const seen: string[] = [];
      for (const n of snap.nodes) {
        const pods = await s.cluster.listPodsOnNode(n.name);
        for (const p of pods) expect(p.nodeName).toBe(n.name);
        seen.push(...pods.map((p) => p.uid));
      }
      expect(seen.sort()).toEqual(snap.pods.map((p) => p.uid).sort());
      expect(await s.cluster.listPodsOnNode('no-such-node')).toEqual([]);
    });

    test('cordons and uncordons idempotently; patching an unknown node is a CLUSTER_API 404', async (s) => {
      await s.cluster.setUnschedulable('pool-b-1', true);
      await s.cluster.setUnschedulable('pool-b-1', true);
      expect((await s.cluster.getNode('pool-b-1'))?.unschedulable).toBe(true);
      await s.cluster.setUnschedulable('pool-b-1', false);
      await s.cluster.setUnschedulable('pool-b-1', false);
      expect((await s.cluster.getNode('pool-b-1'))?.unschedulable).toBe(false);
      await expect(s.cluster.setUnschedulable('no-such-node', true)).rejects.toMatchObject({
        code: 'CLUSTER_API',
        details: expect.objectContaining({ status: 404 }),
      });
    });

    test("watches a pool's nodes: the current ones first, then changes, until stopped", async (s) => {
      const events: NodeWatchEvent[] = [];
      const stop = await s.cluster.watchPoolNodes('np-b', (e) => events.push(e));
      try {
        await eventually(s, 'replay', async () => events.filter((e) => e.type === 'ADDED').length >= 2);
        await s.cluster.setUnschedulable('pool-b-2', true);
        await eventually(s, 'cordon seen', async () =>
          events.some((e) => e.type === 'MODIFIED' && e.node.name === 'pool-b-2' && e.node.unschedulable),
        );
        expect(events.every((e) => e.node.poolId === 'np-b')).toBe(true);
      } finally {
        stop();
      }
      const seen = events.length;
      await s.cluster.setUnschedulable('pool-b-2', false);
      for (let i = 0; i < 5; i++) await s.pass();
      expect(events.length).toBe(seen);
    });

    test('an eviction a PDB does not allow now is blocked, naming the PDB; the pod stays', async (s) => {
      const pod = await podOf(s, 'np-a', 'guarded');
      const outcome = await s.cluster.evictPod(pod.namespace, pod.name);
      expect(outcome).toMatchObject({ status: 'blocked', pdb: 'guarded' });
      expect(outcome.status === 'blocked' && outcome.reason).toMatch(/disruption budget/i);
      expect(await s.cluster.podExists(pod.namespace, pod.name, pod.uid)).toBe(true);
    });

    test('an allowed eviction removes the pod and its controller replaces it; evicting it again finds it gone', async (s) => {
      const pod = await podOf(s, 'np-a', 'spread');
      expect(await s.cluster.evictPod(pod.namespace, pod.name)).toEqual({ status: 'evicted' });
      await eventually(
        s,
        'evicted pod gone',
        async () => !(await s.cluster.podExists(pod.namespace, pod.name, pod.uid)),
      );
      expect(await s.cluster.evictPod(pod.namespace, pod.name)).toEqual({ status: 'gone' });
      const replaced = await eventually(s, 'replacement ready', async () => {
        const [status] = await s.cluster.workloadStatus([SPREAD]);
        const pods = (await s.cluster.snapshotPool('np-a')).pods.filter((p) => p.owner.name === 'spread');
        return status?.ready === 2 && pods.length === 2 ? pods : undefined;
      });
      expect(replaced.map((p) => p.uid)).not.toContain(pod.uid);
    });

    test('a deleted pod no longer exists; deleting it again is no error', async (s) => {
      const pod = await podOf(s, 'np-b', 'debug');
      await s.cluster.deletePod(pod.namespace, pod.name);
      await eventually(s, 'pod gone', async () => !(await s.cluster.podExists(pod.namespace, pod.name, pod.uid)));
      expect((await s.cluster.listPodsOnNode(pod.nodeName!)).map((p) => p.name)).not.toContain('debug');
      await s.cluster.deletePod(pod.namespace, pod.name);
      expect(await s.cluster.evictPod(pod.namespace, pod.name)).toEqual({ status: 'gone' });
      expect(await s.cluster.podExists('default', 'no-such-pod', 'uid')).toBe(false);
    });

    test('reports desired and ready replicas; an unknown workload wants nothing', async (s) => {
      const status = await s.cluster.workloadStatus([GUARDED, SPREAD, { ...SPREAD, name: 'gone' }]);
      expect(status.map((x) => [x.ref.name, x.desired, x.ready])).toEqual([
        ['guarded', 2, 2],
        ['spread', 2, 2],
        ['gone', 0, 0],
      ]);
    });
  });
}
