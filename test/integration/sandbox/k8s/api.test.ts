/**
 * The wire details clients rely on without saying so: discovery documents, Status bodies, Table output,
 * watch streams that end on time with a bookmark, and 410 for a resourceVersion that is too old.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubernetesApi, startKubernetesApi } from '../../../../src/sandbox/k8s/index.js';
import { loadScenarioFile } from '../../../../src/sandbox/scenario/index.js';
import { createWorld, type World } from '../../../../src/sandbox/world/index.js';

const DEMO = new URL('../../../../src/sandbox/scenarios/demo.yaml', import.meta.url).pathname;
const TABLE =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

// biome-ignore lint/suspicious/noExplicitAny: response bodies of many shapes, checked by the assertions
type Json = any;
interface WatchEvent {
  type: string;
  object: Json;
}

let world: World;
let api: KubernetesApi;

beforeAll(async () => {
  world = createWorld(loadScenarioFile(DEMO), { timeScale: 0.02 });
  api = await startKubernetesApi(world);
});

afterAll(async () => {
  await api?.close();
  world?.close();
});

async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const res = await fetch(api.url + path, { headers: { Authorization: 'Bearer whatever', ...headers } });
  return { status: res.status, body: await res.json() };
}

describe('sandbox Kubernetes API on the wire', () => {
  it('serves version and discovery with pods/eviction in policy/v1', async () => {
    expect((await get('/version')).body).toMatchObject({ major: '1', minor: '22', gitVersion: 'v1.22.15-aliyun.1' });
    const core = (await get('/api/v1')).body;
    expect(core.resources).toContainEqual(
      expect.objectContaining({
        name: 'pods/eviction',
        kind: 'Eviction',
        group: 'policy',
        version: 'v1',
        verbs: ['create'],
      }),
    );
    const groups = (
      await get('/apis', {
        Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
      })
    ).body;
    expect(groups.groups.map((g: { name: string }) => g.name)).toEqual(['apps', 'batch', 'policy']);
    const apps = (await get('/apis/apps/v1')).body;
    expect(apps.resources.map((r: { name: string }) => r.name)).toEqual([
      'deployments',
      'replicasets',
      'statefulsets',
      'daemonsets',
    ]);
    expect((await get('/openapi/v2')).status).toBe(404);
  });

  it('answers Table requests with the node columns', async () => {
    const { body } = await get('/api/v1/nodes?limit=2', { Accept: TABLE });
    expect(body.kind).toBe('Table');
    expect(body.columnDefinitions.map((c: { name: string }) => c.name)).toContain('Container-Runtime');
    expect(body.rows).toHaveLength(2);
    expect(body.rows[0].cells.slice(0, 2)).toEqual(['pool-a-1', 'Ready']);
    expect(body.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: 'pool-a-1' } });
    expect(body.metadata.continue).toBeTruthy();
  });

  it('answers metadata-only lists and reads, and 406 for a representation it cannot serve', async () => {
    const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
    const list = await get('/apis/apps/v1/replicasets?limit=2', { Accept: METADATA_LIST });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1' });
    expect(list.body.metadata.continue).toBeTruthy();
    expect(list.body.items).toHaveLength(2);
    const [first] = list.body.items;
    expect(first).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1' });
    expect(first.metadata.ownerReferences[0]).toMatchObject({ kind: 'Deployment', controller: true });
    expect(first.spec).toBeUndefined();
    expect(first.status).toBeUndefined();
    // The rest of the list through the continue token, still metadata only, as the full list names them.
    const next = `/apis/apps/v1/replicasets?limit=500&continue=${list.body.metadata.continue}`;
    const rest = (await get(next, { Accept: METADATA_LIST })).body.items;
    const all = (await get('/apis/apps/v1/replicasets')).body.items;
    const names = (items: Array<{ metadata: { name: string } }>) => items.map((i) => i.metadata.name);
    expect([...names(list.body.items), ...names(rest)]).toEqual(names(all));
    expect(rest.every((i: Json) => i.kind === 'PartialObjectMetadata' && i.spec === undefined)).toBe(true);

    const rs = all[0].metadata;
    const one = await get(`/apis/apps/v1/namespaces/${rs.namespace}/replicasets/${rs.name}`, {
      Accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
    });
    expect(one.body).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: rs.name, uid: rs.uid } });
    const pods = (await get('/api/v1/pods?limit=1', { Accept: METADATA_LIST })).body.items;
    const podFull = (await get('/api/v1/pods?limit=1')).body.items;
    expect(pods[0]).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: podFull[0].metadata,
    });

    // What it cannot answer is refused with the apiserver's 406 Status, never answered with the full objects.
    for (const accept of [
      'application/vnd.kubernetes.protobuf',
      'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1',
      'application/json;as=Widget;g=meta.k8s.io;v=v1',
      'application/json;as=PartialObjectMetadataList;g=example.com;v=v1',
    ]) {
      const refused = await get('/apis/apps/v1/replicasets', { Accept: accept });
      expect(refused, accept).toMatchObject({
        status: 406,
        body: { kind: 'Status', status: 'Failure', reason: 'NotAcceptable', code: 406 },
      });
    }
    // The first acceptable entry of a list of media types is the one answered.
    const fallback = await get('/apis/apps/v1/replicasets?limit=1', {
      Accept: `application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,${METADATA_LIST}`,
    });
    expect(fallback.body.kind).toBe('PartialObjectMetadataList');
  });

  it('links pods to their ReplicaSet and Deployment with controller owner references', async () => {
    const pods = (await get('/api/v1/namespaces/web/pods?labelSelector=app%3Dapi')).body.items;
    const owner = pods[0].metadata.ownerReferences[0];
    expect(owner).toMatchObject({ apiVersion: 'apps/v1', kind: 'ReplicaSet', controller: true });
    const rs = (await get(`/apis/apps/v1/namespaces/web/replicasets/${owner.name}`)).body;
    expect(rs.metadata.uid).toBe(owner.uid);
    expect(rs.metadata.ownerReferences[0]).toMatchObject({ kind: 'Deployment', name: 'api', controller: true });
    const deploy = (await get('/apis/apps/v1/namespaces/web/deployments/api')).body;
    expect(deploy.metadata.uid).toBe(rs.metadata.ownerReferences[0].uid);
    expect(deploy.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3 });
    const missing = await get('/apis/apps/v1/namespaces/web/deployments/nope');
    expect(missing).toMatchObject({ status: 404, body: { kind: 'Status', reason: 'NotFound', code: 404 } });
  });

  it('refuses an eviction whose body names another pod, and an unknown patch type', async () => {
    const pod = world.podsOnNode('pool-b-1').find((p) => p.group?.kind !== 'DaemonSet')!;
    const res = await fetch(`${api.url}/api/v1/namespaces/${pod.namespace}/pods/${pod.name}/eviction`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'other' } }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe(
      'name in URL does not match name in Eviction object',
    );
    const patch = await fetch(`${api.url}/api/v1/nodes/pool-b-1`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
      body: '{}',
    });
    expect(patch.status).toBe(415);
  });

  it('ends a watch at timeoutSeconds with a bookmark, and says 410 for a compacted resourceVersion', async () => {
    const started = Date.now();
    const res = await fetch(`${api.url}/api/v1/nodes?watch=true&timeoutSeconds=1&allowWatchBookmarks=true`);
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as WatchEvent);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(lines.filter((l) => l.type === 'ADDED')).toHaveLength(9);
    expect(lines.at(-1)).toMatchObject({
      type: 'BOOKMARK',
      object: { kind: 'Node', metadata: { resourceVersion: expect.any(String) } },
    });
    const stale = await fetch(`${api.url}/api/v1/pods?watch=true&resourceVersion=1`);
    const event = JSON.parse((await stale.text()).trim()) as WatchEvent;
    expect(event).toMatchObject({ type: 'ERROR', object: { kind: 'Status', reason: 'Expired', code: 410 } });
  });

  it('streams only matching pod changes to a filtered watch, entering as ADDED', async () => {
    const others = world.listNodes().filter((n) => n.name !== 'pool-b-2');
    for (const n of others) world.setUnschedulable(n.name, true);
    try {
      const rv = world.resourceVersion;
      const res = await fetch(
        `${api.url}/api/v1/pods?watch=true&resourceVersion=${rv}&fieldSelector=spec.nodeName%3Dpool-b-2&timeoutSeconds=1`,
      );
      const elsewhere = world.podsOnNode('pool-b-3').find((p) => p.group?.kind !== 'DaemonSet')!;
      world.deletePod(elsewhere.namespace, elsewhere.name);
      const events = (await res.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as WatchEvent);
      // The replacement is created unbound (not matching), bound to pool-b-2 (now matching: ADDED), then Ready.
      expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED']);
      expect(events[0]!.object.metadata.generateName).toBe(elsewhere.name.replace(/[^-]+$/, ''));
      expect(events.every((e) => e.object.spec.nodeName === 'pool-b-2')).toBe(true);
      expect(events[1]!.object.status.conditions).toContainEqual(
        expect.objectContaining({ type: 'Ready', status: 'True' }),
      );
    } finally {
      for (const n of others) world.setUnschedulable(n.name, false);
    }
  });
});
