/**
 * Crash test (issue acceptance): for every step boundary of the pipeline, a worker child process
 * (`ack-migrate worker`) is SIGKILLed there by the test-only switch ACK_MIGRATE_TEST_KILL_AT, a fresh worker
 * resumes, and the migration completes with each system disk replaced exactly once and no batch run without
 * its approval. Each kill point has its own pool and its own queue prefix, so the killer can only ever pick
 * its own migration; a few run at the same time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFileSchema } from '../../../src/config/config-file.js';
import type { KillPoint } from '../../../src/domain/migration/pipeline.js';
import { stateKeys } from '../../../src/services/state-keys.js';
import { redisUrl, testPrefix } from '../../support/redis.js';
import { APPROVER, REQUESTER, until, WorkerHarness } from '../../support/worker-harness.js';

const IN_PLACE: KillPoint[] = [
  'lease:after',
  'before-state:after',
  'precheck:after',
  'plan:after',
  'approval:after-request',
  'approval:after-park',
  'approval:after-approved',
  'window:after',
  'snapshot:after-create',
  'snapshot:after',
  'execute:after-start-recorded',
  'execute:after-create-task',
  'execute:after-record-task',
  'execute:while-following',
  'execute:after-task-done',
  'verify:after',
  'soak:after',
  'finish:before-release',
];
const ROTATE: KillPoint[] = [
  'prepare-pool:after-create-pool',
  'prepare-pool:after-cordon',
  'execute:after-cordon',
  'execute:after-drain-node',
  'approve-remove:after-approved',
  'remove-old-pool:after-remove-nodes',
  'remove-old-pool:after-delete-pool',
];

const poolOf = (kind: 'i' | 'r', i: number) => `crash-${kind}${String(i).padStart(2, '0')}`;

function scenario(): string {
  const pools = [
    ...IN_PLACE.map((_, i) => ({ name: poolOf('i', i), nodes: 3 })),
    ...ROTATE.map((_, i) => ({ name: poolOf('r', i), nodes: 2 })),
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
    // Every kill point of the pipeline was tried (the list above is the whole pipeline but the rotate-only
    // batch approval, which the in-place list covers).
    expect([...tried].sort()).toEqual([...new Set([...IN_PLACE, ...ROTATE])].sort());
  });

  async function killAndResume(point: KillPoint, pool: string, mode: 'in-place' | 'rotate') {
    const lane = await h.lane(`${h.options.prefix}-${pool}`);
    const killer = await lane.spawnWorker({ ACK_MIGRATE_TEST_KILL_AT: point });
    const killed = new Promise<string>((ok) => killer.once('exit', (_code, signal) => ok(String(signal))));
    const { migration } = await lane.client.service.start({
      pool,
      mode,
      snapshot: mode === 'in-place',
      soakSeconds: mode === 'in-place' ? 1 : 0,
      maxParallel: 2,
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
    tried.add(point);
    await lane.worker();
    const done = await lane.untilState(id, ['completed', 'aborted', 'paused'], 60_000);
    stopApproving();
    expect(`${done.state} ${done.reason ?? ''}`.trim()).toBe('completed');
    // The resumed job ends too: pool lease released, job completed (its deduplication key gone with it).
    await until('lease released', async () =>
      (await lane.client.redis.get(stateKeys(lane.prefix).lease('c-demo', done.poolId!))) === null ? true : undefined,
    );
    await until('job completed', async () =>
      (await lane.client.jobs.migrations.getJobState(id)) === 'completed' ? true : undefined,
    );
    return { lane, done };
  }

  it.each(IN_PLACE.map((point, i) => [point, i] as const))('in place, killed at %s', async (point, i) => {
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

  it.each(ROTATE.map((point, i) => [point, i] as const))('rotate, killed at %s', async (point, i) => {
    const { done } = await killAndResume(point, poolOf('r', i), 'rotate');
    expect(done.approvals?.['remove-old-pool']?.userId).toBe(APPROVER.userId);
    const pools = await h.gateways.cloud.listNodePools('c-demo');
    expect(pools.some((p) => p.id === done.poolId)).toBe(false);
    const fresh = pools.filter((p) => p.name === `${done.poolName}-containerd`);
    expect(fresh).toHaveLength(1);
    const nodes = await until('new pool nodes', async () => {
      const list = await h.gateways.cluster.listPoolNodes(fresh[0]!.id);
      return list.length === 2 ? list : undefined;
    });
    expect(nodes.every((n) => n.runtimeVersion.startsWith('containerd://'))).toBe(true);
  });
});
