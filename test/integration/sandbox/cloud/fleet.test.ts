/** A fleet scenario: two clusters in two regions behind one cloud endpoint, each with its own Kubernetes API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseFleet } from '../../../../src/sandbox/scenario/index.js';
import { type Sandbox, startSandbox } from '../../../../src/sandbox/start-sandbox.js';
import { type SdkClient, sdkClient, sdkError } from './sdk-client.js';

const FLEET = `
clusters:
  - cluster: {id: c-hz, name: hz, region: cn-hangzhou, version: 1.22.15-aliyun.1}
    nodePools:
      - {id: np-hz-a, name: pool-a, runtime: docker, runtimeVersion: 19.03.15, nodes: 2, instanceType: ecs.g7.large}
  - cluster: {id: c-sh, name: sh, region: cn-shanghai, version: 1.22.15-aliyun.1}
    nodePools:
      - {id: np-sh-a, name: pool-a, runtime: docker, runtimeVersion: 19.03.15, nodes: 3, instanceType: ecs.g7.large}
timing: {drain: 1}
`;

let sandbox: Sandbox;
let sdk: SdkClient;

beforeAll(async () => {
  sandbox = await startSandbox({ fleet: parseFleet(FLEET, process.cwd(), 'fleet.yaml'), timeScale: 0.01 });
  sdk = sdkClient(
    sandbox.cloud.endpoint,
    sandbox.env.ALIBABA_CLOUD_ACCESS_KEY_ID,
    sandbox.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
  );
});
afterAll(() => sandbox?.stop());

describe('sandbox fleet', () => {
  it('lists every cluster, by region too', async () => {
    const all = await sdk.roa<{ clusters: Array<{ cluster_id: string; region_id: string }> }>(
      'DescribeClustersV1',
      'GET',
      '/api/v1/clusters',
    );
    expect(all.clusters.map((c) => [c.cluster_id, c.region_id])).toEqual([
      ['c-hz', 'cn-hangzhou'],
      ['c-sh', 'cn-shanghai'],
    ]);
    const sh = await sdk.roa<{ clusters: Array<{ cluster_id: string }> }>(
      'DescribeClustersV1',
      'GET',
      '/api/v1/clusters',
      {
        query: { region_id: 'cn-shanghai' },
      },
    );
    expect(sh.clusters.map((c) => c.cluster_id)).toEqual(['c-sh']);
  });

  it('gives each cluster its own Kubernetes API, and a kubeconfig context per cluster id', async () => {
    expect(sandbox.clusters.map((c) => c.id)).toEqual(['c-hz', 'c-sh']);
    expect(new Set(sandbox.clusters.map((c) => c.k8s.url)).size).toBe(2);
    for (const c of sandbox.clusters) {
      const nodes = (await (await fetch(`${c.k8s.url}/api/v1/nodes`)).json()) as { items: unknown[] };
      expect(nodes.items).toHaveLength(c.id === 'c-hz' ? 2 : 3);
    }
    const { readFileSync } = await import('node:fs');
    const kubeconfig = parse(readFileSync(sandbox.kubeconfig, 'utf8')) as {
      contexts: Array<{ name: string }>;
      clusters: Array<{ name: string; cluster: { server: string } }>;
    };
    expect(kubeconfig.contexts.map((c) => c.name)).toEqual(['c-hz', 'c-sh']);
    expect(kubeconfig.clusters.find((c) => c.name === 'c-sh')?.cluster.server).toBe(sandbox.clusters[1]!.k8s.url);
  });

  it('serves DescribeClusterUserKubeconfig per cluster; its token stops working when it expires', async () => {
    const answer = await sdk.roa<{ config: string; expiration: string }>(
      'DescribeClusterUserKubeconfig',
      'GET',
      '/k8s/c-sh/user_config',
      { query: { PrivateIpAddress: 'false', TemporaryDurationMinutes: '15' } },
    );
    const config = parse(answer.config) as {
      clusters: Array<{ cluster: { server: string } }>;
      users: Array<{ user: { token: string } }>;
    };
    expect(config.clusters[0]!.cluster.server).toBe(sandbox.clusters[1]!.k8s.url);
    const minutes = (Date.parse(answer.expiration) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);
    const token = config.users[0]!.user.token;
    const get = () =>
      fetch(`${config.clusters[0]!.cluster.server}/api/v1/nodes`, { headers: { authorization: `Bearer ${token}` } });
    expect((await get()).status).toBe(200);
    sandbox.cloud.states[1]!.kubeTokens.set(token, Date.now() - 1);
    expect((await get()).status).toBe(401);

    const tooShort = await sdkError(
      sdk.roa('DescribeClusterUserKubeconfig', 'GET', '/k8s/c-sh/user_config', {
        query: { TemporaryDurationMinutes: '5' },
      }),
    );
    expect(tooShort.code).toBe('ErrorParameterInvalid');
    const unknown = await sdkError(sdk.roa('DescribeClusterUserKubeconfig', 'GET', '/k8s/c-nope/user_config'));
    expect(unknown.code).toBe('ErrorClusterNotFound');
  });

  it('answers an ECS call that names another region than the instance’s as ECS does: not found there', async () => {
    const sh = sandbox.clusters[1]!.world;
    const instance = [...sh.instances.values()][0]!;
    const wrong = await sdkError(sdk.rpc('StopInstance', { RegionId: 'cn-hangzhou', InstanceId: instance.instanceId }));
    expect(wrong.code).toBe('InvalidInstanceId.NotFound');
    expect(instance.status).toBe('Running');
    const listed = await sdk.rpc<{ Instances: { Instance: unknown[] } }>('DescribeInstances', {
      RegionId: 'cn-hangzhou',
      InstanceIds: JSON.stringify([instance.instanceId]),
    });
    expect(listed.Instances.Instance).toEqual([]);
    const right = await sdk.rpc<{ Instances: { Instance: Array<{ InstanceId: string; RegionId: string }> } }>(
      'DescribeInstances',
      { RegionId: 'cn-shanghai', InstanceIds: JSON.stringify([instance.instanceId]) },
    );
    expect(right.Instances.Instance.map((i) => [i.InstanceId, i.RegionId])).toEqual([
      [instance.instanceId, 'cn-shanghai'],
    ]);
    await sdk.rpc('StopInstance', { RegionId: 'cn-shanghai', InstanceId: instance.instanceId });
    expect(instance.status).toBe('Stopping');
  });

  it("answers DescribeKubernetesVersionMetadata for each cluster's own version", async () => {
    const mixed = await startSandbox({
      fleet: parseFleet(
        FLEET.replace(
          'c-sh, name: sh, region: cn-shanghai, version: 1.22.15-aliyun.1',
          'c-sh, name: sh, region: cn-shanghai, version: 1.21.14-aliyun.1',
        ),
        process.cwd(),
        'fleet.yaml',
      ),
      timeScale: 0.01,
    });
    try {
      const client = sdkClient(
        mixed.cloud.endpoint,
        mixed.env.ALIBABA_CLOUD_ACCESS_KEY_ID,
        mixed.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
      );
      const table = await client.roa<Array<{ version: string; runtimes: Array<{ name: string; version: string }> }>>(
        'DescribeKubernetesVersionMetadata',
        'GET',
        '/api/v1/metadata/versions',
        {
          query: {
            ClusterType: 'ManagedKubernetes',
            Region: 'cn-shanghai',
            KubernetesVersion: '1.21.14-aliyun.1',
            runtime: 'containerd',
          },
          bodyType: 'array',
        },
      );
      expect(table.map((v) => [v.version, v.runtimes.map((r) => r.name)])).toEqual([
        ['1.21.14-aliyun.1', ['containerd']],
      ]);
    } finally {
      await mixed.stop();
    }
  });

  it('refuses a fleet whose pool ids repeat across clusters, naming the id', () => {
    expect(() => parseFleet(FLEET.replace('np-sh-a', 'np-hz-a'), process.cwd(), 'fleet.yaml')).toThrow(
      'fleet.yaml: node pool id np-hz-a appears in two clusters',
    );
  });
});
