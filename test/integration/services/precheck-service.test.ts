import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrecheckProcessor } from '../../../jobs/precheck.js';
import { createGateways, type Gateways } from '../../../src/app/gateways.js';
import { loadConfig } from '../../../src/config/load-config.js';
import type { ClusterFacts } from '../../../src/domain/cluster/snapshot.js';
import { type AppError, isAppError } from '../../../src/errors.js';
import type { PrecheckJobData } from '../../../src/ports/job-queue.js';
import { loadScenarioFile } from '../../../src/sandbox/scenario/index.js';
import { DEMO_SCENARIO_PATH, type Sandbox, startSandbox } from '../../../src/sandbox/start-sandbox.js';
import {
  type PrecheckCloud,
  type PrecheckDeps,
  planPool,
  runPrecheck,
} from '../../../src/services/precheck-service.js';
import { MemoryEventStream } from '../../../src/stores/memory/event-stream.js';

let sandbox: Sandbox;
let gateways: Gateways;
let deps: PrecheckDeps;

beforeAll(async () => {
  const scenario = loadScenarioFile(DEMO_SCENARIO_PATH);
  scenario.nodePools.push({
    id: 'np-c',
    name: 'pool-c',
    runtime: 'containerd',
    runtimeVersion: '1.6.28',
    nodes: 2,
    instanceType: 'ecs.g7.large',
    labels: {},
  });
  sandbox = await startSandbox({ scenario, timeScale: 0.002 });
  gateways = createGateways(loadConfig({ ...sandbox.env }), { cloud: { checkPollMs: 20 } });
  deps = { cluster: gateways.cluster, cloud: gateways.cloud, defaultClusterId: 'c-demo' };
});

afterAll(async () => {
  gateways?.close();
  await sandbox?.stop();
});

function errorOf(promise: Promise<unknown>): Promise<{ code?: string; message?: string }> {
  return promise.then(
    () => ({}),
    (e: { code?: string; message?: string }) => e,
  );
}

/** The real gateway with another cluster list (the sandbox holds one cluster; these tests need several). */
function cloudListing(clusters: ClusterFacts[]): PrecheckCloud {
  return Object.assign(Object.create(gateways.cloud) as PrecheckCloud, { listClusters: async () => clusters });
}

describe('runPrecheck', () => {
  it('finds the pool by name or by id and reports on it', async () => {
    const byName = await runPrecheck(deps, { pool: 'pool-a' });
    const byId = await runPrecheck(deps, { pool: 'np-a', cluster: 'c-demo' });
    expect(byId).toEqual(byName);
    expect(byName.cluster).toEqual({ id: 'c-demo', version: '1.22.15-aliyun.1' });
    expect(byName.pool).toEqual({
      id: 'np-a',
      name: 'pool-a',
      runtime: 'docker',
      runtimeVersion: '19.03.15',
      nodes: 6,
    });
    expect(byName.verdict).toBe('blocked');
    expect(byName.plan.batches.flat().sort()).toEqual(
      sandbox.world
        .listNodes('np-a')
        .map((n) => n.name)
        .sort(),
    );
  });

  it('passes --max-parallel to the plan', async () => {
    const report = await runPrecheck(deps, { pool: 'pool-a', maxParallel: 2 });
    expect(report.plan.maxParallel).toBe(2);
    expect(report.plan.batches.map((b) => b.length)).toEqual([1, 2, 2, 1]);
  });

  it('says nothing-to-do for a pool on containerd, without running ACK’s check', async () => {
    const before = gateways.cloud.stats().calls.RunClusterCheck ?? 0;
    const report = await runPrecheck(deps, { pool: 'pool-c' });
    expect(report.verdict).toBe('nothing-to-do');
    expect(report.findings.map((f) => f.rule)).toEqual(['already-containerd']);
    expect(gateways.cloud.stats().calls.RunClusterCheck ?? 0).toBe(before);
  });

  it('relays a failed item of ACK’s own check as an ack-check finding', async () => {
    sandbox.cloud.state.checkFailures = [
      { pool: 'np-b', name: 'KernelVersion', level: 'error', message: 'kernel 3.10 cannot run containerd 1.6' },
    ];
    try {
      const report = await runPrecheck(deps, { pool: 'pool-b' });
      const ack = report.findings.filter((f) => f.rule === 'ack-check');
      expect(ack).toHaveLength(1);
      expect(ack[0]).toMatchObject({ severity: 'blocker' });
      expect(ack[0]!.message).toContain('kernel 3.10');
      expect(report.verdict).toBe('blocked');
    } finally {
      sandbox.cloud.state.checkFailures = [];
    }
  });

  it('names the pools that exist when the pool is unknown', async () => {
    expect(await errorOf(runPrecheck(deps, { pool: 'pool-x' }))).toMatchObject({
      code: 'NOT_FOUND',
      message: 'unknown pool "pool-x" in cluster c-demo; pools: pool-a (np-a), pool-b (np-b), pool-c (np-c)',
    });
  });

  it('names the clusters that exist when the cluster is unknown', async () => {
    expect(await errorOf(runPrecheck(deps, { pool: 'pool-a', cluster: 'c-nope' }))).toMatchObject({
      code: 'NOT_FOUND',
      message: 'unknown cluster "c-nope"; clusters: c-demo (demo)',
    });
    const demo = await gateways.cloud.describeCluster('c-demo');
    const listing = { ...deps, cloud: cloudListing([demo, { ...demo, id: 'c-other', name: 'other' }]) };
    expect(await errorOf(runPrecheck(listing, { pool: 'pool-a', cluster: 'c-nope' }))).toMatchObject({
      code: 'NOT_FOUND',
      message: 'unknown cluster "c-nope"; clusters: c-demo (demo), c-other (other)',
    });
  });

  it('takes the only cluster the cloud knows when none is given, else the one cluster that has the pool', async () => {
    const demo = await gateways.cloud.describeCluster('c-demo');
    // The sandbox's own DescribeClustersV1 lists its one cluster.
    const only = { cluster: gateways.cluster, cloud: gateways.cloud };
    expect((await runPrecheck(only, { pool: 'pool-b' })).cluster.id).toBe('c-demo');
    const several = {
      cluster: gateways.cluster,
      cloud: cloudListing([demo, { ...demo, id: 'c-other', name: 'other' }]),
    };
    // c-other is listed but holds no pool (ACK does not know it): pool-b is c-demo's.
    expect((await runPrecheck(several, { pool: 'pool-b' })).cluster.id).toBe('c-demo');
    expect(await errorOf(runPrecheck(several, { pool: 'pool-z' }))).toMatchObject({
      code: 'NOT_FOUND',
      message: 'unknown pool "pool-z" in clusters c-demo, c-other (could not read c-other)',
    });
  });
});

