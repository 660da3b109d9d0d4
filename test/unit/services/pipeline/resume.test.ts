/**
 * Resume decisions at unit speed (mirrors test/integration/worker/crash-resume.test.ts without child processes): the
 * worker is "killed" at every step boundary of the pipeline (the kill switch hands the job back there, the cloud
 * moves on meanwhile) and the job runs again from the record. It must complete with each system disk replaced once,
 * one ACK upgrade per batch (a recorded task is followed, an unrecorded one found, never re-created), one snapshot per
 * disk and no batch started without its approval.
 */
import { describe, expect, it } from 'vitest';
import { KILL_POINTS, type KillPoint } from '../../../../src/domain/migration/pipeline.js';
import { HandOff } from '../../../../src/services/pipeline/step-failure.js';
import type { FakeCloudOptions } from '../../../support/fakes/fake-cloud-gateway.js';
import { APPROVER, demoWorld, harnessConfig, MigrationHarness } from '../../../support/fakes/migration-harness.js';

const ROTATE_ONLY = /^(prepare-pool|approve-remove|remove-old-pool):|^execute:after-(cordon|drain-node)$/;
const IN_PLACE_ONLY =
  /^(snapshot|window|soak):|^execute:(after-start-recorded|after-create-task|after-record-task|while-following|after-task-done)$/;
const IN_PLACE = KILL_POINTS.filter((p) => !ROTATE_ONLY.test(p));
/** A staging rotation has no batch approvals; it still asks (and parks) for the old pool's removal. */
const ROTATE = KILL_POINTS.filter((p) => !IN_PLACE_ONLY.test(p) && p !== 'approval:after-approved');

/** A harness whose worker dies the first time it reaches `point`; the world moves `downtime` steps meanwhile. */
function crashingAt(point: KillPoint, options: { downtime?: number; cloud?: FakeCloudOptions; poolA?: number } = {}) {
  let crashed = false;
  // Windows always open, so the window step (and its kill point) is on the path.
  const config = harnessConfig({ maintenanceWindows: [{ start: '00:00', end: '00:00', timeZone: 'UTC' }] });
  const h: MigrationHarness = new MigrationHarness({
    config,
    world: demoWorld({
      poolA: options.poolA ?? 3,
      pools: [{ id: 'np-r', name: 'pool-r', nodes: 2, labels: { team: 'web' } }],
    }),
    ...(options.cloud ? { cloud: options.cloud } : {}),
    kill: (p) => {
      if (p !== point || crashed) return;
      crashed = true;
      h.world.tick(options.downtime ?? 3);
      throw new HandOff();
    },
  });
  return { h, crashed: () => crashed };
}

describe('a worker killed at a step boundary resumes without repeating anything', () => {
  it.each(IN_PLACE)('in place, killed at %s', async (point) => {
    const { h, crashed } = crashingAt(point);
    const id = await h.start('pool-a', { maxParallel: 2, snapshot: true, soakSeconds: 1 });
    const done = await h.runToEnd(id);
    expect(crashed(), `killed at ${point}`).toBe(true);
    expect(`${done.state} ${done.reason ?? ''}`.trim()).toBe('completed');
    for (const node of Object.values(done.before)) {
      expect(h.replacements(node.instanceId), node.name).toBe(1);
      expect(h.world.instanceStats(node.instanceId).CreateSnapshot, node.name).toBe(1);
      expect(h.world.nodes.get(node.name)).toMatchObject({ runtime: 'containerd', ready: true, unschedulable: false });
    }
    expect(h.world.callCount('upgradeNodePool')).toBe(done.batches.length);
    for (const b of done.batches) {
      expect(b.approvedBy?.userId).toBe(APPROVER.userId);
      expect(Date.parse(b.approvedBy!.at)).toBeLessThanOrEqual(Date.parse(b.startedAt!));
    }
    expect(await h.stores.lease.holder('c-demo', 'np-a')).toBeUndefined();
    expect(h.jobs.state(id)).toBe('completed');
  });

  it.each(ROTATE)('rotate, killed at %s', async (point) => {
    const { h, crashed } = crashingAt(point);
    const id = await h.start('pool-r', { mode: 'rotate', maxParallel: 1 });
    const done = await h.runToEnd(id);
    expect(crashed(), `killed at ${point}`).toBe(true);
    expect(`${done.state} ${done.reason ?? ''}`.trim()).toBe('completed');
    expect(done.approvals?.['remove-old-pool']?.userId).toBe(APPROVER.userId);
    const pools = await h.cloud.listNodePools('c-demo');
    expect(pools.some((p) => p.id === 'np-r')).toBe(false);
    const fresh = pools.filter((p) => p.name.startsWith('pool-r'));
    expect(fresh.map((p) => p.name)).toEqual(['pool-r-containerd']);
    const nodes = await h.cluster.listPoolNodes(fresh[0]!.id);
    expect(nodes).toHaveLength(2);
    expect(nodes.every((n) => n.ready && n.runtimeVersion.startsWith('containerd://'))).toBe(true);
    expect(h.jobs.state(id)).toBe('completed');
  });
});

