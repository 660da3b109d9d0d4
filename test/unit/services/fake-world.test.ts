/**
 * What the fakes do beyond the gateway contracts, for the pipeline tests that rely on it: time moves only when the
 * test ticks, and faults can be planted (a node that never becomes Ready, a step that fails, a throttled call, a
 * snapshot that fails).
 */
import { describe, expect, it } from 'vitest';
import { CONTRACT_WORLD } from '../../contracts/gateways/contract-world.js';
import { FakeCloudGateway } from '../../support/fakes/fake-cloud-gateway.js';
import { FakeClusterGateway } from '../../support/fakes/fake-cluster-gateway.js';
import { DRAIN_GRACE_TICKS, READY_TIMEOUT_TICKS } from '../../support/fakes/fake-tasks.js';
import { FakeWorld } from '../../support/fakes/fake-world.js';

const request = (nodeNames: string[], maxParallelism = 1) => ({
  nodeNames,
  runtimeType: 'containerd' as const,
  runtimeVersion: undefined,
  useReplace: true as const,
  maxParallelism,
});

function fakes() {
  const world = new FakeWorld(structuredClone(CONTRACT_WORLD));
  return { world, cloud: new FakeCloudGateway(world), cluster: new FakeClusterGateway(world) };
}

async function runOut(world: FakeWorld, cloud: FakeCloudGateway, taskId: string) {
  for (let i = 0; i < 200; i++) {
    const t = await cloud.describeTask(taskId);
    if (t.state !== 'running' && t.state !== 'paused') return t;
    world.tick();
  }
  throw new Error(`${taskId} never ended`);
}

describe('the fake world', () => {
  it('moves only when the test ticks: a task stays where it is, however often it is described', async () => {
    const { world, cloud } = fakes();
    const { taskId } = await cloud.upgradeNodePool('c-demo', 'np-b', request(['pool-b-1']));
    for (let i = 0; i < 10; i++) await cloud.describeTask(taskId);
    const instanceId = world.nodes.get('pool-b-1')!.instanceId;
    expect((await cloud.describeTask(taskId)).nodes).toMatchObject([{ instanceId, state: 'pending' }]);
    world.tick();
    expect((await cloud.describeTask(taskId)).state).toBe('running');
    expect((await runOut(world, cloud, taskId)).state).toBe('success');
  });

  it('a node that never becomes Ready fails the task after ACK gives up, and stays NotReady on containerd', async () => {
    const { world, cloud, cluster } = fakes();
    world.plantFault('pool-b-1', 'ready', 'NodeNotReady');
    const { taskId } = await cloud.upgradeNodePool('c-demo', 'np-b', request(['pool-b-1']));
    const started = world.ticks;
    const task = await runOut(world, cloud, taskId);
    expect(world.ticks - started).toBeGreaterThan(READY_TIMEOUT_TICKS);
    expect(task).toMatchObject({
      state: 'failed',
      nodes: [{ instanceId: world.nodes.get('pool-b-1')!.instanceId, state: 'failed' }],
    });
    expect(task.error?.message).toMatch(/pool-b-1 .*did not become Ready.*NodeNotReady/);
    expect(await cluster.getNode('pool-b-1')).toMatchObject({ ready: false, runtimeVersion: 'containerd://1.6.28' });
    // Taken through every step again once the fault is gone: ReplaceSystemDisk twice.
    world.faults = [];
    const again = await cloud.upgradeNodePool('c-demo', 'np-b', request(['pool-b-1']));
    expect((await runOut(world, cloud, again.taskId)).state).toBe('success');
    expect(world.instanceStats(world.nodes.get('pool-b-1')!.instanceId).ReplaceSystemDisk).toBe(2);
  });

  it('does not replace a node that already runs containerd again', async () => {
    const { world, cloud } = fakes();
    const first = await cloud.upgradeNodePool('c-demo', 'np-b', request(['pool-b-1']));
    await runOut(world, cloud, first.taskId);
    const second = await cloud.upgradeNodePool('c-demo', 'np-b', request(['pool-b-1', 'pool-b-2'], 2));
    const task = await runOut(world, cloud, second.taskId);
    expect(task.nodes.map((n) => [n.instanceId, n.state])).toEqual([
      [world.nodes.get('pool-b-1')!.instanceId, 'success'],
      [world.nodes.get('pool-b-2')!.instanceId, 'success'],
    ]);
    expect(world.instanceStats(world.nodes.get('pool-b-1')!.instanceId).ReplaceSystemDisk).toBe(1);
    expect((await cloud.listNodePools('c-demo')).find((p) => p.id === 'np-b')?.runtime).toBe('containerd');
  });

  it("ACK's drain waits on a PDB for a while, then replaces the node anyway", async () => {
    const { world, cloud, cluster } = fakes();
    const guardedNode = (await cluster.snapshotPool('np-a')).pods.find((p) => p.owner.name === 'guarded')!.nodeName!;
    const { taskId } = await cloud.upgradeNodePool('c-demo', 'np-a', request([guardedNode]));
    world.tick(DRAIN_GRACE_TICKS - 1);
    expect((await cloud.describeTask(taskId)).nodes[0]!.step).toBe('drain');
    expect((await runOut(world, cloud, taskId)).state).toBe('success');
    expect(
      (await cluster.workloadStatus([{ kind: 'Deployment', namespace: 'web', name: 'guarded' }]))[0],
    ).toMatchObject({
      desired: 2,
      ready: 2,
    });
  });

  it('a throttled call fails as the real gateway reports it once its retries ran out, then works again', async () => {
    const { world, cloud, cluster } = fakes();
    world.throttle('describeCluster');
    world.throttle('listPoolNodes');
    await expect(cloud.describeCluster('c-demo')).rejects.toMatchObject({
      code: 'CLOUD_API',
      retryable: true,
      details: { action: 'DescribeClusterDetail', code: 'Throttling.User' },
      message: expect.stringContaining('after 5 attempts'),
    });
    expect((await cloud.describeCluster('c-demo')).id).toBe('c-demo');
    await expect(cluster.listPoolNodes('np-a')).rejects.toMatchObject({ code: 'CLUSTER_API', retryable: true });
    expect(await cluster.listPoolNodes('np-a')).toHaveLength(3);
    expect(world.callCount('describeCluster')).toBe(2);
  });

  it('a planted snapshot fault fails the snapshot; a repeated request (same disk and name) is the same snapshot', async () => {
    const { world, cloud } = fakes();
    world.plantFault('pool-a-1', 'snapshot', 'SnapshotTimeout');
    const disk = world.instances.get(world.nodes.get('pool-a-1')!.instanceId)!.systemDiskId;
    const { snapshotId } = await cloud.createSnapshot(disk, 'before');
    expect(await cloud.createSnapshot(disk, 'before')).toEqual({ snapshotId });
    world.tick(5);
    expect(await cloud.describeSnapshots([snapshotId])).toEqual([{ snapshotId, status: 'failed', progress: 100 }]);
  });

  it('the Docker cleanup command reports the bytes it freed, once', async () => {
    const { world, cloud } = fakes();
    const id = world.nodes.get('pool-b-1')!.instanceId;
    const script = 'rm -rf /var/lib/docker';
    const first = await cloud.runCommand([id], script);
    world.tick();
    const [freed] = await cloud.describeInvocationResults(first.invokeId);
    expect(freed?.output).toMatch(/^freed_bytes=[1-9]\d*\n$/);
    const second = await cloud.runCommand([id], script);
    world.tick();
    expect((await cloud.describeInvocationResults(second.invokeId))[0]?.output).toBe('freed_bytes=0\n');
  });
});
