/**
 * SIGTERM: `ack-migrate worker` hands its running migration back (the job returns to the queue, no attempt
 * used, nothing failed) and exits; another worker continues from the recorded step without repeating it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, testPrefix } from '../../support/redis.js';
import { type Lane, REQUESTER, scenarioYaml, until, WorkerHarness } from '../../support/worker-harness.js';

describe('graceful shutdown', { timeout: 90_000 }, () => {
  let h: WorkerHarness;
  let lane: Lane;
  beforeAll(async () => {
    h = await WorkerHarness.start({
      prefix: testPrefix('shutdown'),
      redisUrl: redisUrl(),
      scenario: scenarioYaml({ poolA: 1, poolB: 4 }),
      timeScale: 0.01,
    });
    lane = await h.lane();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('hands the running job back on SIGTERM and a fresh worker finishes it', async () => {
    const child = await lane.spawnWorker();
    const exited = new Promise<{ code: number | null; signal: string | null }>((ok) =>
      child.once('exit', (code, signal) => ok({ code, signal })),
    );
    const { migration } = await lane.client.service.start({
      pool: 'pool-b',
      mode: 'in-place',
      snapshot: false,
      soakSeconds: 0,
      maxParallel: 2,
      origin: REQUESTER,
    });
    const id = migration.migrationId;
    // wait until the first batch's ACK task runs, then stop the worker
    const running = await until(
      'batch 1 task',
      async () => {
        const r = await lane.record(id);
        return r.batches[0]?.taskId ? r : undefined;
      },
      40_000,
    );
    child.kill('SIGTERM');
    const exit = await exited;
    expect(exit).toEqual({ code: 0, signal: null });
    const job = await lane.client.jobs.migrations.getJob(id);
    expect(await job!.getState()).toBe('waiting');
    expect(job!.attemptsMade).toBe(0);
    const handedBack = await lane.record(id);
    expect(handedBack.state).toBe('running');
    expect(handedBack.batches[0]!.taskId).toBe(running.batches[0]!.taskId);

    await lane.worker();
    const done = await lane.untilState(id, ['completed', 'paused'], 60_000);
    expect(done.state).toBe('completed');
    const stats = await h.stats();
    for (const n of Object.values(done.before)) expect(stats.instances[n.instanceId]?.ReplaceSystemDisk).toBe(1);
    expect(stats.actions.UpgradeClusterNodepool).toBe(done.batches.length);
  });
});