describe('planPool', () => {
  it('assigns every node of the real pool to one batch', async () => {
    const result = await planPool(deps, { pool: 'pool-b', maxParallel: 2 });
    expect(result.pool.id).toBe('np-b');
    expect(result.plan.batches.map((b) => b.length)).toEqual([1, 2]);
    expect(result.plan.batches.flat().sort()).toEqual(['pool-b-1', 'pool-b-2', 'pool-b-3']);
  });
});

describe('jobs/precheck processor', () => {
  const origin = { platform: 'slack' as const, channel: 'C0MIGRATIONS', userId: 'U0ALICE' };
  const job = (data: Partial<PrecheckJobData> & { pool: string }): PrecheckJobData => ({
    planOnly: false,
    origin,
    ...data,
  });
  const now = () => new Date('2026-01-01T00:00:00Z');

  it('returns the same report as the CLI, and skips ACK’s check for a plan-only request', async () => {
    const events = new MemoryEventStream();
    const processor = createPrecheckProcessor({ precheck: () => deps, events, now });
    const before = gateways.cloud.stats().calls.RunClusterCheck ?? 0;
    const report = await processor(job({ pool: 'pool-a', planOnly: true, maxParallel: 2 }));
    expect(report.pool.name).toBe('pool-a');
    expect(report.plan.maxParallel).toBe(2);
    expect(gateways.cloud.stats().calls.RunClusterCheck ?? 0).toBe(before);
    expect(await processor(job({ pool: 'pool-a' }))).toEqual(await runPrecheck(deps, { pool: 'pool-a' }));
    expect(events.all().map((e) => e.type)).toEqual(['precheck.finished', 'precheck.finished']);
  });

  it('fails at once, with the one-line error, on what the user must fix', async () => {
    const events = new MemoryEventStream();
    const error = await createPrecheckProcessor({ precheck: deps, events, now })(job({ pool: 'pool-x' })).catch(
      (e: unknown) => e,
    );
    // Not retryable: the queue fails the job for good (src/queue/bullmq-workers.ts), and the chat side is told.
    expect(isAppError(error) && !error.retryable).toBe(true);
    expect((error as AppError).toLine()).toMatch(/^unknown pool "pool-x" in cluster c-demo; pools: /);
    expect(events.all()).toMatchObject([
      { type: 'precheck.failed', pool: 'pool-x', reason: (error as AppError).toLine() },
    ]);
  });
});
