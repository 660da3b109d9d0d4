/**
 * The whole worker on the clusters that still run Docker pools: precheck, an in-place and a rotate migration on
 * Kubernetes 1.20, 1.21 and 1.22 scenarios (src/sandbox/scenarios/k8s-1.2x.yaml), whose apiservers serve PDBs,
 * CronJobs and Eviction bodies only in their own versions.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFileSchema } from '../../../src/config/config-file.js';
import type { PrecheckReport } from '../../../src/domain/precheck/report.js';
import { redisUrl, testPrefix } from '../../support/redis.js';
import { APPROVER, type Lane, REQUESTER, WorkerHarness } from '../../support/worker-harness.js';

const SCENARIOS = new URL('../../../src/sandbox/scenarios/', import.meta.url).pathname;

const config = configFileSchema.parse({
  clusters: [
    {
      id: 'c-demo',
      environment: 'staging',
      approvers: { slack: [APPROVER.userId], cli: ['root'] },
    },
  ],
});

describe.each(['1.20', '1.21', '1.22'])('Kubernetes %s', { timeout: 120_000 }, (minor) => {
  let h: WorkerHarness;
  let lane: Lane;
  beforeAll(async () => {
    h = await WorkerHarness.start({
      prefix: testPrefix(`k8s-${minor}`),
      redisUrl: redisUrl(),
      scenario: readFileSync(`${SCENARIOS}k8s-${minor}.yaml`, 'utf8'),
      config,
    });
    lane = await h.lane();
    await lane.worker({ timing: { ...h.timing, drainTimeoutMs: 5_000 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('precheck --json finds the docker.sock CronJob and the PDB that allows no disruption', async () => {
    const run = await lane.cli(['precheck', '--pool', 'pool-a', '--json'], { ...h.sandbox.env });
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as PrecheckReport;
    expect(report.cluster.version.startsWith(`${minor}.`)).toBe(true);
    expect(report.verdict).toBe('blocked');
    const found = report.findings.map((f) => `${f.rule} ${f.object.kind} ${f.object.namespace}/${f.object.name}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'docker-socket CronJob legacy/image-prune',
        'pdb-blocking PodDisruptionBudget legacy/billing',
      ]),
    );
  });

  it('migrates pool-b in place', async () => {
    const { migration } = await lane.client.service.start({
      pool: 'pool-b',
      snapshot: false,
      soakSeconds: 0,
      mode: 'in-place',
      maxParallel: 1,
      origin: REQUESTER,
    });
    const stop = lane.autoApprove(migration.migrationId);
    const done = await lane.untilState(migration.migrationId, ['completed', 'aborted', 'paused'], 90_000);
    stop();
    expect([done.state, done.reason]).toEqual(['completed', undefined]);
    const nodes = await h.gateways.cluster.listPoolNodes('np-b');
    expect(nodes).toHaveLength(3);
    for (const n of nodes) expect([n.runtimeVersion.startsWith('containerd://'), n.ready]).toEqual([true, true]);
  });

  it('rotates pool-r: the workload runs Ready on the new containerd pool', async () => {
    const { migration } = await lane.client.service.start({
      pool: 'pool-r',
      snapshot: false,
      soakSeconds: 0,
      mode: 'rotate',
      maxParallel: 2,
      origin: REQUESTER,
    });
    const stop = lane.autoApprove(migration.migrationId);
    const done = await lane.untilState(migration.migrationId, ['completed', 'aborted', 'paused'], 90_000);
    stop();
    expect([done.state, done.reason]).toEqual(['completed', undefined]);
    const pools = await h.gateways.cloud.listNodePools('c-demo');
    expect(pools.map((p) => p.name)).not.toContain('pool-r');
    const fresh = pools.find((p) => p.name === 'pool-r-containerd')!;
    const nodes = await h.gateways.cluster.listPoolNodes(fresh.id);
    expect(nodes.length).toBe(3);
    const [search] = await h.gateways.cluster.workloadStatus([
      { kind: 'Deployment', namespace: 'web', name: 'search' },
    ]);
    expect(search).toMatchObject({ desired: 3, ready: 3 });
    const onNew = new Set(nodes.map((n) => n.name));
    const pods = h.sandbox.world.workloads.pods;
    const searchPods = [...pods.all()].filter((p) => p.labels['app'] === 'search');
    expect(searchPods.length).toBe(3);
    for (const p of searchPods) expect([onNew.has(p.nodeName ?? ''), pods.has(p.key)]).toEqual([true, true]);
  });
});
