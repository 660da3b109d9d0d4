import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseScenario } from '../../../../src/sandbox/scenario/index.js';
import { createWorld, type PodRecord, type World } from '../../../../src/sandbox/world/index.js';

const HEAD = `cluster: {id: c-t, name: t, region: cn-hangzhou, version: 1.22.15-aliyun.1}
nodePools:
  - {id: np-a, name: pool-a, runtime: docker, runtimeVersion: 19.03.15, nodes: 3, instanceType: ecs.g7.xlarge}
  - {id: np-b, name: pool-b, runtime: containerd, runtimeVersion: 1.6.28, nodes: 2, instanceType: ecs.g7.large}
manifests:
`;

function deployment(name: string, replicas: number, extra = ''): string {
  return `  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: ${name}, namespace: app}
    spec:
      replicas: ${replicas}
      selector: {matchLabels: {app: ${name}}}
      template:
        metadata: {labels: {app: ${name}}}
        spec: {${extra}containers: [{name: c, image: img}]}
`;
}

function pdb(name: string, spec: string, app = name): string {
  return `  - {apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: ${name}, namespace: app}, spec: {${spec}, selector: {matchLabels: {app: ${app}}}}}\n`;
}

const DAEMONSET = `  - apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: agent, namespace: kube-system}
    spec:
      selector: {matchLabels: {app: agent}}
      template:
        metadata: {labels: {app: agent}}
        spec: {nodeSelector: {alibabacloud.com/nodepool-id: np-a}, containers: [{name: a, image: agent}]}
`;

let world: World | undefined;
afterEach(() => world?.close());

/** Time scale 0.001: one simulated second is a real millisecond. */
function make(manifests: string): World {
  world = createWorld(parseScenario(HEAD + manifests, '.'), { timeScale: 0.001 });
  return world;
}

function podsOf(w: World, app: string): PodRecord[] {
  return [...w.workloads.pods.all()].filter((p) => p.labels['app'] === app);
}

function pdbStatusOf(w: World, name: string) {
  return w.pdbStatus(w.workloads.pdbs.get(`app/${name}`)!);
}

describe('world: nodes and instances', () => {
  it('names nodes per pool, labels them and gives each an ECS instance', () => {
    const w = make('');
    expect(w.listNodes().map((n) => n.name)).toEqual(['pool-a-1', 'pool-a-2', 'pool-a-3', 'pool-b-1', 'pool-b-2']);
    const node = w.getNode('pool-b-2')!;
    expect(node.labels['alibabacloud.com/nodepool-id']).toBe('np-b');
    expect(node.labels['kubernetes.io/hostname']).toBe('pool-b-2');
    expect(node.runtime).toBe('containerd');
    const instance = w.getInstanceByNode('pool-b-2')!;
    expect(instance).toMatchObject({ nodeName: 'pool-b-2', poolId: 'np-b', status: 'Running', region: 'cn-hangzhou' });
    expect(instance.instanceId).toMatch(/^i-/);
    expect(instance.privateIp).toBe(node.internalIp);
    expect(new Set(w.listNodes().map((n) => n.internalIp)).size).toBe(5);
  });

  it('replaces a system disk without touching IP, MAC or data disks', () => {
    const w = make('');
    const before = { ...w.getInstanceByNode('pool-a-1')! };
    const disk = w.replaceSystemDisk(before.instanceId);
    const after = w.getInstanceByNode('pool-a-1')!;
    expect(disk).toMatch(/^d-/);
    expect(disk).not.toBe(before.systemDiskId);
    expect(after.systemDiskId).toBe(disk);
    expect([after.privateIp, after.mac, after.dataDiskIds]).toEqual([before.privateIp, before.mac, before.dataDiskIds]);
  });

  it('builds the same world from the same scenario', () => {
    const a = make(deployment('web', 4));
    const namesA = [...a.workloads.pods.all()].map((p) => `${p.name}@${p.nodeName}`).sort();
    const idsA = [...a.instances.keys()];
    a.close();
    const b = make(deployment('web', 4));
    expect([...b.workloads.pods.all()].map((p) => `${p.name}@${p.nodeName}`).sort()).toEqual(namesA);
    expect([...b.instances.keys()]).toEqual(idsA);
  });
});

