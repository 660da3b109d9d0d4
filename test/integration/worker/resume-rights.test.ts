/**
 * A production `start --yes --wait` from the CLI (the OS user, root, is in approvers.cli) whose job fails for
 * good: the line stops with the record reconciled with the cluster, and the printed hint names who may resume.
 * When every node is already migrated, nothing is left to approve and the requester's own `resume` completes it;
 * with a node left, resuming re-runs a batch, so the requester is refused with the approvers who can.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isContainerd } from '../../../src/domain/migration/verification.js';
import { redisUrl, testPrefix } from '../../support/redis.js';
import { APPROVER, type Lane, scenarioYaml, until, WorkerHarness } from '../../support/worker-harness.js';

describe('resuming a stopped `start --yes` migration', { timeout: 150_000 }, () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await WorkerHarness.start({
      prefix: testPrefix('resume-rights'),
      redisUrl: redisUrl(),
      scenario: scenarioYaml({
        poolA: 2,
        poolB: 2,
        pools: [
          { name: 'pool-y', nodes: 1 },
          { name: 'pool-z', nodes: 2 },
        ],
      }),
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  async function migratedInCluster(poolId: string, node: string): Promise<true | undefined> {
    const n = (await h.gateways.cluster.listPoolNodes(poolId)).find((x) => x.name === node);
    return n?.ready && !n.unschedulable && isContainerd(n.runtimeVersion) ? true : undefined;
  }

  /**
   * `start <pool> --yes --wait` as root; its worker dies right after creating batch 1's ACK task (the task id is
   * never recorded), ACK finishes that batch, then the job fails for good on the next worker.
   */
  async function stoppedAfterBatch1(pool: string) {
    const lane = await h.lane(`${h.options.prefix}-${pool}`);
    const killer = await lane.spawnWorker({ ACK_MIGRATE_TEST_KILL_AT: 'execute:after-create-task' });
    const killed = new Promise<string>((ok) => killer.once('exit', (_code, signal) => ok(String(signal))));
    const waiting = lane.cli(['start', pool, '--yes', '--wait', '--max-parallel', '1']);
    expect(await killed).toBe('SIGKILL');
    const id = (await lane.client.service.status(pool))[0]!.migrationId;
    const crashed = await lane.record(id);
    expect(crashed.options.autoApprove).toBe(true);
    expect(crashed.production).toBe(true);
    const node = crashed.batches[0]!.nodes[0]!;
    await until(`${node} migrated by ACK`, () => migratedInCluster(crashed.poolId!, node), 30_000);
    await lane.worker({ maxStalledCount: 0 });
    const paused = await lane.untilState(id, ['paused', 'completed', 'aborted'], 30_000);
    expect(paused.state).toBe('paused');
    expect(paused.pending).toMatchObject({ kind: 'failure' });
    const follower = await waiting;
    expect(follower.code).toBe(1);
    return { lane, id, paused, follower };
  }

  async function resumeAsRoot(lane: Lane, pool: string) {
    return lane.cli(['resume', pool]);
  }

  it('every node migrated: the record says so, and the requester may resume; it completes', async () => {
    const { lane, id, paused, follower } = await stoppedAfterBatch1('pool-y');
    expect(paused.batches[0]!.state).toBe('done');
    expect((await lane.client.service.status('pool-y'))[0]).toMatchObject({ nodesDone: 1, nodesTotal: 1 });
    expect(follower.stderr).toContain('ack-migrate resume pool-y');
    expect(follower.stderr).toMatch(/every node is already migrated/);
    expect(follower.stderr).not.toMatch(/needs an approver/);

    const resumed = await resumeAsRoot(lane, 'pool-y');
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/by root \(cli\)/);
    const done = await lane.untilState(id, ['completed', 'aborted', 'paused'], 60_000);
    expect(`${done.state} ${done.reason ?? ''}`.trim()).toBe('completed');
    expect(done.nodeReport).toMatchObject({ migrated: 1, untouched: 0, midWay: 0 });
    const stats = await h.stats();
    for (const n of Object.values(done.before)) expect(stats.instances[n.instanceId]?.ReplaceSystemDisk).toBe(1);
  });

  it('a node left to migrate: the requester is refused, naming the approvers who can resume', async () => {
    const { lane, id, paused, follower } = await stoppedAfterBatch1('pool-z');
    // Batch 1's node is migrated and recorded so; batch 2's is still to do.
    expect(paused.batches[0]!.state).toBe('done');
    expect((await lane.client.service.status('pool-z'))[0]).toMatchObject({ nodesDone: 1, nodesTotal: 2 });
    expect(follower.stderr).toMatch(/needs an approver other than root/);
    expect(follower.stderr).toContain('U0APPROVER (slack), U0REQUESTER (slack)');

    const refused = await resumeAsRoot(lane, 'pool-z');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/root started this migration/);
    expect(refused.stderr).toContain('U0APPROVER (slack), U0REQUESTER (slack)');
    expect((await lane.record(id)).state).toBe('paused');

    // One of those named may.
    const resume = await lane.client.service.controlByPool({ pool: 'pool-z', decision: 'resume', actor: APPROVER });
    expect(resume).toMatchObject({ ok: true });
    const done = await lane.untilState(id, ['completed', 'aborted', 'paused'], 60_000);
    expect(`${done.state} ${done.reason ?? ''}`.trim()).toBe('completed');
    expect(done.nodeReport).toMatchObject({ migrated: 2 });
  });
});
