/**
 * Crash test (issue acceptance): for every step boundary of the pipeline, a worker child process
 * (`ack-migrate worker`) is SIGKILLed there by the test-only switch ACK_MIGRATE_TEST_KILL_AT, a fresh worker
 * resumes, and the migration completes with each system disk replaced exactly once and no batch run without
 * its approval. Each kill point has its own pool and its own queue prefix, so the killer can only ever pick
 * its own migration; a few run at the same time.
 */
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFileSchema } from '../../../src/config/config-file.js';
import { KILL_POINTS, type KillPoint, pipeline } from '../../../src/domain/migration/pipeline.js';
import type { MigrationRecord } from '../../../src/domain/migration/record.js';
import { scanKillCalls } from '../../support/kill-points.js';
import { redisUrl, testPrefix } from '../../support/redis.js';
import { APPROVER, REQUESTER, until, WorkerHarness } from '../../support/worker-harness.js';

type Mode = 'in-place' | 'rotate';

/** How each mode's migrations run here: in place on production pools, rotate on staging ones. */
const RUNS: Record<Mode, { production: boolean; snapshot: boolean; soakSeconds: number; nodes: number }> = {
  'in-place': { production: true, snapshot: true, soakSeconds: 1, nodes: 3 },
  rotate: { production: false, snapshot: false, soakSeconds: 0, nodes: 2 },
};
const MAX_PARALLEL = 2;

/** The steps a migration of `mode` goes through here (two batches; a maintenance window is configured). */
function stepsOf(mode: Mode): Set<string> {
  const run = RUNS[mode];
  const shape = {
    mode,
    production: run.production,
    plan: {},
    batches: Array.from({ length: Math.ceil(run.nodes / MAX_PARALLEL) }, (_, i) => ({ index: i + 1 })),
    options: { snapshot: run.snapshot, soakSeconds: run.soakSeconds },
  } as unknown as MigrationRecord;
  return new Set(pipeline(shape, { windowsConfigured: true }).map((p) => p.step));
}
const STEPS: Record<Mode, Set<string>> = { 'in-place': stepsOf('in-place'), rotate: stepsOf('rotate') };

/**
 * The kill points, read from the code (every `kill('<step>:<point>')` in src/** and jobs/**), each with the modes
 * that reach it: a point in a mode's own file (rotate.ts, in-place.ts) is that mode's; any other is reached by every
 * mode whose pipeline here has its step (`approval:after-park`, in jobs/, parks on a batch approval).
 */
const SCAN = scanKillCalls();
/** Pipeline order (that of KILL_POINTS); a point the constant lacks goes last. */
function rank(point: string): number {
  const i = (KILL_POINTS as readonly string[]).indexOf(point);
  return i < 0 ? KILL_POINTS.length : i;
}
const SOURCE_POINTS = [...new Set(SCAN.calls.map((c) => c.point))].sort((a, b) => rank(a) - rank(b));
function modesOf(point: string): Mode[] {
  const step = point.split(':')[0]!;
  const files = SCAN.calls.filter((c) => c.point === point).map((c) => basename(c.file, '.ts'));
  return (['in-place', 'rotate'] as const).filter(
    (mode) => STEPS[mode].has(step) && files.some((f) => !/^(in-place|rotate)$/.test(f) || f === mode),
  );
}
const CASES = SOURCE_POINTS.flatMap((point) => modesOf(point).map((mode) => ({ point: point as KillPoint, mode })));
const IN_PLACE = CASES.filter((c) => c.mode === 'in-place').map((c) => c.point);
const ROTATE = CASES.filter((c) => c.mode === 'rotate').map((c) => c.point);

describe('the kill points of the crash test', () => {
  it('are read from the code, and are exactly KILL_POINTS', () => {
    expect(SCAN.unreadable, 'kill() calls whose point is not a literal').toEqual([]);
    expect(SOURCE_POINTS.length).toBeGreaterThan(0);
    expect([...SOURCE_POINTS].sort(), 'kill points called in src/ and jobs/ vs KILL_POINTS').toEqual(
      [...KILL_POINTS].sort(),
    );
  });

  it('each is on the path of at least one mode', () => {
    expect(SOURCE_POINTS.filter((p) => modesOf(p).length === 0)).toEqual([]);
  });
});

const poolOf = (kind: 'i' | 'r', i: number) => `crash-${kind}${String(i).padStart(2, '0')}`;

function scenario(): string {
  const pools = [
    ...IN_PLACE.map((_, i) => ({ name: poolOf('i', i), nodes: RUNS['in-place'].nodes })),
    ...ROTATE.map((_, i) => ({ name: poolOf('r', i), nodes: RUNS.rotate.nodes })),
  ];
  return `
cluster: { id: c-demo, name: demo, region: cn-hangzhou, version: 1.22.15-aliyun.1 }
nodePools:
${pools.map((p) => `  - { id: np-${p.name}, name: ${p.name}, runtime: docker, runtimeVersion: 19.03.15, nodes: ${p.nodes}, instanceType: ecs.g7.large, labels: {} }`).join('\n')}
manifestFiles: [demo/system.yaml, demo/workloads.yaml]
timing: { drain: 30, stop: 20, replaceSystemDisk: 60, init: 240, start: 60, snapshot: 300, join: 120 }
faults: []
`;
}