describe('world: controllers and scheduling', () => {
  it('links Pod → ReplicaSet → Deployment and spreads replicas over nodes', () => {
    const w = make(deployment('web', 5));
    const pods = podsOf(w, 'web');
    expect(pods).toHaveLength(5);
    const rs = pods[0]!.group!;
    expect(rs.kind).toBe('ReplicaSet');
    expect(rs.owner?.kind).toBe('Deployment');
    expect((rs.object.metadata['ownerReferences'] as Array<{ uid: string }>)[0]!.uid).toBe(rs.owner!.metadata['uid']);
    expect(new Set(pods.map((p) => p.nodeName)).size).toBe(5);
    expect(pods.every((p) => w.podReady(p))).toBe(true);
  });

  it('honours nodeSelector and taints, and keeps a pod pending until a node fits', async () => {
    const w = make(deployment('pinned', 2, 'nodeSelector: {alibabacloud.com/nodepool-id: np-b}, '));
    expect(podsOf(w, 'pinned').every((p) => p.nodeName?.startsWith('pool-b-'))).toBe(true);
    w.updateNode('pool-b-1', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] });
    w.setUnschedulable('pool-b-2', true);
    const victim = podsOf(w, 'pinned')[0]!;
    w.deletePod(victim.namespace, victim.name);
    await w.clock.sleep(3);
    const pending = podsOf(w, 'pinned').filter((p) => p.nodeName === undefined);
    expect(pending).toHaveLength(1);
    expect(pending[0]!.phase).toBe('Pending');
    w.setUnschedulable('pool-b-2', false);
    expect(pending[0]!.nodeName).toBe('pool-b-2');
  });

  it('recreates an evicted pod under a new name and uid, not ready at first, then Ready', async () => {
    const w = make(deployment('web', 3));
    const victim = podsOf(w, 'web')[0]!;
    const readiness: string[] = [];
    w.onChange((c) => {
      if (c.kind === 'Pod' && c.pod.name !== victim.name) readiness.push(`${c.type} ${w.podReady(c.pod)}`);
    });
    w.setUnschedulable(victim.nodeName!, true);
    expect(w.evictPod(victim.namespace, victim.name).code).toBe(201);
    expect(podsOf(w, 'web')).toHaveLength(2);
    await vi.waitFor(() => expect(readiness).toContain('MODIFIED true'));
    const replacement = podsOf(w, 'web').find((p) => p.uid !== victim.uid && !podsOf(w, 'web').includes(victim))!;
    expect(podsOf(w, 'web')).toHaveLength(3);
    expect(podsOf(w, 'web').map((p) => p.name)).not.toContain(victim.name);
    expect(replacement.nodeName).not.toBe(victim.nodeName);
    // Created, bound (still starting), then Ready.
    expect(readiness).toEqual(['ADDED false', 'MODIFIED false', 'MODIFIED true']);
    expect(w.podReady(replacement)).toBe(true);
  });

  it('keeps one DaemonSet pod per matching node as nodes come and go', () => {
    const w = make(DAEMONSET);
    expect(
      podsOf(w, 'agent')
        .map((p) => p.nodeName)
        .sort(),
    ).toEqual(['pool-a-1', 'pool-a-2', 'pool-a-3']);
    w.removeNode('pool-a-3');
    expect(
      podsOf(w, 'agent')
        .map((p) => p.nodeName)
        .sort(),
    ).toEqual(['pool-a-1', 'pool-a-2']);
    expect(w.getInstanceByNode('pool-a-3')).toBeUndefined();
  });

  it('adds a NotReady node whose DaemonSet pod turns Ready with the node', async () => {
    const w = make(DAEMONSET);
    const name = w.addNode('np-a');
    expect(name).toBe('pool-a-4');
    expect(w.getNode(name)!.ready).toBe(false);
    const pod = await vi.waitFor(() => {
      const found = podsOf(w, 'agent').find((p) => p.nodeName === name && p.containersReady);
      expect(found).toBeDefined();
      return found!;
    });
    // Its containers run, but a pod on a NotReady node is not Ready.
    expect(w.podReady(pod)).toBe(false);
    w.setNodeReady(name, true);
    expect(w.podReady(pod)).toBe(true);
  });

  it('leaves pods bound on a NotReady node and takes their readiness away', () => {
    const w = make(deployment('web', 3) + pdb('web', 'maxUnavailable: 1'));
    const node = podsOf(w, 'web')[0]!.nodeName!;
    w.setNodeReady(node, false);
    expect(podsOf(w, 'web').filter((p) => p.nodeName === node)).toHaveLength(1);
    expect(pdbStatusOf(w, 'web')).toEqual({
      currentHealthy: 2,
      desiredHealthy: 2,
      disruptionsAllowed: 0,
      expectedPods: 3,
    });
  });

  it('tells watchers about node and pod changes with increasing resource versions', () => {
    const w = make(deployment('web', 1));
    const seen: string[] = [];
    const versions: number[] = [];
    const off = w.onChange((c) => {
      seen.push(`${c.type} ${c.kind} ${c.kind === 'Node' ? c.node.name : c.pod.name}`);
      versions.push(c.resourceVersion);
    });
    const pod = podsOf(w, 'web')[0]!;
    w.setUnschedulable('pool-a-1', true);
    w.deletePod(pod.namespace, pod.name);
    off();
    expect(seen).toEqual(['MODIFIED Node pool-a-1', `DELETED Pod ${pod.name}`]);
    expect(versions[1]!).toBeGreaterThan(versions[0]!);
  });
});

