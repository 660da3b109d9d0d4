/**
 * The ECS half of the fake cloud (instances and system disks, snapshots, Cloud Assistant) and ACK's NodePoolUpgrade
 * check, answering as src/sandbox/cloud/ecs-*.ts and cs-cluster.ts do through AlicloudCloudGateway's mapping.
 */
import type { AckCheckItem, InstanceFacts } from '../../../src/domain/cluster/snapshot.js';
import { AppError } from '../../../src/errors.js';
import type { InvocationResult } from '../../../src/ports/cloud-gateway.js';
import { cloudError } from './fake-errors.js';
import { COMMAND_TICKS, type FakeWorld } from './fake-world.js';

/** The script the cleanup sends: the sandbox (and so the fake) reports what it freed. */
const DOCKER_CLEANUP = /\brm\b[^\n]*\/var\/lib\/docker/;

/** ECS leaves out ids it does not know; it does not know Kubernetes node names either. */
export function describeInstances(world: FakeWorld, instanceIds: string[]): InstanceFacts[] {
  return [...new Set(instanceIds)].flatMap((id) => {
    const i = world.instances.get(id);
    if (!i) return [];
    const { instanceId, status, privateIp, mac, systemDiskId } = i;
    return [{ instanceId, nodeName: undefined, status, privateIp, mac, systemDiskId }];
  });
}

/** ACK's NodePoolUpgrade check items, as the sandbox reports them (planted failures among the pool's items). */
export function upgradeCheck(world: FakeWorld, poolId: string): AckCheckItem[] {
  const nodes = world.poolNodes(poolId);
  const names = (pick: (n: (typeof nodes)[number]) => boolean) => nodes.filter(pick).map((n) => n.name);
  const notReady = names((n) => !n.ready);
  const stopped = names((n) => world.instances.get(n.instanceId)?.status !== 'Running');
  const cordoned = names((n) => n.unschedulable);
  const busy = world.activeTask(poolId);
  const minor = Number(/^1\.(\d+)\./.exec(world.cluster.version)?.[1] ?? 0);
  const item = (name: string, passed: boolean, level: 'blocker' | 'warning', message: string, targets: string[]) => ({
    name,
    passed,
    level,
    message: passed ? '' : message,
    ...(targets.length > 0 ? { target: targets.join(', ') } : {}),
  });
  const pool = world.pools.get(poolId)!;
  return [
    item('ContainerdSupported', minor >= 20, 'blocker', 'containerd node pools need Kubernetes 1.20 or later', [
      world.cluster.id,
    ]),
    item('NodePoolStatus', !busy, 'blocker', `task ${busy?.id} (${busy?.type}) is running on the node pool`, [poolId]),
    ...world.checkFailures
      .filter((f) => f.pool === poolId || f.pool === pool.name)
      .map((f) => item(f.name, false, f.level === 'error' ? 'blocker' : 'warning', f.message, [poolId])),
    item('NodeReady', notReady.length === 0, 'blocker', `nodes not Ready: ${notReady.join(', ')}`, notReady),
    item(
      'InstanceRunning',
      stopped.length === 0,
      'blocker',
      `ECS instances not Running: ${stopped.join(', ')}`,
      stopped,
    ),
    item('NodeSchedulable', cordoned.length === 0, 'warning', `nodes cordoned: ${cordoned.join(', ')}`, cordoned),
  ];
}

export function createSnapshot(world: FakeWorld, diskId: string, name: string): { snapshotId: string } {
  const instance = [...world.instances.values()].find((i) => i.systemDiskId === diskId);
  if (!instance)
    throw cloudError('ECS', 'CreateSnapshot', 404, 'InvalidDiskId.NotFound', 'The specified disk does not exist.');
  // The real gateway sends a ClientToken made of disk and name: ECS answers a repeat with the same snapshot.
  const same = [...world.snapshots.values()].find((s) => s.diskId === diskId && s.name === name);
  if (same) return { snapshotId: same.snapshotId };
  const snapshotId = world.id('s-bp', 18);
  const fault = world.faultFor(instance.nodeName, 'snapshot')?.error;
  const snapshot = { snapshotId, diskId, instanceId: instance.instanceId, name, progress: 0, fault };
  world.snapshots.set(snapshotId, { ...snapshot, status: 'progressing' });
  world.count(instance.instanceId, 'CreateSnapshot');
  return { snapshotId };
}

/** Unknown ids are left out, as DescribeSnapshots with SnapshotIds does. */
export function describeSnapshots(world: FakeWorld, snapshotIds: string[]) {
  return [...new Set(snapshotIds)].flatMap((id) => {
    const s = world.snapshots.get(id);
    return s ? [{ snapshotId: s.snapshotId, status: s.status, progress: s.progress }] : [];
  });
}

export function runCommand(world: FakeWorld, instanceIds: string[], script: string): { invokeId: string } {
  if (instanceIds.length === 0 || instanceIds.length > 100)
    throw new AppError('BAD_INPUT', `RunCommand takes 1 to 100 instances, got ${instanceIds.length}`);
  const instances = instanceIds.map((id) => {
    const i = world.instances.get(id);
    if (!i)
      throw cloudError(
        'ECS',
        'RunCommand',
        404,
        'InvalidInstanceId.NotFound',
        'The specified InstanceId does not exist.',
      );
    return i;
  });
  const stopped = instances.find((i) => i.status !== 'Running');
  if (stopped) {
    const why = `The instance ${stopped.instanceId} is not Running (${stopped.status}).`;
    throw cloudError('ECS', 'RunCommand', 403, 'InstanceNotRunning', why);
  }
  const cleanup = DOCKER_CLEANUP.test(script);
  const invokeId = world.id('t-hz', 18);
  const results = instances.map((i) => {
    world.count(i.instanceId, 'RunCommand');
    if (!cleanup) return { instanceId: i.instanceId, output: '', exitCode: 0 };
    const freed = i.dockerBytes;
    i.dockerBytes = 0;
    return { instanceId: i.instanceId, output: `freed_bytes=${freed}\n`, exitCode: 0 };
  });
  world.invocations.set(invokeId, { invokeId, ticksLeft: COMMAND_TICKS, results });
  return { invokeId };
}

export function describeInvocationResults(world: FakeWorld, invokeId: string): InvocationResult[] {
  const inv = world.invocations.get(invokeId);
  if (!inv)
    throw cloudError(
      'ECS',
      'DescribeInvocationResults',
      404,
      'InvalidInvokeId.NotFound',
      'The specified invoke id does not exist.',
    );
  return inv.results.map((r) =>
    inv.ticksLeft > 0
      ? { instanceId: r.instanceId, status: 'running' as const, output: '', exitCode: undefined }
      : {
          instanceId: r.instanceId,
          status: r.exitCode === 0 ? 'success' : 'failed',
          output: r.output,
          exitCode: r.exitCode,
        },
  );
}
