/**
 * Stop the line: a node that never comes back Ready pauses the migration naming the node and the reason, with
 * Retry / Skip node / Abort; nothing further is touched; `retry` after the fault is cleared completes it.
 * A typed pause takes effect at the next boundary and resume continues.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, testPrefix } from '../../support/redis.js';
import { APPROVER, type Lane, REQUESTER, scenarioYaml, until, WorkerHarness } from '../../support/worker-harness.js';

describe('stop the line', () => {
  let h: WorkerHarness;
  let lane: Lane;
  beforeAll(async () => {
    h = await WorkerHarness.start({
      prefix: testPrefix('stop-line'),
      redisUrl: redisUrl(),
      scenario: scenarioYaml({
        poolA: 4,
        poolB: 2,
        pools: [
          { name: 'pool-s', nodes: 2 },
          { name: 'pool-k', nodes: 2 },
        ],
        faults: '[{ node: pool-a-2, step: ready, error: NodeNotReady }]',
      }),
    });
    lane = await h.lane();
    await lane.worker();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('pauses naming the node that never became Ready, touches nothing else, and completes on retry', async () => {
    const { migration } = await lane.client.service.start({
      pool: 'pool-a',
      mode: 'in-place',
      snapshot: false,
      soakSeconds: 0,
      maxParallel: 2,
      origin: REQUESTER,
    });
    const id = migration.migrationId;
    const stopApproving = lane.autoApprove(id);
    const paused = await lane.untilState(id, ['paused', 'completed'], 60_000);
    expect(paused.state).toBe('paused');
    expect(paused.failure?.node).toBe('pool-a-2');
    expect(paused.reason).toMatch(/pool-a-2.*(Ready|NodeNotReady)/);
    expect(paused.pending).toMatchObject({ kind: 'failure', node: 'pool-a-2' });
    // The event is published right after the record is written and reaches the subscriber a moment later.
    const failed = await until('migration.failed event', () =>
      lane.eventsOf(id).find((e) => e.type === 'migration.failed'),
    );
    expect(failed).toMatchObject({ node: 'pool-a-2', approval: { nonce: paused.pending!.nonce } });

    // Nothing further is touched. Once the job has parked (no worker holds it; only an answer wakes it) the
    // record is as it was written when it paused, later batches have not started and their nodes still run Docker.
    await until('the job parked', async () =>
      (await lane.client.jobs.migrations.getJobState(id)) === 'delayed' ? true : undefined,
    );
    const parked = await lane.record(id);
    expect(parked).toMatchObject({ state: 'paused', version: paused.version });
    const failedBatch = paused.failure!.batch;
    expect(parked.batches.filter((x) => x.index > failedBatch)).not.toEqual([]);
    for (const b of parked.batches.filter((x) => x.index > failedBatch)) {
      expect(b.startedAt).toBeUndefined();
      for (const n of b.nodes) expect((await h.gateways.cluster.getNode(n))?.runtimeVersion).toMatch(/^docker/);
    }

    // Skip is only for the failed node; then clear the fault and retry the batch.
    const wrongSkip = await lane.client.service.decide({
      migrationId: id,
      decision: 'skip-node',
      nonce: paused.pending!.nonce,
      node: 'pool-a-1',
      actor: APPROVER,
    });
    expect(wrongSkip).toMatchObject({ ok: false, code: 'CONFLICT' });
    await h.setFaults({ clear: true });
    // A typed resume answers the failure question like Retry: in production the requester may not retry their
    // own failed batch (self-approval is off), whatever word they use.
    const selfResume = await lane.client.service.controlByPool({
      pool: 'pool-a',
      decision: 'resume',
      actor: REQUESTER,
    });
    expect(selfResume).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect((await lane.record(id)).state).toBe('paused');
    const retry = await lane.client.service.decide({
      migrationId: id,
      decision: 'retry',
      nonce: paused.pending!.nonce,
      batch: failedBatch,
      actor: APPROVER,
    });
    expect(retry).toMatchObject({ ok: true });
    const done = await lane.untilState(id, ['completed', 'paused'], 60_000);
    stopApproving();
    expect(done.reason).toBeUndefined();
    expect(done.state).toBe('completed');
    const nodes = await h.gateways.cluster.listPoolNodes('np-a');
    expect(nodes.every((n) => n.ready && n.runtimeVersion.startsWith('containerd://'))).toBe(true);
  });

  it('a typed pause takes effect at the next boundary; resume continues to the end', async () => {
    const { migration } = await lane.client.service.start({
      pool: 'pool-b',
      mode: 'in-place',
      snapshot: false,
      soakSeconds: 0,
      maxParallel: 1,
      origin: REQUESTER,
    });
    const id = migration.migrationId;
    await until('batch 1 running', async () => ((await lane.record(id)).batches[0]?.startedAt ? true : undefined));
    const pause = await lane.client.service.controlByPool({ pool: 'pool-b', decision: 'pause', actor: REQUESTER });
    expect(pause).toMatchObject({ ok: true });
    const paused = await lane.untilState(id, ['paused', 'completed'], 30_000);
    expect(paused.state).toBe('paused');
    expect(paused.reason).toBe('paused by U0REQUESTER (slack)');
    // the batch that was running finished; the next one did not start
    expect(paused.batches[0]!.state).toBe('done');
    expect(paused.batches[1]!.startedAt).toBeUndefined();
    const resume = await lane.client.service.controlByPool({ pool: 'pool-b', decision: 'resume', actor: REQUESTER });
    expect(resume).toMatchObject({ ok: true });
    const done = await lane.untilState(id, ['completed'], 30_000);
    expect(done.batches.every((b) => b.state === 'done')).toBe(true);
  });

  it('a node whose snapshot runs out fails untouched; Skip node continues without it', async () => {
    await h.setFaults({ faults: [{ node: 'pool-s-1', step: 'snapshot', error: 'SnapshotTimeout' }] });
    const { migration } = await lane.client.service.start({
      pool: 'pool-s',
      mode: 'in-place',
      snapshot: true,
      soakSeconds: 0,
      maxParallel: 1,
      origin: REQUESTER,
    });
    const id = migration.migrationId;
    const stopApproving = lane.autoApprove(id);
    const paused = await lane.untilState(id, ['paused', 'completed'], 60_000);
    expect(paused.failure?.node).toBe('pool-s-1');
    expect(paused.reason).toMatch(/snapshot of pool-s-1's system disk .*the node was not touched/);
    const instance = paused.before['pool-s-1']!.instanceId;
    expect((await h.stats()).instances[instance]?.ReplaceSystemDisk).toBeUndefined();
    expect((await h.gateways.cluster.getNode('pool-s-1'))?.runtimeVersion).toMatch(/^docker/);

    const skip = await lane.client.service.decide({
      migrationId: id,
      decision: 'skip-node',
      nonce: paused.pending!.nonce,
      node: 'pool-s-1',
      actor: APPROVER,
    });
    expect(skip).toMatchObject({ ok: true, message: expect.stringContaining('pool-s-1 skipped by U0APPROVER') });
    const done = await lane.untilState(id, ['completed', 'paused'], 60_000);
    stopApproving();
    expect(done.state).toBe('completed');
    const result = done.results.flatMap((r) => r.nodes);
    expect(result.find((n) => n.node === 'pool-s-1')?.outcome).toBe('skipped');
    expect(result.find((n) => n.node === 'pool-s-2')?.outcome).toBe('done');
    expect((await h.gateways.cluster.getNode('pool-s-1'))?.runtimeVersion).toMatch(/^docker/);
    expect((await h.gateways.cluster.getNode('pool-s-2'))?.runtimeVersion).toMatch(/^containerd/);
  });

  it('a task that failed while its worker was down stops the line on resume; it is not run again unasked', async () => {
    await h.setFaults({ faults: [{ node: 'pool-k-1', step: 'ready', error: 'NodeNotReady' }] });
    const killLane = await h.lane(`${h.options.prefix}-kill`);
    const killer = await killLane.spawnWorker({ ACK_MIGRATE_TEST_KILL_AT: 'execute:while-following' });
    const killed = new Promise<string>((ok) => killer.once('exit', (_code, signal) => ok(String(signal))));
    const { migration } = await killLane.client.service.start({
      pool: 'pool-k',
      mode: 'in-place',
      snapshot: false,
      soakSeconds: 0,
      maxParallel: 2,
      origin: REQUESTER,
    });
    const id = migration.migrationId;
    const stopApproving = killLane.autoApprove(id);
    expect(await killed).toBe('SIGKILL');
    const taskId = (await killLane.record(id)).batches[0]?.taskId;
    expect(taskId).toBeDefined();
    // The task fails (pool-k-1 never becomes Ready) while no worker follows it.
    await until(
      'task failed',
      async () => ((await h.gateways.cloud.describeTask(taskId!)).state === 'failed' ? true : undefined),
      30_000,
    );
    await killLane.worker();
    const paused = await killLane.untilState(id, ['paused', 'completed'], 60_000);
    stopApproving();
    expect(paused.state).toBe('paused');
    expect(paused.failure?.node).toBe('pool-k-1');
    expect(paused.reason).toMatch(/pool-k-1.*(Ready|NodeNotReady)/);
    const stats = await h.stats();
    expect(stats.instances[paused.before['pool-k-1']!.instanceId]?.ReplaceSystemDisk).toBe(1);
    expect(paused.batches[0]?.taskId).toBe(taskId);
  });
});
