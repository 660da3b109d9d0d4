import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchSizes } from '../../../src/domain/batch-schedule.js';
import { redisUrl, testPrefix } from '../../support/redis.js';
import { type Lane, REQUESTER, until, WorkerHarness } from '../../support/worker-harness.js';

describe('in-place migration against the sandbox', () => {
  let h: WorkerHarness;
  let lane: Lane;
  beforeAll(async () => {
    h = await WorkerHarness.start({ prefix: testPrefix('in-place'), redisUrl: redisUrl() });
    lane = await h.lane();
    await lane.worker();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('migrates pool-a: every node on containerd, IPs and MACs kept, each system disk replaced once', async () => {
    const before = new Map((await h.gateways.cluster.listPoolNodes('np-a')).map((n) => [n.name, n]));
    const instancesBefore = await h.gateways.cloud.describeInstances([...before.values()].map((n) => n.instanceId!));
    const { migration, created } = await lane.client.service.start({
      pool: 'pool-a',
      snapshot: false,
      soakSeconds: 0,
      mode: 'in-place',
      maxParallel: 2,
      origin: REQUESTER,
    });
    expect(created).toBe(true);
    const stop = lane.autoApprove(migration.migrationId);
    const done = await lane.untilState(migration.migrationId, ['completed', 'aborted', 'paused'], 60_000);
    stop();
    expect(done.reason).toBeUndefined();
    expect(done.state).toBe('completed');

    const nodes = await h.gateways.cluster.listPoolNodes('np-a');
    expect(nodes).toHaveLength(6);
    for (const n of nodes) {
      expect(n.runtimeVersion).toMatch(/^containerd:\/\//);
      expect(n.ready && !n.unschedulable).toBe(true);
    }
    const after = await h.gateways.cloud.describeInstances(instancesBefore.map((i) => i.instanceId));
    for (const i of after) {
      const old = instancesBefore.find((x) => x.instanceId === i.instanceId)!;
      expect(i.privateIp).toBe(old.privateIp);
      expect(i.mac).toBe(old.mac);
      expect(i.systemDiskId).not.toBe(old.systemDiskId);
    }
    const stats = await h.stats();
    for (const i of instancesBefore) expect(stats.instances[i.instanceId]?.ReplaceSystemDisk).toBe(1);

    // Batches as the schedule says (1, 2, 2, 1 for 6 nodes at 2), each approved before it started.
    expect(done.batches.map((b) => b.nodes.length)).toEqual(batchSizes(6, 2));
    // The last event is published right after the record says completed: wait for it before reading them all.
    await until('migration.finished event', () =>
      lane.eventsOf(migration.migrationId).find((e) => e.type === 'migration.finished'),
    );
    const events = lane.eventsOf(migration.migrationId);
    for (const b of done.batches) {
      expect(b.approvedBy?.userId).toBe('U0APPROVER');
      const asked = events.findIndex((e) => e.type === 'batch.awaiting-approval' && e.batch.index === b.index);
      const started = events.findIndex((e) => e.type === 'batch.started' && e.batch.index === b.index);
      expect(asked).toBeGreaterThanOrEqual(0);
      expect(started).toBeGreaterThan(asked);
    }
    expect(events.at(-1)?.type).toBe('migration.finished');
    const steps = events.filter((e) => e.type === 'node.step').map((e) => (e.type === 'node.step' ? e.entry.step : ''));
    expect(steps).toContain('ready');
  });
});
