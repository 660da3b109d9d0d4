/**
 * Issue 17's acceptance: a two-cluster, two-region fleet (both have a `pool-a`) served by one worker started without
 * KUBECONFIG, which reaches each cluster's Kubernetes API through ACK's DescribeClusterUserKubeconfig and each
 * region's ECS with its own RegionId. `fleet --json`, the refusal of an ambiguous pool, and a migration of one
 * cluster's pool that leaves the other cluster alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFileSchema } from '../../../src/config/config-file.js';
import type { FleetView } from '../../../src/domain/fleet/fleet-view.js';
import { redisUrl, testPrefix } from '../../support/redis.js';
import { type Lane, WorkerHarness } from '../../support/worker-harness.js';

const FLEET = `
clusters:
  - cluster: { id: c-hz, name: hangzhou, region: cn-hangzhou, version: 1.22.15-aliyun.1 }
    nodePools:
      - { id: np-hz-a, name: pool-a, runtime: docker, runtimeVersion: 19.03.15, nodes: 2, instanceType: ecs.g7.large }
  - cluster: { id: c-sh, name: shanghai, region: cn-shanghai, version: 1.22.15-aliyun.1 }
    nodePools:
      - { id: np-sh-a, name: pool-a, runtime: docker, runtimeVersion: 19.03.15, nodes: 2, instanceType: ecs.g7.large }
      - { id: np-sh-c, name: pool-c, runtime: containerd, runtimeVersion: 1.6.28, nodes: 1, instanceType: ecs.g7.large }
`;

const config = configFileSchema.parse({
  clusters: [
    { id: 'c-hz', region: 'cn-hangzhou', environment: 'test' },
    { id: 'c-sh', region: 'cn-shanghai', environment: 'test' },
  ],
});

/** The CLI as an operator of the whole fleet runs it: no default cluster. */
const NO_DEFAULT = { ACK_CLUSTER_ID: '' };

describe('fleet: two clusters in two regions, one worker', { timeout: 120_000 }, () => {
  let h: WorkerHarness;
  let lane: Lane;
  beforeAll(async () => {
    h = await WorkerHarness.start({ prefix: testPrefix('fleet'), redisUrl: redisUrl(), scenario: FLEET, config });
    lane = await h.lane();
    await lane.spawnWorker({ KUBECONFIG: '', ACK_CLUSTER_ID: '' }, 'cli');
  });
  afterAll(async () => {
    await h?.close();
  });

  const fleet = async (): Promise<FleetView> => {
    const run = await lane.cli(['fleet', '--json'], NO_DEFAULT);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as FleetView;
  };

  it('fleet --json gives every pool its verdict, and a cluster with Docker pools is not ready for 1.24', async () => {
    const view = await fleet();
    expect(view.clusters.map((c) => [c.id, c.region, c.version, c.dockerPools, c.readyForUpgrade])).toEqual([
      ['c-hz', 'cn-hangzhou', '1.22.15-aliyun.1', 1, false],
      ['c-sh', 'cn-shanghai', '1.22.15-aliyun.1', 1, false],
    ]);
    const sh = view.clusters[1]!;
    expect(sh.pools.map((p) => [p.id, p.name, p.runtime, p.nodes, p.migration])).toEqual([
      ['np-sh-a', 'pool-a', 'docker', 2, null],
      ['np-sh-c', 'pool-c', 'containerd', 1, null],
    ]);
    expect(sh.pools[1]!.verdict).toBe('nothing-to-do');
    for (const p of [view.clusters[0]!.pools[0]!, sh.pools[0]!]) expect(['ready', 'warnings']).toContain(p.verdict);
    // Kubernetes access came from ACK, once per cluster (kept for the next scans).
    expect((await h.stats()).actions['DescribeClusterUserKubeconfig']).toBe(2);
  });

  it('refuses start pool-a without --cluster, naming both clusters, and starts nothing', async () => {
    const run = await lane.cli(['start', 'pool-a', '--yes'], NO_DEFAULT);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('pool "pool-a" is in several clusters (c-hz, c-sh): add --cluster ID');
    expect(await lane.client.store.active()).toEqual([]);
  });

  it("migrates c-sh's pool-a to the end and leaves c-hz's nodes untouched; fleet then shows it on containerd", async () => {
    const hz = h.sandbox.clusters[0]!.world;
    const before = hz.listNodes().map((n) => [n.name, n.runtime, hz.instances.get(n.instanceId)?.systemDiskId]);
    const run = await lane.cli(['start', 'pool-a', '--cluster', 'c-sh', '--yes', '--wait'], NO_DEFAULT);
    expect(run.code, run.stderr).toBe(0);
    const [record] = await lane.client.store.forPool('c-sh', 'np-sh-a', 1);
    expect(record?.state).toBe('completed');
    expect(h.sandbox.clusters[1]!.world.listNodes('np-sh-a').map((n) => n.runtime)).toEqual([
      'containerd',
      'containerd',
    ]);
    expect(hz.listNodes().map((n) => [n.name, n.runtime, hz.instances.get(n.instanceId)?.systemDiskId])).toEqual(
      before,
    );

    const view = await fleet();
    const pool = view.clusters[1]!.pools[0]!;
    expect(pool).toMatchObject({ name: 'pool-a', runtime: 'containerd', verdict: 'nothing-to-do' });
    expect(pool.migration).toEqual({ id: record!.id, state: 'completed' });
    expect(view.clusters[1]).toMatchObject({ dockerPools: 0, readyForUpgrade: true });
    expect(view.clusters[0]!.pools[0]).toMatchObject({ runtime: 'docker', migration: null });
  });
});