describe('resume decisions', () => {
  it('a recorded task is followed, not created again', async () => {
    const { h } = crashingAt('execute:after-record-task', { poolA: 2 });
    const id = await h.start('pool-a', { maxParallel: 1 });
    const done = await h.runToEnd(id);
    expect(done.state).toBe('completed');
    const created = h.world.calls.filter((c) => c.method === 'upgradeNodePool');
    expect(created).toHaveLength(2);
    expect([...h.world.tasks.keys()]).toEqual(done.batches.map((b) => b.taskId));
  });

  it('a task created but not recorded is found on the pool and followed', async () => {
    const { h } = crashingAt('execute:after-create-task', { poolA: 2 });
    const id = await h.start('pool-a', { maxParallel: 1 });
    const done = await h.runToEnd(id);
    expect(done.state).toBe('completed');
    expect(h.world.callCount('findActiveTask')).toBeGreaterThan(0);
    expect(h.world.callCount('upgradeNodePool')).toBe(2);
    expect(done.batches.every((b) => b.taskId && h.world.tasks.has(b.taskId))).toBe(true);
  });

  it('without a way to name that task, the next upgrade waits for the pool to be idle and replaces nothing twice', async () => {
    const { h } = crashingAt('execute:after-create-task', { poolA: 2, cloud: { findsActiveTasks: false } });
    const id = await h.start('pool-a', { maxParallel: 1 });
    const done = await h.runToEnd(id);
    expect(done.state).toBe('completed');
    // Batch 1 asked twice (the second waited for the first, whose nodes it then skipped), batch 2 once.
    expect(h.world.callCount('upgradeNodePool')).toBe(3);
    expect(h.world.tasks.size).toBe(3);
    for (const node of Object.values(done.before)) expect(h.replacements(node.instanceId)).toBe(1);
  });

  it('a task that failed while no worker followed it stops the line on resume; it is not run again unasked', async () => {
    const { h } = crashingAt('execute:while-following', { poolA: 2, downtime: 40 });
    h.world.plantFault('pool-a-1', 'ready', 'NodeNotReady');
    const id = await h.start('pool-a', { maxParallel: 2 });
    const paused = await h.runToEnd(id);
    expect(paused).toMatchObject({ state: 'paused', failure: { node: 'pool-a-1' } });
    expect(paused.reason).toMatch(/pool-a-1.*(Ready|NodeNotReady)/);
    expect(h.world.callCount('upgradeNodePool')).toBe(1);
    expect(paused.batches[0]!.taskId).toBe([...h.world.tasks.keys()][0]);
    expect(h.replacements(paused.before['pool-a-1']!.instanceId)).toBe(1);
  });
});
