/**
 * @kubernetes/client-node 1.4 (the client the cluster gateway uses) against the sandbox's Kubernetes API:
 * paginated lists, the three patch flavours, evictions with PDBs, and watches.
 */
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  makeInformer,
  PatchStrategy,
  PolicyV1Api,
  setHeaderOptions,
  type V1Node,
  type V1Pod,
  Watch,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type KubernetesApi, startKubernetesApi } from '../../../../src/sandbox/k8s/index.js';
import { generateScaleScenario, loadScenarioFile, parseScenario } from '../../../../src/sandbox/scenario/index.js';
import { createWorld, type World } from '../../../../src/sandbox/world/index.js';

const DEMO = new URL('../../../../src/sandbox/scenarios/demo.yaml', import.meta.url).pathname;

function config(url: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: url, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'any-token' }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return kc;
}

async function failure(promise: Promise<unknown>): Promise<{ code: number; status: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof ApiException)) throw error;
    return { code: error.code, status: JSON.parse(error.body as string) as Record<string, unknown> };
  }
  throw new Error('expected the call to fail');
}

const worlds: World[] = [];
const apis: KubernetesApi[] = [];
async function serve(world: World): Promise<KubeConfig> {
  worlds.push(world);
  const api = await startKubernetesApi(world);
  apis.push(api);
  return config(api.url);
}

afterAll(async () => {
  for (const api of apis) await api.close();
  for (const w of worlds) w.close();
});

describe('client-node: lists at scale', () => {
  let core: CoreV1Api;
  beforeAll(async () => {
    const kc = await serve(createWorld(generateScaleScenario({ nodes: 40, podsPerNode: 30 }), { timeScale: 0.02 }));
    core = kc.makeApiClient(CoreV1Api);
  });

  it('pages through 1,200 pods 500 at a time with continue tokens', async () => {
    const names = new Set<string>();
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 500, _continue: token });
      pages++;
      expect(page.items.length).toBeLessThanOrEqual(500);
      for (const pod of page.items) names.add(`${pod.metadata!.namespace}/${pod.metadata!.name}`);
      token = page.metadata?._continue;
    } while (token);
    expect(pages).toBe(3);
    expect(names.size).toBe(1200);
  });

  it('filters by node, label and namespace', async () => {
    const onNode = await core.listPodForAllNamespaces({ fieldSelector: 'spec.nodeName=pool-1-7' });
    expect(onNode.items).toHaveLength(30);
    expect(onNode.items.every((p) => p.spec?.nodeName === 'pool-1-7')).toBe(true);
    const proxies = await core.listNamespacedPod({
      namespace: 'kube-system',
      labelSelector: 'k8s-app=kube-proxy-worker',
    });
    expect(proxies.items).toHaveLength(40);
    const nodes = await core.listNode({ labelSelector: 'alibabacloud.com/nodepool-id=np-1', limit: 25 });
    expect(nodes.items).toHaveLength(25);
    expect(nodes.metadata?._continue).toBeTruthy();
    const bad = await failure(core.listNode({ fieldSelector: 'status.phase=Running' }));
    expect(bad.code).toBe(400);
  });
});

