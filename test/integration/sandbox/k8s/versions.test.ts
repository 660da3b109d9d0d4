/**
 * The sandbox serves the API surface of its cluster's minor (docs/contracts.md#scenario-file-format): discovery
 * lists exactly the group-versions 1.20, 1.21 and 1.22 serve, unserved paths are 404 Status bodies, an Eviction
 * body of an unserved version is a 400, and a stored object is visible through every version that serves its
 * kind. Real kubectl (v1.32) lists, cordons and drains against each.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubernetesApi, kubeconfigYaml, startKubernetesApi } from '../../../../src/sandbox/k8s/index.js';
import { loadScenarioFile, parseScenario } from '../../../../src/sandbox/scenario/index.js';
import { createWorld, type World } from '../../../../src/sandbox/world/index.js';

const SCENARIOS = new URL('../../../../src/sandbox/scenarios/', import.meta.url).pathname;

interface Expected {
  minor: string;
  policy: string[];
  batch: string[];
  eviction: string;
}

const VERSIONS: Expected[] = [
  { minor: '1.20', policy: ['policy/v1beta1'], batch: ['batch/v1', 'batch/v1beta1'], eviction: 'v1beta1' },
  { minor: '1.21', policy: ['policy/v1', 'policy/v1beta1'], batch: ['batch/v1', 'batch/v1beta1'], eviction: 'v1beta1' },
  { minor: '1.22', policy: ['policy/v1', 'policy/v1beta1'], batch: ['batch/v1', 'batch/v1beta1'], eviction: 'v1' },
];

interface Api {
  world: World;
  api: KubernetesApi;
  dir: string;
}

async function start(minor: string): Promise<Api> {
  const world = createWorld(loadScenarioFile(join(SCENARIOS, `k8s-${minor}.yaml`)), { timeScale: 0.02 });
  const api = await startKubernetesApi(world);
  const dir = mkdtempSync(join(tmpdir(), `kubectl-${minor}-`));
  writeFileSync(join(dir, 'config'), kubeconfigYaml(api.url));
  return { world, api, dir };
}

async function get(a: Api, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${a.api.url}${path}`, { headers: { Accept: 'application/json' } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function evict(
  a: Api,
  ns: string,
  name: string,
  apiVersion: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${a.api.url}/api/v1/namespaces/${ns}/pods/${name}/eviction`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ apiVersion, kind: 'Eviction', metadata: { name, namespace: ns } }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function kubectl(a: Api, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'kubectl',
      args,
      { env: { ...process.env, KUBECONFIG: join(a.dir, 'config'), HOME: a.dir }, timeout: 90_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const NOT_FOUND = {
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  reason: 'NotFound',
  code: 404,
  message: 'the server could not find the requested resource',
};

describe.each(VERSIONS)('Kubernetes $minor', (expected) => {
  let a: Api;
  beforeAll(async () => {
    a = await start(expected.minor);
  });
  afterAll(async () => {
    await a?.api.close();
    a?.world.close();
    if (a) rmSync(a.dir, { recursive: true, force: true });
  });

  it('discovery lists exactly the group-versions and resources of the minor', async () => {
    const groups = (await get(a, '/apis')).body['groups'] as Array<{
      name: string;
      versions: Array<{ groupVersion: string }>;
      preferredVersion: { groupVersion: string };
    }>;
    const versionsOf = (name: string) => groups.find((g) => g.name === name)?.versions.map((v) => v.groupVersion);
    expect(versionsOf('policy')).toEqual(expected.policy);
    expect(versionsOf('batch')).toEqual(expected.batch);
    expect(versionsOf('apps')).toEqual(['apps/v1']);
    expect(groups.find((g) => g.name === 'policy')?.preferredVersion.groupVersion).toBe(expected.policy[0]);
    const names = async (gv: string) =>
      ((await get(a, `/apis/${gv}`)).body['resources'] as Array<{ name: string }>).map((r) => r.name);
    expect(await names('batch/v1')).toEqual(expected.minor === '1.20' ? ['jobs'] : ['jobs', 'cronjobs']);
    expect(await names('batch/v1beta1')).toEqual(['cronjobs']);
    for (const gv of expected.policy) expect(await names(gv)).toEqual(['poddisruptionbudgets']);
    const core = (await get(a, '/api/v1')).body['resources'] as Array<Record<string, unknown>>;
    expect(core.find((r) => r['name'] === 'pods/eviction')).toMatchObject({
      group: 'policy',
      version: expected.eviction,
      kind: 'Eviction',
    });
  });

  it('answers unserved paths with the apiserver 404 Status', async () => {
    for (const gv of ['policy/v1', 'batch/v2alpha1', 'extensions/v1beta1'].filter(
      (g) => !expected.policy.includes(g),
    )) {
      const found = await get(a, `/apis/${gv}`);
      expect([gv, found.status]).toEqual([gv, 404]);
      expect(found.body).toMatchObject(NOT_FOUND);
      const listed = await get(a, `/apis/${gv}/poddisruptionbudgets`);
      expect(listed.status).toBe(404);
      expect(listed.body).toMatchObject(NOT_FOUND);
    }
    if (expected.minor === '1.20') expect((await get(a, '/apis/batch/v1/cronjobs')).status).toBe(404);
  });

  it('shows a stored PDB and CronJob through every version that serves them, in that version', async () => {
    for (const gv of expected.policy) {
      const list = await get(a, `/apis/${gv}/namespaces/legacy/poddisruptionbudgets`);
      expect(list.status).toBe(200);
      expect(list.body['apiVersion']).toBe(gv);
      const items = list.body['items'] as Array<{ apiVersion: string; metadata: { name: string }; spec: unknown }>;
      expect(items.map((i) => [i.apiVersion, i.metadata.name])).toEqual([[gv, 'billing']]);
      expect(items[0]!.spec).toMatchObject({ minAvailable: 2 });
    }
    const cronVersions = expected.minor === '1.20' ? ['batch/v1beta1'] : ['batch/v1', 'batch/v1beta1'];
    for (const gv of cronVersions) {
      const one = await get(a, `/apis/${gv}/namespaces/legacy/cronjobs/image-prune`);
      expect([gv, one.status, one.body['apiVersion']]).toEqual([gv, 200, gv]);
    }
  });

  it('takes an Eviction body only in the versions the minor serves', async () => {
    const pods = a.world.listNodes('np-b').flatMap((n) => a.world.podsOnNode(n.name));
    const [first, second] = pods.filter((p) => p.group?.kind === 'ReplicaSet');
    const refused = ['policy/v1', 'policy/v1beta1'].filter((v) => v !== `policy/${expected.eviction}`);
    if (expected.minor === '1.22') refused.length = 0;
    for (const apiVersion of refused) {
      const r = await evict(a, first!.namespace, first!.name, apiVersion);
      expect([apiVersion, r.status]).toEqual([apiVersion, 400]);
      expect(r.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 });
      expect(String(r.body['message'])).toContain(apiVersion);
      expect(a.world.workloads.pods.get(first!.namespace, first!.name)).toBeDefined();
    }
    const ok = await evict(a, second!.namespace, second!.name, `policy/${expected.eviction}`);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ kind: 'Status', status: 'Success' });
  });

  it('kubectl lists PDBs and CronJobs, and refuses an unserved group-version', async () => {
    const raw = await kubectl(a, 'get', '--raw', '/apis/policy/v1');
    if (expected.minor === '1.20') {
      expect(raw.code).not.toBe(0);
      expect(raw.stderr).toMatch(/NotFound|could not find the requested resource/);
    } else expect(raw.code).toBe(0);
    const pdbs = await kubectl(a, 'get', 'pdb', '-A');
    expect([pdbs.code, pdbs.stderr]).toEqual([0, '']);
    for (const name of ['billing', 'shop', 'search']) expect(pdbs.stdout).toMatch(new RegExp(`\\b${name}\\b`));
    const crons = await kubectl(a, 'get', 'cronjobs', '-A');
    expect([crons.code, crons.stderr]).toEqual([0, '']);
    expect(crons.stdout).toMatch(/legacy\s+image-prune/);
  });

  it('kubectl cordons and drains a node, evicting in the served Eviction version', async () => {
    const node = a.world.listNodes('np-r')[0]!.name;
    const drained = await kubectl(a, 'drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s');
    expect([drained.code, drained.stderr.split('\n').filter((l) => /error/i.test(l) && !/will retry/.test(l))]).toEqual(
      [0, []],
    );
    expect(drained.stdout).toContain(`node/${node} drained`);
    expect(a.world.getNode(node)?.unschedulable).toBe(true);
    const left = a.world.podsOnNode(node).filter((p) => p.group?.kind !== 'DaemonSet');
    expect(left).toEqual([]);
    const uncordoned = await kubectl(a, 'uncordon', node);
    expect(uncordoned.code).toBe(0);
    expect(a.world.getNode(node)?.unschedulable).toBe(false);
  });
});

describe('scenario manifests and the minor', () => {
  it('refuses a manifest in a version the cluster does not serve, naming the versions it does', () => {
    const text = `
cluster: { id: c-old, name: old, region: cn-hangzhou, version: 1.20.11-aliyun.1 }
nodePools:
  - { id: np-a, name: pool-a, runtime: docker, runtimeVersion: 19.03.15, nodes: 1, instanceType: ecs.g7.xlarge }
manifests:
  - apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: { name: web, namespace: web }
    spec: { maxUnavailable: 1, selector: { matchLabels: { app: web } } }
`;
    expect(() => parseScenario(text, SCENARIOS, 's.yaml')).toThrow(
      /s\.yaml: PodDisruptionBudget web\/web: no matches for kind "PodDisruptionBudget" in version "policy\/v1" on Kubernetes 1\.20 \(served: policy\/v1beta1\)/,
    );
    expect(() => parseScenario(text.replace('1.20.11', '1.21.14'), SCENARIOS, 's.yaml')).not.toThrow();
  });
});
