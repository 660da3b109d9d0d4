/**
 * A migration whose BullMQ job fails for good (here: its worker is SIGKILLed mid-batch and the job stalls more
 * than maxStalledCount allows) does not hang `running`: it stops the line (paused, the reason, a question
 * open, the thread told). Resume by an approver brings a job back and completes it without repeating a system
 * disk replacement; abort ends it and frees the pool for a new migration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, testPrefix } from '../../support/redis.js';
import { APPROVER, type Lane, REQUESTER, scenarioYaml, until, WorkerHarness } from '../../support/worker-harness.js';

describe('a migration whose job fails', { timeout: 120_000 }, () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await WorkerHarness.start({
      prefix: testPrefix('job-failure'),
      redisUrl: redisUrl(),
      scenario: scenarioYaml({
        poolA: 2,
        poolB: 2,
        pools: [
          { name: 'pool-f', nodes: 2 },
          { name: 'pool-g', nodes: 2 },
        ],
      }),
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Starts a migration of `pool` on its own lane, kills its worker mid-batch, and lets its job fail for good. */
  async function failedMidBatch(pool: string): Promise<{ lane: Lane; id: string; stopApproving: () => void }> {
    const lane = await h.lane(`${h.options.prefix}-${pool}`);
    const killer = await lane.spawnWorker({ ACK_MIGRATE_TEST_KILL_AT: 'execute:after-create-task' });
    const killed = new Promise<string>((ok) => killer.once('exit', (_code, signal) => ok(String(signal))));
    const { migration } = await lane.client.service.start({
      pool,
      mode: 'in-place',
      snapshot: false,
      soakSeconds: 0,
      maxParallel: 1,
      origin: REQUESTER,
    });
    const id = migration.migrationId;
    const stopApproving = lane.autoApprove(id);
    expect(await killed).toBe('SIGKILL');
    expect((await lane.record(id)).state).toBe('running');
    // A worker that allows no stall: the killed job fails for good the next time it is picked up.
    await lane.worker({ maxStalledCount: 0 });
    await until('job failed', async () =>
      (await lane.client.jobs.migrations.getJobState(id)) === 'failed' ? true : undefined,
    );
    return { lane, id, stopApproving };
  }

  it('stops the line instead of staying running, and completes on resume without repeating a disk replacement', async () => {
    const { lane, id, stopApproving } = await failedMidBatch('pool-f');
    const paused = await lane.untilState(id, ['paused', 'completed', 'aborted']);
    expect(paused.state).toBe('paused');
    expect(paused.reason).toBe('the migration job failed: job stalled more than allowable limit');
    expect(paused.pending).toMatchObject({ kind: 'failure' });
    const failed = await until('migration.failed event', () =>
      lane.eventsOf(id).find((e) => e.type === 'migration.failed'),
    );
    expect(failed).toMatchObject({ reason: paused.reason, approval: { nonce: paused.pending!.nonce } });
    expect((await lane.client.service.status('pool-f'))[0]).toMatchObject({ migrationId: id, state: 'paused' });

    const resume = await lane.client.service.controlByPool({ pool: 'pool-f', decision: 'resume', actor: APPROVER });
    expect(resume).toMatchObject({ ok: true });
    const done = await lane.untilState(id, ['completed', 'aborted', 'paused'], 60_000);
    stopApproving();
    expect(`${done.state} ${done.reason ?? ''}`.trim()).toBe('completed');
    const stats = await h.stats();
    for (const n of Object.values(done.before)) expect(stats.instances[n.instanceId]?.ReplaceSystemDisk).toBe(1);
    const nodes = await h.gateways.cluster.listPoolNodes(done.poolId!);
    expect(nodes.every((n) => n.ready && n.runtimeVersion.startsWith('containerd://'))).toBe(true);
    await until('job completed', async () =>
      (await lane.client.jobs.migrations.getJobState(id)) === 'completed' ? true : undefined,
    );
  });

  it('abort ends it and frees the pool: the next start is a new migration', async () => {
    const { lane, id, stopApproving } = await failedMidBatch('pool-g');
    stopApproving();
    const paused = await lane.untilState(id, ['paused', 'completed', 'aborted']);
    expect(paused.state).toBe('paused');
    const abort = await lane.client.service.controlByPool({ pool: 'pool-g', decision: 'abort', actor: REQUESTER });
    expect(abort).toMatchObject({ ok: true });
    expect((await lane.record(id)).state).toBe('aborted');
    await until('lease released', async () =>
      (await lane.client.stores.lease(async () => true).holder('c-demo', paused.poolId!)) === undefined
        ? true
        : undefined,
    );
    await until('job ended', async () =>
      (await lane.client.jobs.migrations.getJobState(id)) === 'completed' ? true : undefined,
    );
    // The woken worker read every node and told the thread: what ACK migrated counts, the rest is classified.
    const ended = await lane.record(id);
    const report = ended.nodeReport!;
    expect(report.nodes.map((n) => n.node).sort()).toEqual(Object.keys(ended.before).sort());
    const containerd = (await h.gateways.cluster.listPoolNodes(ended.poolId!)).filter(
      (n) => n.ready && !n.unschedulable && n.runtimeVersion.startsWith('containerd://'),
    );
    expect(report.migrated).toBe(containerd.length);
    const finished = await until('migration.finished', () =>
      lane.eventsOf(id).find((e) => e.type === 'migration.finished'),
    );
    expect(finished).toMatchObject({ migration: { state: 'aborted', nodesDone: containerd.length } });
    const again = await lane.client.service.start({
      pool: 'pool-g',
      mode: 'in-place',
      snapshot: false,
      soakSeconds: 0,
      maxParallel: 1,
      origin: REQUESTER,
    });
    expect(again.created).toBe(true);
    expect(again.migration.migrationId).not.toBe(id);
    const next = await lane.untilState(again.migration.migrationId, ['awaiting-approval', 'paused', 'aborted']);
    expect(next.state).toBe('awaiting-approval');
  });
});
