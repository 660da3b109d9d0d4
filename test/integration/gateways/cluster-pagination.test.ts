import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClusterGateway } from '../../../src/gateways/cluster/kube-cluster-gateway.js';
import { loadKubeConfig } from '../../../src/gateways/cluster/kube-config.js';
import { continueTokenFromHead, PAGE_LIMIT, RawKubeClient } from '../../../src/gateways/cluster/raw-client.js';
import { generateScaleScenario } from '../../../src/sandbox/scenario/generate-scale.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/start-sandbox.js';

let sandbox: Sandbox;

beforeAll(async () => {
  // 40 nodes × 30 pods in two pools: 1,200 pods, more than two pages of 500.
  sandbox = await startSandbox({
    scenario: generateScaleScenario({ nodes: 40, podsPerNode: 30, pools: 2 }),
    timeScale: 0.01,
  });
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('paginated lists', () => {
  it('reads every pod of the cluster in pages of 500', async () => {
    const raw = new RawKubeClient(loadKubeConfig(sandbox.kubeconfig));
    try {
      const sizes: number[] = [];
      for await (const page of raw.listPages<{ metadata?: { name?: string } }>('list pods', '/api/v1/pods')) {
        sizes.push(page.length);
      }
      const total = sandbox.world.listNodes().reduce((n, node) => n + sandbox.world.podsOnNode(node.name).length, 0);
      expect(total).toBeGreaterThan(1000);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(total);
      expect(sizes.length).toBe(Math.ceil(total / PAGE_LIMIT));
      expect(sizes[0]).toBe(PAGE_LIMIT);
    } finally {
      raw.close();
    }
  });

  it('snapshots one pool of a 1,200-pod cluster: all of its pods, none of the other pool', async () => {
    const gateway = new KubeClusterGateway(loadKubeConfig(sandbox.kubeconfig));
    try {
      const snap = await gateway.snapshotPool('np-1');
      const nodes = sandbox.world.listNodes('np-1');
      const expected = nodes.flatMap((n) => sandbox.world.podsOnNode(n.name)).map((p) => `${p.namespace}/${p.name}`);
      expect(snap.nodes.length).toBe(20);
      expect(snap.pods.length).toBe(expected.length);
      expect(new Set(snap.pods.map((p) => `${p.namespace}/${p.name}`))).toEqual(new Set(expected));
      // Every generated pod belongs to a Deployment or a DaemonSet, and the snapshot carries each of them once.
      expect(snap.pods.every((p) => p.owner.kind === 'Deployment' || p.owner.kind === 'DaemonSet')).toBe(true);
      const refs = snap.workloads.map((w) => `${w.ref.kind}/${w.ref.namespace}/${w.ref.name}`);
      expect(new Set(refs).size).toBe(refs.length);
      // Pods of one ReplicaSet share one trimmed template object.
      const byOwner = new Map<string, Set<unknown>>();
      for (const p of snap.pods) {
        const k = `${p.owner.namespace}/${p.owner.name}`;
        byOwner.set(k, (byOwner.get(k) ?? new Set()).add(p.spec));
      }
      expect([...byOwner.values()].every((specs) => specs.size === 1)).toBe(true);
    } finally {
      gateway.close();
    }
  });
});

describe('continueTokenFromHead', () => {
  it('reads the token from the list metadata, not from the items', () => {
    expect(continueTokenFromHead('{"kind":"PodList","metadata":{"continue":"abc"},"items":[]}')).toBe('abc');
    expect(continueTokenFromHead('{"metadata":{},"items":[{"metadata":{"continue":"no"}}]}')).toBeUndefined();
    expect(continueTokenFromHead('{"metadata":{"continue":""},"items":[]}')).toBeUndefined();
  });
});