describe('client-node: nodes, evictions and watches on the demo', () => {
  let world: World;
  let kc: KubeConfig;
  let core: CoreV1Api;
  beforeAll(async () => {
    world = createWorld(loadScenarioFile(DEMO), { timeScale: 0.02 });
    kc = await serve(world);
    core = kc.makeApiClient(CoreV1Api);
  });

  it('reads a node with its runtime, IP, provider id and pool label', async () => {
    const node = await core.readNode({ name: 'pool-a-2' });
    const instance = world.getInstanceByNode('pool-a-2')!;
    expect(node.status?.nodeInfo?.containerRuntimeVersion).toBe('docker://19.3.15');
    expect(node.spec?.providerID).toBe(`cn-hangzhou.${instance.instanceId}`);
    expect(node.status?.addresses).toContainEqual({ type: 'InternalIP', address: instance.privateIp });
    expect(node.metadata?.labels?.['alibabacloud.com/nodepool-id']).toBe('np-a');
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  });

  it('patches a node with strategic merge, merge and JSON patch', async () => {
    await core.patchNode(
      { name: 'pool-b-1', body: { spec: { unschedulable: true }, metadata: { labels: { migrating: 'yes' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(world.getNode('pool-b-1')).toMatchObject({
      unschedulable: true,
      labels: expect.objectContaining({ migrating: 'yes' }),
    });
    await core.patchNode(
      { name: 'pool-b-1', body: { spec: { unschedulable: null }, metadata: { labels: { migrating: null } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(world.getNode('pool-b-1')!.unschedulable).toBe(false);
    expect(world.getNode('pool-b-1')!.labels['migrating']).toBeUndefined();
    const patched = await core.patchNode({
      name: 'pool-b-1',
      body: [
        { op: 'add', path: '/spec/taints', value: [{ key: 'migration', value: 'containerd', effect: 'NoSchedule' }] },
        { op: 'add', path: '/metadata/annotations/ack-migrate~1batch', value: '2' },
      ],
    });
    expect(patched.spec?.taints).toEqual([{ key: 'migration', value: 'containerd', effect: 'NoSchedule' }]);
    expect(world.getNode('pool-b-1')!.annotations['ack-migrate/batch']).toBe('2');
    const bad = await failure(
      core.patchNode({ name: 'pool-b-1', body: [{ op: 'remove', path: '/metadata/labels/absent' }] }),
    );
    expect(bad.code).toBe(422);
    expect((await failure(core.readNode({ name: 'nope' }))).status).toMatchObject({ reason: 'NotFound', code: 404 });
  });

  it('evicts: 201 when the budget allows, 429 with the PDB cause when it does not', async () => {
    const frontend = (await core.listNamespacedPod({ namespace: 'web', labelSelector: 'app=frontend' })).items;
    const evict = (pod: V1Pod) =>
      core.createNamespacedPodEviction({
        name: pod.metadata!.name!,
        namespace: 'web',
        body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod.metadata!.name!, namespace: 'web' } },
      });
    await evict(frontend[0]!);
    const refused = await failure(evict(frontend[1]!));
    expect(refused.code).toBe(429);
    expect(refused.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: 'TooManyRequests',
      details: {
        causes: [
          {
            reason: 'DisruptionBudget',
            message: 'The disruption budget frontend needs 3 healthy pods and has 3 currently',
          },
        ],
      },
      code: 429,
    });
    const gone = await failure(core.readNamespacedPod({ name: frontend[0]!.metadata!.name!, namespace: 'web' }));
    expect(gone.code).toBe(404);
    const pdbs = await kc.makeApiClient(PolicyV1Api).listNamespacedPodDisruptionBudget({ namespace: 'web' });
    expect(pdbs.items.find((p) => p.metadata?.name === 'frontend')?.status?.disruptionsAllowed).toBe(0);
    // Once the replacement is Ready the budget allows the next one.
    await vi.waitFor(async () => expect(await evict(frontend[1]!)).toBeDefined(), { timeout: 5_000, interval: 50 });
    const deployment = await kc
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: 'frontend', namespace: 'web' });
    expect(deployment.spec?.replicas).toBe(4);
  });

  it('watches nodes: a cordon arrives as MODIFIED', async () => {
    const list = await core.listNode();
    const events: Array<{ type: string; node: V1Node }> = [];
    const controller = await new Watch(kc).watch(
      '/api/v1/nodes',
      { resourceVersion: list.metadata!.resourceVersion },
      (type, node: V1Node) => events.push({ type, node }),
      () => {},
    );
    try {
      world.setUnschedulable('pool-a-6', true);
      await vi.waitFor(() =>
        expect(events).toContainEqual({
          type: 'MODIFIED',
          node: expect.objectContaining({
            metadata: expect.objectContaining({ name: 'pool-a-6' }),
            spec: expect.objectContaining({ unschedulable: true }),
          }),
        }),
      );
    } finally {
      controller.abort();
    }
  });

  it('feeds an informer: pod deletions and their replacements arrive', async () => {
    const informer = makeInformer(kc, '/api/v1/namespaces/data/pods', () =>
      core.listNamespacedPod({ namespace: 'data' }),
    );
    const deleted: string[] = [];
    const added: string[] = [];
    informer.on('delete', (pod) => deleted.push(pod.metadata!.name!));
    informer.on('add', (pod) => added.push(pod.metadata!.name!));
    await informer.start();
    try {
      expect(added.sort()).toEqual(['redis-0', 'redis-1', 'redis-2']);
      world.deletePod('data', 'redis-1');
      await vi.waitFor(() => expect(deleted).toEqual(['redis-1']));
      // The StatefulSet recreates it under the same name.
      await vi.waitFor(() => expect(added.filter((n) => n === 'redis-1')).toHaveLength(2), { timeout: 5_000 });
    } finally {
      await informer.stop();
    }
  });
});

describe('client-node: a pod under two PDBs', () => {
  it('gets 500 from the eviction API', async () => {
    const scenario = parseScenario(
      `cluster: {id: c-t, name: t, region: cn-hangzhou, version: 1.22.15-aliyun.1}
nodePools: [{id: np-a, name: pool-a, runtime: docker, runtimeVersion: 19.03.15, nodes: 2, instanceType: ecs.g7.xlarge}]
manifests:
  - {apiVersion: v1, kind: Pod, metadata: {name: p, namespace: x, labels: {app: p}}, spec: {containers: [{name: c, image: i}]}}
  - {apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: one, namespace: x}, spec: {minAvailable: 0, selector: {matchLabels: {app: p}}}}
  - {apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: {name: two, namespace: x}, spec: {minAvailable: 0, selector: {}}}
`,
      '.',
    );
    const kc = await serve(createWorld(scenario, { timeScale: 0.02 }));
    const core = kc.makeApiClient(CoreV1Api);
    const result = await failure(
      core.createNamespacedPodEviction({
        name: 'p',
        namespace: 'x',
        body: { metadata: { name: 'p', namespace: 'x' } },
      }),
    );
    expect(result.code).toBe(500);
    expect(result.status['message']).toBe(
      'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    );
  });
});
