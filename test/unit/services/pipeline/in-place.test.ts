/**
 * An in-place migration at unit speed (mirrors test/integration/worker/in-place.test.ts): batches 1, 2, 2, …, one
 * ACK upgrade per batch naming exactly its nodes, every node back on containerd with a new system disk and the same
 * IP and MAC, the events a thread shows in order; snapshots before a batch, a soak between batches and a closed
 * maintenance window park the migration on the clock.
 */
import { describe, expect, it } from 'vitest';
import { batchSizes } from '../../../../src/domain/batch-schedule.js';
import type { UpgradeRequest } from '../../../../src/ports/cloud-gateway.js';
import { demoWorld, harnessConfig, MigrationHarness, REQUESTER } from '../../../support/fakes/migration-harness.js';

const upgrades = (h: MigrationHarness) =>
  h.world.calls.filter((c) => c.method === 'upgradeNodePool').map((c) => c.args[2] as UpgradeRequest);

describe('in-place migration of a staging pool', () => {
  it('runs to completed in batches 1, 2, 2, 1: one upgrade per batch, every node on containerd', async () => {
    const h = new MigrationHarness({ world: demoWorld({ poolB: 6 }) });
    const before = await h.cloud.describeInstances(h.world.poolNodes('np-b').map((n) => n.instanceId));
    const id = await h.start('pool-b', { maxParallel: 2 });
    expect((await h.record(id)).state).toBe('pending');
    const done = await h.settle(id);

    expect(done).toMatchObject({ state: 'completed', production: false, poolId: 'np-b' });
    expect(done.reason).toBeUndefined();
    expect(done.batches.map((b) => b.nodes.length)).toEqual(batchSizes(6, 2));
    expect(done.batches.every((b) => b.state === 'done' && b.taskId)).toBe(true);
    expect(upgrades(h)).toEqual(
      done.batches.map((b) => ({
        nodeNames: b.nodes,
        runtimeType: 'containerd',
        // DescribeKubernetesVersionMetadata's containerd for the cluster's version, with that version.
        runtimeVersion: '1.6.28',
        kubernetesVersion: h.world.cluster.version,
        useReplace: true,
        maxParallelism: b.nodes.length,
      })),
    );
    for (const n of await h.cluster.listPoolNodes('np-b')) {
      expect(n).toMatchObject({ ready: true, unschedulable: false, runtimeVersion: 'containerd://1.6.28' });
    }
    const after = await h.cloud.describeInstances(before.map((i) => i.instanceId));
    for (const i of after) {
      const old = before.find((x) => x.instanceId === i.instanceId)!;
      expect(i).toMatchObject({ privateIp: old.privateIp, mac: old.mac });
      expect(i.systemDiskId).not.toBe(old.systemDiskId);
      expect(h.replacements(i.instanceId)).toBe(1);
    }
    // The other pool was never touched.
    expect(h.world.poolNodes('np-a').every((n) => n.runtime === 'docker')).toBe(true);
    expect(done.results.flatMap((r) => r.nodes).every((n) => n.outcome === 'done')).toBe(true);
    expect(await h.stores.lease.holder('c-demo', 'np-b')).toBeUndefined();
    expect(h.jobs.state(id)).toBe('completed');
  });

  it('tells the thread each step in order and audits the start', async () => {
    const h = new MigrationHarness();
    const id = await h.start('pool-b', { maxParallel: 2 });
    const done = await h.settle(id);
    const events = h.events(id);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('migration.state');
    expect(types.at(-1)).toBe('migration.finished');
    const started = types.indexOf('migration.started');
    for (const b of done.batches) {
      const begin = events.findIndex((e) => e.type === 'batch.started' && e.batch.index === b.index);
      const end = events.findIndex((e) => e.type === 'batch.finished' && e.result.index === b.index);
      expect(begin).toBeGreaterThan(started);
      expect(end).toBeGreaterThan(begin);
    }
    const steps = events.flatMap((e) => (e.type === 'node.step' ? [`${e.entry.node}:${e.entry.step}`] : []));
    for (const n of Object.keys(done.before)) expect(steps).toContain(`${n}:ready`);
    const [start] = await h.service.history('pool-b');
    expect(start).toMatchObject({ action: 'start', userId: REQUESTER.userId, outcome: 'ok', migrationId: id });
  });

  it('answers a second start for the same pool with the migration already running', async () => {
    const h = new MigrationHarness();
    const id = await h.start('pool-b');
    const again = await h.service.start({
      pool: 'pool-b',
      mode: 'in-place',
      snapshot: false,
      soakSeconds: 0,
      origin: REQUESTER,
    });
    expect(again).toMatchObject({ created: false, migration: { migrationId: id } });
    expect((await h.settle(id)).state).toBe('completed');
    expect(h.jobs.jobs.size).toBe(1);
  });

  it('snapshots each system disk before its batch is upgraded', async () => {
    const h = new MigrationHarness();
    const id = await h.start('pool-b', { maxParallel: 2, snapshot: true });
    const done = await h.settle(id);
    expect(done.state).toBe('completed');
    const calls = h.world.calls;
    const upgradeAt = calls.flatMap((c, i) => (c.method === 'upgradeNodePool' ? [i] : []));
    for (const [k, b] of done.batches.entries()) {
      for (const node of b.nodes) {
        const disk = done.before[node]!.systemDiskId;
        const snaps = calls.flatMap((c, i) => (c.method === 'createSnapshot' && c.args[0] === disk ? [i] : []));
        expect(snaps).toHaveLength(1);
        expect(snaps[0]).toBeLessThan(upgradeAt[k]!);
        if (k > 0) expect(snaps[0]).toBeGreaterThan(upgradeAt[k - 1]!);
        expect(b.nodeStates[node]?.snapshotId).toMatch(/^s-/);
      }
    }
  });

  it('soaks between batches: the next batch waits on the clock, not on a worker', async () => {
    const h = new MigrationHarness();
    const id = await h.start('pool-b', { maxParallel: 2, soakSeconds: 600 });
    const soaking = await h.settle(id);
    expect(soaking).toMatchObject({ state: 'soaking', cursor: { step: 'soak', batch: 1 } });
    expect(Date.parse(soaking.parkedUntil!) - Date.parse(soaking.batches[0]!.verifiedAt!)).toBe(600_000);
    expect(h.jobs.state(id)).toBe('delayed');
    expect(upgrades(h)).toHaveLength(1);
    h.clock.advance(Date.parse(soaking.parkedUntil!) - h.clock.now().getTime() - 1000);
    expect((await h.settle(id)).state).toBe('soaking');
    h.clock.advance(1000);
    const done = await h.settle(id);
    expect(done.state).toBe('completed');
    expect(upgrades(h)).toHaveLength(2);
  });

  it('outside the maintenance window a batch waits and says until when', async () => {
    const config = harnessConfig({ maintenanceWindows: [{ start: '02:00', end: '04:00', timeZone: 'UTC' }] });
    const h = new MigrationHarness({ config });
    const id = await h.start('pool-b', { maxParallel: 2 });
    const waiting = await h.settle(id);
    expect(waiting.state).toBe('waiting-window');
    expect(waiting.reason).toMatch(/batch 1 waits until \w{3} 02:00 UTC/);
    expect(waiting.parkedUntil).toBe('2026-03-03T02:00:00.000Z');
    expect(h.jobs.state(id)).toBe('delayed');
    expect(upgrades(h)).toEqual([]);
    const done = await h.runToEnd(id);
    expect(done.state).toBe('completed');
    for (const b of done.batches) expect(new Date(b.startedAt!).getUTCHours()).toBeGreaterThanOrEqual(2);
  });
});