describe('world: PDB arithmetic (k8s.md §5.1)', () => {
  it('computes status for maxUnavailable, minAvailable and percentages', () => {
    const w = make(
      deployment('a', 7) +
        pdb('a', 'maxUnavailable: "30%"') +
        deployment('b', 7) +
        pdb('b', 'minAvailable: "50%"') +
        deployment('c', 3) +
        pdb('c', 'minAvailable: 3') +
        deployment('d', 4) +
        pdb('d', 'maxUnavailable: 0'),
    );
    expect(pdbStatusOf(w, 'a')).toEqual({
      currentHealthy: 7,
      desiredHealthy: 4,
      disruptionsAllowed: 3,
      expectedPods: 7,
    });
    expect(pdbStatusOf(w, 'b')).toEqual({
      currentHealthy: 7,
      desiredHealthy: 4,
      disruptionsAllowed: 3,
      expectedPods: 7,
    });
    expect(pdbStatusOf(w, 'c')).toEqual({
      currentHealthy: 3,
      desiredHealthy: 3,
      disruptionsAllowed: 0,
      expectedPods: 3,
    });
    expect(pdbStatusOf(w, 'd')).toEqual({
      currentHealthy: 4,
      desiredHealthy: 4,
      disruptionsAllowed: 0,
      expectedPods: 4,
    });
  });

  it('counts an evicted pod against the budget until its replacement is Ready', async () => {
    const w = make(deployment('web', 3) + pdb('web', 'maxUnavailable: 1'));
    const [first, second] = podsOf(w, 'web');
    expect(w.evictPod('app', first!.name).code).toBe(201);
    expect(pdbStatusOf(w, 'web')).toEqual({
      currentHealthy: 2,
      desiredHealthy: 2,
      disruptionsAllowed: 0,
      expectedPods: 3,
    });
    const refused = w.evictPod('app', second!.name);
    expect(refused).toMatchObject({
      code: 429,
      pdb: 'app/web',
      cause: 'The disruption budget web needs 2 healthy pods and has 2 currently',
    });
    await vi.waitFor(() => expect(pdbStatusOf(w, 'web').disruptionsAllowed).toBe(1));
    expect(w.evictPod('app', second!.name).code).toBe(201);
  });

  it('answers 500 when two PDBs select a pod, 404 for an unknown pod, and lets unhealthy pods go', () => {
    const w = make(
      deployment('web', 2) + pdb('one', 'maxUnavailable: 1', 'web') + pdb('two', 'minAvailable: 1', 'web'),
    );
    const pod = podsOf(w, 'web')[0]!;
    expect(w.evictPod('app', pod.name)).toMatchObject({ code: 500 });
    expect(w.evictPod('app', 'nope').code).toBe(404);
    w.close();
    const v = make(deployment('web', 3) + pdb('web', 'minAvailable: 1'));
    const [a] = podsOf(v, 'web');
    v.setNodeReady(a!.nodeName!, false);
    // 2 healthy ≥ 1 desired: an unready pod may go without using the budget.
    expect(v.evictPod('app', a!.name).code).toBe(201);
  });
});

describe('world: drainNode', () => {
  it('cordons, evicts all but DaemonSet pods and reports them', async () => {
    const w = make(DAEMONSET + deployment('web', 3) + pdb('web', 'maxUnavailable: 1'));
    const node = podsOf(w, 'web')[0]!.nodeName!;
    const { evicted } = await w.drainNode(node, { timeoutSimSeconds: 60 });
    expect(evicted).toHaveLength(1);
    expect(w.getNode(node)!.unschedulable).toBe(true);
    expect(w.podsOnNode(node).map((p) => p.labels['app'])).toEqual(['agent']);
  });

  it('retries PDB refusals and succeeds once replacements are Ready', async () => {
    const w = make(
      deployment('web', 2, 'nodeSelector: {alibabacloud.com/nodepool-id: np-b}, ') + pdb('web', 'maxUnavailable: 1'),
    );
    w.setUnschedulable('pool-b-1', true);
    w.setUnschedulable('pool-b-2', true);
    w.updateNode('pool-a-1', { labels: { ...w.getNode('pool-a-1')!.labels, 'alibabacloud.com/nodepool-id': 'np-b' } });
    // Both replicas evicted one after another: the second waits for the first replacement.
    const a = w.drainNode('pool-b-1', { timeoutSimSeconds: 60 });
    const b = w.drainNode('pool-b-2', { timeoutSimSeconds: 60 });
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.evicted.length + rb.evicted.length).toBe(2);
    expect(podsOf(w, 'web').every((p) => p.nodeName === 'pool-a-1')).toBe(true);
  });

  it('rejects at the timeout with an error naming the PDB', async () => {
    const w = make(deployment('ledger', 2) + pdb('ledger', 'maxUnavailable: 0'));
    const node = podsOf(w, 'ledger')[0]!.nodeName!;
    await expect(w.drainNode(node, { timeoutSimSeconds: 12 })).rejects.toThrow(
      /drain of node pool-\w-\d timed out after 12s: .*PodDisruptionBudget app\/ledger \(The disruption budget ledger needs 2 healthy pods and has 2 currently\)/,
    );
    expect(w.getNode(node)!.unschedulable).toBe(true);
  });
});
