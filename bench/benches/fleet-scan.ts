/**
 * fleet-scan: `fleet` over 20 clusters × 5 pools × 20 nodes in 4 regions (each pool with a 20-replica Deployment
 * and its PDB), one cloud endpoint and 20 Kubernetes APIs, gateways built as the worker builds them (no KUBECONFIG:
 * every cluster's access comes from DescribeClusterUserKubeconfig). The baseline, measured in the same run, is the
 * slowest single precheck (one pool per cluster, each alone) × ⌈pools / concurrency⌉: what the scan would take if
 * its concurrency were perfectly used. Goal: wall ≤ 1.5 × baseline.
 */
import { performance } from 'node:perf_hooks';
import { createFleetGateways } from '../../src/app/fleet-gateways.js';
import { configFileSchema } from '../../src/config/config-file.js';
import { loadConfig } from '../../src/config/load-config.js';
import { parseFleet } from '../../src/sandbox/scenario/index.js';
import { startSandbox } from '../../src/sandbox/start-sandbox.js';
import { DEFAULT_FLEET_CONCURRENCY, scanFleet } from '../../src/services/fleet-scan.js';
import { runPrecheck } from '../../src/services/precheck-service.js';
import { MemoryMigrationStore } from '../../src/stores/memory/migration-store.js';
import type { Benchmark } from '../run.js';

const CLUSTERS = 20;
const POOLS = 5;
const NODES = 20;
const REGIONS = ['cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'ap-southeast-1'];
const GOAL = 1.5;
/** ACK's own check runs its 10 simulated seconds in 0.5 s: a precheck waits on ACK as a real one does, shorter. */
const TIME_SCALE = 0.05;

function fleetYaml(): string {
  const lines = ['clusters:'];
  for (let c = 1; c <= CLUSTERS; c++) {
    const region = REGIONS[c % REGIONS.length];
    lines.push(
      `  - cluster: { id: c-${c}, name: fleet-${c}, region: ${region}, version: 1.22.15-aliyun.1 }`,
      '    nodePools:',
    );
    for (let p = 1; p <= POOLS; p++)
      lines.push(
        `      - { id: np-${c}-${p}, name: pool-${p}, runtime: docker, runtimeVersion: 19.03.15, nodes: ${NODES}, instanceType: ecs.g7.large }`,
      );
    lines.push('    manifests:');
    for (let p = 1; p <= POOLS; p++) {
      const app = `app-${p}`;
      lines.push(
        `      - { apiVersion: apps/v1, kind: Deployment, metadata: { name: ${app}, namespace: default }, spec: { replicas: ${NODES}, selector: { matchLabels: { app: ${app} } }, template: { metadata: { labels: { app: ${app} } }, spec: { nodeSelector: { alibabacloud.com/nodepool-id: np-${c}-${p} }, containers: [{ name: app, image: nginx:1.25 }] } } } }`,
        `      - { apiVersion: policy/v1, kind: PodDisruptionBudget, metadata: { name: ${app}, namespace: default }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: ${app} } } } }`,
      );
    }
  }
  return lines.join('\n');
}

const bench: Benchmark = {
  name: 'fleet-scan',
  async run() {
    const sandbox = await startSandbox({
      fleet: parseFleet(fleetYaml(), process.cwd(), 'fleet-scan'),
      timeScale: TIME_SCALE,
    });
    const ids = sandbox.clusters.map((c) => c.id);
    const file = configFileSchema.parse({
      clusters: sandbox.clusters.map((c) => ({ id: c.id, region: c.region })),
      settings: { fleetConcurrency: DEFAULT_FLEET_CONCURRENCY },
    });
    const env = loadConfig({ ...sandbox.env, KUBECONFIG: '', ACK_CLUSTER_ID: '' }, {});
    const gateways = createFleetGateways({ ...env, file }, { cloud: { checkPollMs: 20, retry: { baseDelayMs: 20 } } });
    const deps = {
      cluster: gateways.cluster,
      cloud: gateways.cloud,
      access: gateways.access,
      fleet: ids,
      store: new MemoryMigrationStore(),
      concurrency: DEFAULT_FLEET_CONCURRENCY,
    };
    try {
      // Warm up: every cluster's gateways built and its API discovered, as in a worker that has run before.
      await Promise.all(ids.map((id) => runPrecheck(deps, { cluster: id, pool: 'pool-1' })));
      let slowest = 0;
      for (const id of ids) {
        const t0 = performance.now();
        await runPrecheck(deps, { cluster: id, pool: 'pool-2' });
        slowest = Math.max(slowest, performance.now() - t0);
      }
      const t0 = performance.now();
      const view = await scanFleet(deps);
      const wallMs = performance.now() - t0;
      const pools = view.clusters.reduce((n, c) => n + c.pools.length, 0);
      const errors = view.clusters.flatMap((c) => c.pools.filter((p) => p.verdict === 'error').map((p) => p.error));
      if (pools !== CLUSTERS * POOLS || errors.length > 0)
        throw new Error(`scan saw ${pools} pools, ${errors.length} errors: ${errors[0] ?? ''}`);
      const baselineMs = slowest * Math.ceil(pools / DEFAULT_FLEET_CONCURRENCY);
      const ratio = wallMs / baselineMs;
      return [
        {
          clusters: CLUSTERS,
          pools,
          nodes: pools * NODES,
          concurrency: DEFAULT_FLEET_CONCURRENCY,
          wallMs: Math.round(wallMs),
          slowestPrecheckMs: Math.round(slowest),
          baselineMs: Math.round(baselineMs),
          ratio: Number(ratio.toFixed(2)),
          goal: GOAL,
          ok: ratio <= GOAL,
        },
      ];
    } finally {
      gateways.close();
      await sandbox.stop();
    }
  },
};

export default bench;