describe.concurrent('a worker killed at every step boundary resumes without repeating anything', {
  timeout: 120_000,
}, () => {
  let h: WorkerHarness;
  const tried = new Set<string>();
  beforeAll(async () => {
    h = await WorkerHarness.start({
      prefix: testPrefix('crash'),
      redisUrl: redisUrl(),
      scenario: scenario(),
      config: configFileSchema.parse({
        clusters: [
          {
            id: 'c-demo',
            environment: 'production',
            pools: Object.fromEntries(ROTATE.map((_, i) => [poolOf('r', i), { environment: 'staging' }])),
            approvers: { slack: [APPROVER.userId] },
          },
        ],
        // A window that is always open, so the window step (and its kill point) is on the path.
        settings: { maintenanceWindows: [{ start: '00:00', end: '00:00', timeZone: 'UTC' }] },
      }),
    });
  });
  afterAll(async () => {
    await h?.close();
    // Every kill point of the pipeline was tried, in every mode that reaches it.
    expect([...tried].sort()).toEqual(CASES.map((c) => `${c.mode} ${c.point}`).sort());
  });

  async function killAndResume(point: KillPoint, pool: string, mode: Mode) {
    const lane = await h.lane(`${h.options.prefix}-${pool}`);
    const killer = await lane.spawnWorker({ ACK_MIGRATE_TEST_KILL_AT: point });
    const killed = new Promise<string>((ok) => killer.once('exit', (_code, signal) => ok(String(signal))));
    const { migration } = await lane.client.service.start({
      pool,
      mode,
      snapshot: RUNS[mode].snapshot,
      soakSeconds: RUNS[mode].soakSeconds,
      maxParallel: MAX_PARALLEL,
      origin: REQUESTER,
    });
    const id = migration.migrationId;
    const stopApproving = lane.autoApprove(id);
    const first = await Promise.race([
      killed,
      // The last kill point comes after the record says completed: give the kill a moment to land.
      lane
        .untilState(id, ['completed', 'aborted', 'paused'], 60_000)
        .then((r) => new Promise<string>((ok) => setTimeout(() => ok(`ended ${r.state}: ${r.reason}`), 3_000))),
    ]);
    expect(first, `the worker was not killed at ${point}`).toBe('SIGKILL');
    tried.add(`${mode} ${point}`);
    await lane.worker();
    const done = await lane.untilState(id, ['completed', 'aborted', 'paused'], 60_000);
    stopApproving();
    expect(`${done.state} ${done.reason ?? ''}`.trim()).toBe('completed');
    // The resumed job ends too: pool lease released, job completed (its deduplication key gone with it).
    await until('lease released', async () =>
      (await lane.client.stores.lease(async () => true).holder('c-demo', done.poolId!)) === undefined
        ? true
        : undefined,
    );
    await until('job completed', async () =>
      (await lane.client.jobs.migrations.getJobState(id)) === 'completed' ? true : undefined,
    );
    return { lane, done };
  }

  it.for(IN_PLACE.map((point, i) => [point, i] as const))('in place, killed at %s', async ([point, i]) => {
    const { done } = await killAndResume(point, poolOf('i', i), 'in-place');
    const stats = await h.stats();
    for (const node of Object.values(done.before)) {
      expect(stats.instances[node.instanceId]?.ReplaceSystemDisk, `${node.name} at ${point}`).toBe(1);
    }
    for (const b of done.batches) {
      expect(b.approvedBy?.userId, `batch ${b.index} approved`).toBe(APPROVER.userId);
      expect(Date.parse(b.approvedBy!.at)).toBeLessThanOrEqual(Date.parse(b.startedAt!));
    }
    const nodes = await h.gateways.cluster.listPoolNodes(done.poolId!);
    expect(nodes.every((n) => n.runtimeVersion.startsWith('containerd://') && n.ready)).toBe(true);
  });

  it.for(ROTATE.map((point, i) => [point, i] as const))('rotate, killed at %s', async ([point, i]) => {
    const { done } = await killAndResume(point, poolOf('r', i), 'rotate');
    expect(done.approvals?.['remove-old-pool']?.userId).toBe(APPROVER.userId);
    const pools = await h.gateways.cloud.listNodePools('c-demo');
    expect(pools.some((p) => p.id === done.poolId)).toBe(false);
    const fresh = pools.filter((p) => p.name === `${done.poolName}-containerd`);
    expect(fresh).toHaveLength(1);
    const nodes = await until('new pool nodes', async () => {
      const list = await h.gateways.cluster.listPoolNodes(fresh[0]!.id);
      return list.length === RUNS.rotate.nodes ? list : undefined;
    });
    expect(nodes.every((n) => n.runtimeVersion.startsWith('containerd://'))).toBe(true);
  });
});
