/**
 * The fleet scan against a three-cluster sandbox, with the worker's own per-cluster gateways: the configured
 * clusters (with `discover`, every cluster the account lists), at most `concurrency` prechecks at once, and a
 * configured cluster ACK does not know shown as unreadable rather than failing the scan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFleetGateways, type FleetGateways } from '../../../src/app/fleet-gateways.js';
import { configFileSchema } from '../../../src/config/config-file.js';
import { loadConfig } from '../../../src/config/load-config.js';
import type { ClusterAccess } from '../../../src/ports/cluster-access.js';
import { parseFleet } from '../../../src/sandbox/scenario/index.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/start-sandbox.js';
import { scanFleet } from '../../../src/services/fleet-scan.js';
import { MemoryMigrationStore } from '../../../src/stores/memory/migration-store.js';

const pools = (c: number) =>
  [1, 2]
    .map(
      (p) =>
        `      - { id: np-${c}-${p}, name: pool-${p}, runtime: docker, runtimeVersion: 19.03.15, nodes: 2, instanceType: ecs.g7.large }`,
    )
    .join('\n');
const FLEET = `clusters:
${[1, 2, 3]
  .map(
    (
      c,
    ) => `  - cluster: { id: c-${c}, name: fleet-${c}, region: ${c === 2 ? 'cn-beijing' : 'cn-hangzhou'}, version: 1.22.15-aliyun.1 }
    nodePools:
${pools(c)}`,
  )
  .join('\n')}
`;

let sandbox: Sandbox;
let gateways: FleetGateways;

beforeAll(async () => {
  sandbox = await startSandbox({ fleet: parseFleet(FLEET, process.cwd(), 'fleet.yaml'), timeScale: 0.01 });
  const file = configFileSchema.parse({ clusters: [{ id: 'c-1' }, { id: 'c-nope' }] });
  const env = loadConfig({ ...sandbox.env, KUBECONFIG: '', ACK_CLUSTER_ID: '' });
  gateways = createFleetGateways({ ...env, file }, { cloud: { checkPollMs: 20, retry: { attempts: 1 } } });
});
afterAll(async () => {
  gateways?.close();
  await sandbox?.stop();
});

/** The worker's access, counting how many pool snapshots run at once. */
function counting(access: ClusterAccess) {
  const seen = { now: 0, max: 0 };
  const wrapped: ClusterAccess = async (id) => {
    const g = await access(id);
    const cluster = Object.create(g.cluster) as typeof g.cluster;
    cluster.snapshotPool = async (poolId) => {
      seen.max = Math.max(seen.max, ++seen.now);
      try {
        return await g.cluster.snapshotPool(poolId);
      } finally {
        seen.now--;
      }
    };
    return { cloud: g.cloud, cluster };
  };
  return { wrapped, seen };
}

describe('scanFleet', () => {
  const deps = (access: ClusterAccess, over: { discover?: boolean; fleet?: string[] } = {}) => ({
    cluster: gateways.cluster,
    cloud: gateways.cloud,
    access,
    fleet: over.fleet ?? ['c-1', 'c-nope'],
    store: new MemoryMigrationStore(),
    concurrency: 2,
    ...(over.discover ? { discover: true } : {}),
  });

  it('scans the configured clusters, shows one ACK does not know as unreadable, at most 2 prechecks at once', async () => {
    const { wrapped, seen } = counting(gateways.access);
    const progress: number[] = [];
    const view = await scanFleet(deps(wrapped), (p) => progress.push(p.done));
    expect(view.clusters.map((c) => [c.id, c.pools.length, c.readyForUpgrade])).toEqual([
      ['c-1', 2, false],
      ['c-nope', 0, false],
    ]);
    expect(view.clusters[1]!.error).toMatch(/c-nope/);
    expect(view.clusters[0]!.pools.map((p) => [p.name, p.verdict])).toEqual([
      ['pool-1', 'ready'],
      ['pool-2', 'ready'],
    ]);
    expect(progress).toEqual([0, 1, 2]);
    expect(seen.max).toBeLessThanOrEqual(2);
  });

  it('with discover, adds every cluster the account lists, each in its own region', async () => {
    const { wrapped, seen } = counting(gateways.access);
    const view = await scanFleet(deps(wrapped, { discover: true, fleet: ['c-1'] }));
    expect(view.clusters.map((c) => [c.id, c.region, c.pools.length])).toEqual([
      ['c-1', 'cn-hangzhou', 2],
      ['c-2', 'cn-beijing', 2],
      ['c-3', 'cn-hangzhou', 2],
    ]);
    expect(view.clusters.flatMap((c) => c.pools.map((p) => p.verdict))).not.toContain('error');
    expect(seen.max).toBeLessThanOrEqual(2);
  });
});
