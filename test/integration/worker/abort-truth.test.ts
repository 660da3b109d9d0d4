/**
 * An abort while an in-place batch's ACK task runs cancels that task (CancelTask), waits for it to settle, then
 * ends the migration `aborted` with a node report read from the cluster: every node migrated, untouched or
 * left mid-way, and the migrated count is what the Kubernetes API shows. A task whose creation reply was lost
 * (the worker died before recording its id) is counted too: the node ACK migrated is not "failed".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFinalSummary } from '../../../src/chat/core/messages/final.js';
import { applyEvent, isMigrationEvent, type MigrationView } from '../../../src/chat/core/migration-view.js';
import { isContainerd } from '../../../src/domain/migration/verification.js';
import { redisUrl, testPrefix } from '../../support/redis.js';
import { type Lane, REQUESTER, scenarioYaml, until, WorkerHarness } from '../../support/worker-harness.js';

describe('abort during an in-place batch', { timeout: 120_000 }, () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await WorkerHarness.start({
      prefix: testPrefix('abort-truth'),
      redisUrl: redisUrl(),
      // A slower init (ACK's node initialisation) keeps each node's upgrade running long enough to abort it.
      scenario: scenarioYaml({
        poolA: 2,
        poolB: 2,
        pools: [
          { name: 'pool-c', nodes: 3 },
          { name: 'pool-l', nodes: 2 },
        ],
      }).replace('init: 240', 'init: 1200'),
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Containerd nodes of a pool as the Kubernetes API lists them (client-node against the sandbox). */
  async function containerdNodes(poolId: string): Promise<string[]> {
    const nodes = await h.gateways.cluster.listPoolNodes(poolId);
    return nodes.filter((n) => n.ready && !n.unschedulable && isContainerd(n.runtimeVersion)).map((n) => n.name);
  }

  function finalView(lane: Lane, id: string): MigrationView | undefined {
    let view: MigrationView | undefined;
    for (const e of lane.eventsOf(id)) if (isMigrationEvent(e)) view = applyEvent(view, e);
    return view;
  }

  async function start(lane: Lane, pool: string, maxParallel: number): Promise<string> {
    const { migration } = await lane.client.service.start({
      pool,
      mode: 'in-place',
      snapshot: false,
      soakSeconds: 0,
      maxParallel,
      origin: REQUESTER,
    });
    return migration.migrationId;
  }

  it('cancels the running ACK task, ends aborted, and reports every node as the cluster has it', async () => {
    const lane = await h.lane();
    await lane.worker();
    const id = await start(lane, 'pool-c', 2);
    const stopApproving = lane.autoApprove(id);
    const taskId = await until(
      'batch 1 task running',
      async () => {
        const t = (await lane.record(id)).batches[0]?.taskId;
        return t && (await h.gateways.cloud.describeTask(t)).state === 'running' ? t : undefined;
      },
      30_000,
    );
    const cancelsBefore = (await h.stats()).actions.CancelTask ?? 0;
    const abort = await lane.client.service.controlByPool({ pool: 'pool-c', decision: 'abort', actor: REQUESTER });
    expect(abort).toMatchObject({ ok: true });
    const aborted = await lane.untilState(id, ['aborted', 'completed'], 60_000);
    stopApproving();
    expect(aborted.state).toBe('aborted');

    // CancelTask was called for that task, and the task had settled before the migration ended.
    expect((await h.stats()).actions.CancelTask).toBe(cancelsBefore + 1);
    const task = h.sandbox.cloud.state.tasks.get(taskId)!;
    expect(task.events.map((e) => e.reason)).toContain('TaskCancelRequested');
    // Read right after the record turned aborted: a node's upgrade takes seconds here, so it settled first.
    expect(task.finished).toBe(true);

    // The record's count is the Kubernetes API's; every other node is classified.
    const migrated = await containerdNodes(aborted.poolId!);
    const report = aborted.nodeReport!;
    expect(report).toBeDefined();
    expect(report.migrated).toBe(migrated.length);
    expect(report.nodes.filter((n) => n.condition === 'migrated').map((n) => n.node)).toEqual(migrated.sort());
    expect(report.nodes.map((n) => n.node).sort()).toEqual(Object.keys(aborted.before).sort());
    const batch1 = aborted.batches[0]!.nodes;
    for (const n of report.nodes.filter((x) => !batch1.includes(x.node))) expect(n.condition).toBe('untouched');
    expect(report.migrated + report.untouched + report.midWay).toBe(3);
    expect((await lane.client.service.status('pool-c'))[0]).toMatchObject({ nodesDone: migrated.length });

    // The final summary and `status --json` say the same.
    const finished = await until('migration.finished', () =>
      lane.eventsOf(id).find((e) => e.type === 'migration.finished'),
    );
    expect(finished).toMatchObject({ nodeReport: { migrated: migrated.length } });
    const summary = buildFinalSummary(finalView(lane, id)!);
    expect(summary.fields).toContainEqual({ label: 'Nodes migrated', value: `${migrated.length}/3` });
    expect((summary.body ?? []).join('\n')).toMatch(/Untouched/);
    const status = await lane.cli(['status', 'pool-c', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).nodeReport).toMatchObject({ migrated: migrated.length });
  });

  it('counts the node ACK migrated when the task id was never recorded (reply lost), then aborted', async () => {
    const lane = await h.lane(`${h.options.prefix}-lost`);
    const killer = await lane.spawnWorker({ ACK_MIGRATE_TEST_KILL_AT: 'execute:after-create-task' });
    const killed = new Promise<string>((ok) => killer.once('exit', (_code, signal) => ok(String(signal))));
    const id = await start(lane, 'pool-l', 1);
    const stopApproving = lane.autoApprove(id);
    expect(await killed).toBe('SIGKILL');
    const crashed = await lane.record(id);
    expect(crashed.batches[0]?.taskId).toBeUndefined();
    const node = crashed.batches[0]!.nodes[0]!;
    // ACK goes on without us and migrates the node.
    await until(
      `${node} migrated by ACK`,
      async () => ((await containerdNodes(crashed.poolId!)).includes(node) ? true : undefined),
      30_000,
    );
    const abort = await lane.client.service.controlByPool({ pool: 'pool-l', decision: 'abort', actor: REQUESTER });
    expect(abort).toMatchObject({ ok: true });
    await lane.worker();
    const aborted = await lane.untilState(id, ['aborted', 'completed'], 60_000);
    stopApproving();
    expect(aborted.state).toBe('aborted');
    expect(aborted.nodeReport).toMatchObject({ migrated: 1, untouched: 1, midWay: 0 });
    expect(aborted.nodeReport!.nodes.find((n) => n.node === node)?.condition).toBe('migrated');
    expect(aborted.batches[0]!.state).toBe('done');
    expect((await lane.client.service.status('pool-l'))[0]).toMatchObject({ state: 'aborted', nodesDone: 1 });

    await until('migration.finished', () => lane.eventsOf(id).find((e) => e.type === 'migration.finished'));
    const summary = buildFinalSummary(finalView(lane, id)!);
    expect(summary.text).toMatch(/aborted: 1\/2 nodes on containerd/);
    expect(summary.fields).toContainEqual({ label: 'Nodes migrated', value: '1/2' });
    const text = [
      summary.text,
      ...(summary.body ?? []),
      ...(summary.timeline ?? []).map((r) => `${r.node} ${r.step}`),
    ].join('\n');
    expect(text).not.toMatch(/fail/i);
  });
});
