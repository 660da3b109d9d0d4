/**
 * The demo scenario is the product's showcase: through the real cluster gateway and precheck, each planted
 * workload on pool-a trips exactly its one rule, and nothing ordinary (pool-b, add-ons, web services) does.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPrecheckReport } from '../../../../src/domain/precheck/build-report.js';
import { KubeClusterGateway } from '../../../../src/gateways/cluster/kube-cluster-gateway.js';
import { loadKubeConfig } from '../../../../src/gateways/cluster/kube-config.js';
import { type KubernetesApi, kubeconfigYaml, startKubernetesApi } from '../../../../src/sandbox/k8s/index.js';
import { loadScenarioFile } from '../../../../src/sandbox/scenario/index.js';
import { createWorld, type World } from '../../../../src/sandbox/world/index.js';

const DEMO = new URL('../../../../src/sandbox/scenarios/demo.yaml', import.meta.url).pathname;

let world: World;
let api: KubernetesApi;
let dir: string;
let gateway: KubeClusterGateway;

beforeAll(async () => {
  world = createWorld(loadScenarioFile(DEMO), { timeScale: 0.02 });
  api = await startKubernetesApi(world);
  dir = mkdtempSync(join(tmpdir(), 'demo-precheck-'));
  writeFileSync(join(dir, 'config'), kubeconfigYaml(api.url));
  gateway = new KubeClusterGateway(loadKubeConfig(join(dir, 'config')));
});

afterAll(async () => {
  await api?.close();
  world?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function precheck(poolId: string) {
  const snapshot = await gateway.snapshotPool(poolId);
  const pool = world.pools.get(poolId)!;
  return buildPrecheckReport({
    cluster: { ...world.cluster, state: 'running' },
    pool: {
      id: pool.id,
      name: pool.name,
      runtime: pool.runtime,
      runtimeVersion: pool.runtimeVersion,
      nodeCount: snapshot.nodes.length,
      instanceTypes: [pool.instanceType],
      labels: pool.labels,
    },
    snapshot,
    ackChecks: [],
    maxParallel: undefined,
  });
}

describe('demo scenario through the real precheck', () => {
  it('pool-a: one finding per planted workload, none for the ordinary ones', async () => {
    const report = await precheck('np-a');
    expect(report.verdict).toBe('blocked');
    const found = report.findings
      .map((f) => `${f.rule} ${f.object.kind} ${f.object.namespace}/${f.object.name}`)
      .sort();
    expect(found).toEqual(
      [
        'bare-pod Pod default/debug-shell',
        'docker-cli Deployment ci/ci-runner',
        'docker-data-dir DaemonSet logging/log-collector',
        'docker-socket CronJob ci/image-prune',
        'docker-socket Deployment ci/build-proxy',
        'docker-socket DaemonSet monitoring/node-agent',
        'emptydir Deployment web/session-cache',
        'pdb-blocking PodDisruptionBudget payments/ledger',
        'single-replica Deployment web/admin-portal',
        'system-disk-hostpath Deployment cache/image-cache',
      ].sort(),
    );
  });

  it('pool-b: ready', async () => {
    const report = await precheck('np-b');
    expect(report.findings).toEqual([]);
    expect(report.verdict).toBe('ready');
  });
});
