/**
 * The CloudGateway contract (src/ports/cloud-gateway.ts): what every implementation shows, run against the fake
 * (test/unit/services/fake-gateways.test.ts) and against AlicloudCloudGateway over the sandbox
 * (test/integration/gateways/gateway-contract.test.ts). Only what both really do: where they differed, the sandbox
 * (closer to ACK) won and the fake was changed.
 */
import { describe, expect, it } from 'vitest';
import type { CloudGateway, TaskFacts } from '../../../src/ports/cloud-gateway.js';
import { CLUSTER, eventually, type GatewaySubject, type SubjectFactory } from './contract-world.js';

const C = CLUSTER.id;
const upgrade = (nodeNames: string[], maxParallelism = 1) => ({
  nodeNames,
  runtimeType: 'containerd' as const,
  runtimeVersion: undefined,
  useReplace: true as const,
  maxParallelism,
});
/** A task's entry for a node: ACK names the instance (task_result), joined here to the node as the pipeline does. */
async function taskNode(s: { cloud: CloudGateway }, task: TaskFacts, nodeName: string) {
  const node = (await s.cloud.listPoolNodes(C, 'np-b')).find((n) => n.nodeName === nodeName);
  return task.nodes.find((n) => n.nodeName === nodeName || (!!node && n.instanceId === node.instanceId));
}
const cloudFailure = (code: string, status: number) => ({
  code: 'CLOUD_API',
  retryable: false,
  details: expect.objectContaining({ code, status }),
});

async function withSubject(factory: SubjectFactory, body: (s: GatewaySubject) => Promise<void>): Promise<void> {
  const s = await factory();
  try {
    await body(s);
  } finally {
    await s.close();
  }
}

async function ended(s: GatewaySubject, taskId: string) {
  return eventually(s, `task ${taskId} ended`, async () => {
    const t = await s.cloud.describeTask(taskId);
    return t.state === 'running' || t.state === 'paused' ? undefined : t;
  });
}

export function cloudGatewayContract(name: string, factory: SubjectFactory): void {
  describe(`CloudGateway contract: ${name}`, () => {
    const test = (title: string, body: (s: GatewaySubject) => Promise<void>) =>
      it(title, () => withSubject(factory, body));

    test('describes the cluster and its pools; ACK, ECS and Kubernetes agree on the nodes', async (s) => {
      expect(await s.cloud.describeCluster(C)).toMatchObject(CLUSTER);
      const pools = (await s.cloud.listNodePools(C)).sort((a, b) => a.id.localeCompare(b.id));
      expect(pools.map((p) => [p.id, p.name, p.runtime, p.runtimeVersion, p.nodeCount, p.instanceTypes])).toEqual([
        ['np-a', 'pool-a', 'docker', '19.03.15', 3, ['ecs.g7.large']],
        ['np-b', 'pool-b', 'docker', '19.03.15', 2, ['ecs.g7.large']],
      ]);
      expect(pools[0]!.labels).toMatchObject({ team: 'a' });
      const acked = await s.cloud.listPoolNodes(C, 'np-a');
      const kube = await s.cluster.listPoolNodes('np-a');
      const row = (name: string, id: string | undefined, ip: string | undefined) => `${name} ${id} ${ip}`;
      expect(acked.map((n) => row(n.nodeName, n.instanceId, n.privateIp)).sort()).toEqual(
        kube.map((n) => row(n.name, n.instanceId, n.internalIp)).sort(),
      );
      expect(acked.every((n) => n.state === 'running')).toBe(true);
      const ids = acked.map((n) => n.instanceId);
      const instances = await s.cloud.describeInstances([...ids, 'i-bp0000nosuchinstance']);
      expect(instances.map((i) => i.instanceId).sort()).toEqual([...ids].sort());
      for (const i of instances) {
        expect(i).toMatchObject({
          status: 'Running',
          privateIp: acked.find((n) => n.instanceId === i.instanceId)!.privateIp,
        });
        expect(i.mac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
        expect(i.systemDiskId).toBeTruthy();
      }
      expect(new Set(instances.map((i) => i.systemDiskId)).size).toBe(3);
      expect(await s.cloud.describeInstances([])).toEqual([]);
    });

    test('names an unknown cluster, pool or task with the service code and status', async (s) => {
      await expect(s.cloud.describeCluster('c-nope')).rejects.toMatchObject(cloudFailure('ErrorClusterNotFound', 404));
      await expect(s.cloud.listPoolNodes(C, 'np-nope')).rejects.toMatchObject(
        cloudFailure('ErrorNodePoolNotFound', 404),
      );
      await expect(s.cloud.upgradeNodePool(C, 'np-nope', upgrade(['x']))).rejects.toMatchObject(
        cloudFailure('ErrorNodePoolNotFound', 404),
      );
      for (const call of [
        s.cloud.describeTask('T-nope'),
        s.cloud.pauseTask('T-nope'),
        s.cloud.resumeTask('T-nope'),
        s.cloud.cancelTask('T-nope'),
      ])
        await expect(call).rejects.toMatchObject(cloudFailure('ErrorTaskNotFound', 404));
    });

    test("relays ACK's upgrade check: every item passes on a healthy pool", async (s) => {
      const items = await s.cloud.runUpgradeCheck(C, 'np-a');
      expect(items.length).toBeGreaterThan(0);
      expect(items.filter((i) => !i.passed)).toEqual([]);
      await expect(s.cloud.runUpgradeCheck(C, 'np-nope')).rejects.toMatchObject({ code: 'CLOUD_API' });
    });

    test('upgrades named nodes in place: containerd, Ready, a new system disk, the same IP and MAC', async (s) => {
      const [one, other] = (await s.cloud.listPoolNodes(C, 'np-b')).sort((a, b) =>
        a.nodeName.localeCompare(b.nodeName),
      );
      const before = await s.cloud.describeInstances([one!.instanceId, other!.instanceId]);
      const { taskId } = await s.cloud.upgradeNodePool(C, 'np-b', upgrade([one!.nodeName]));
      expect(taskId).toBeTruthy();
      const task = await ended(s, taskId);
      expect(task).toMatchObject({ taskId, state: 'success', error: undefined });
      // DescribeTaskInfo's task_result names the instance; the caller joins it to the node.
      expect(task.nodes).toMatchObject([{ instanceId: one!.instanceId, state: 'success' }]);
      const node = await s.cluster.getNode(one!.nodeName);
      expect(node).toMatchObject({ ready: true, unschedulable: false });
      expect(node!.runtimeVersion).toMatch(/^containerd:\/\//);
      expect((await s.cluster.getNode(other!.nodeName))!.runtimeVersion).toMatch(/^docker:\/\//);
      const after = await s.cloud.describeInstances([one!.instanceId, other!.instanceId]);
      const was = (id: string) => before.find((i) => i.instanceId === id)!;
      for (const i of after)
        expect(i).toMatchObject({ privateIp: was(i.instanceId).privateIp, mac: was(i.instanceId).mac });
      expect(after.find((i) => i.instanceId === one!.instanceId)!.systemDiskId).not.toBe(
        was(one!.instanceId).systemDiskId,
      );
      expect(after.find((i) => i.instanceId === other!.instanceId)!.systemDiskId).toBe(
        was(other!.instanceId).systemDiskId,
      );
    });

    test('refuses an upgrade of a node outside the pool and starts nothing', async (s) => {
      await expect(s.cloud.upgradeNodePool(C, 'np-b', upgrade(['pool-a-1']))).rejects.toMatchObject(
        cloudFailure('ErrorParameterInvalid', 400),
      );
      if (s.cloud.findActiveTask) expect(await s.cloud.findActiveTask(C, 'np-b')).toBeUndefined();
      const { taskId } = await s.cloud.upgradeNodePool(C, 'np-b', upgrade(['pool-b-1']));
      expect((await ended(s, taskId)).state).toBe('success');
    });

    test('pauses and resumes a task; a cancel stops it at a node boundary', async (s) => {
      const { taskId } = await s.cloud.upgradeNodePool(C, 'np-b', upgrade(['pool-b-1', 'pool-b-2']));
      await s.cloud.pauseTask(taskId);
      expect((await s.cloud.describeTask(taskId)).state).toBe('paused');
      await expect(s.cloud.pauseTask(taskId)).rejects.toMatchObject(cloudFailure('ErrorTaskStateInvalid', 400));
      await s.cloud.resumeTask(taskId);
      expect((await s.cloud.describeTask(taskId)).state).toBe('running');
      await expect(s.cloud.resumeTask(taskId)).rejects.toMatchObject(cloudFailure('ErrorTaskStateInvalid', 400));
      // Cancelled while paused, no further node starts: the second node is never touched.
      await s.cloud.pauseTask(taskId);
      await s.cloud.cancelTask(taskId);
      const task = await ended(s, taskId);
      expect(task.state).toBe('canceled');
      expect((await taskNode(s, task, 'pool-b-2'))?.state).toBe('pending');
      expect((await s.cluster.getNode('pool-b-2'))!.runtimeVersion).toMatch(/^docker:\/\//);
      await expect(s.cloud.cancelTask(taskId)).rejects.toMatchObject(cloudFailure('ErrorTaskStateInvalid', 400));
    });

    test('a node that fails at a step fails the task, naming the node and the step', async (s) => {
      await s.plantFault('pool-b-2', 'start', 'InstanceStartFailed');
      const { taskId } = await s.cloud.upgradeNodePool(C, 'np-b', upgrade(['pool-b-1', 'pool-b-2'], 2));
      const task = await ended(s, taskId);
      expect(task.state).toBe('failed');
      // task_result names instances and their state only; which step failed is in the task's error.
      expect(await taskNode(s, task, 'pool-b-2')).toMatchObject({ state: 'failed' });
      expect(await taskNode(s, task, 'pool-b-1')).toMatchObject({ state: 'success' });
      expect(task.error?.message).toContain('start');
      expect(task.error?.message).toContain('pool-b-2');
    });

    test('names the running task of a pool, and none once it ended', async (s) => {
      if (!s.cloud.findActiveTask) return;
      expect(await s.cloud.findActiveTask(C, 'np-b')).toBeUndefined();
      const { taskId } = await s.cloud.upgradeNodePool(C, 'np-b', upgrade(['pool-b-1']));
      expect(await s.cloud.findActiveTask(C, 'np-b')).toBe(taskId);
      expect(await s.cloud.findActiveTask(C, 'np-a')).toBeUndefined();
      await ended(s, taskId);
      expect(await s.cloud.findActiveTask(C, 'np-b')).toBeUndefined();
    });

    test('snapshots a system disk; the snapshot progresses until it is accomplished', async (s) => {
      const [node] = await s.cloud.listPoolNodes(C, 'np-a');
      const [instance] = await s.cloud.describeInstances([node!.instanceId]);
      const { snapshotId } = await s.cloud.createSnapshot(instance!.systemDiskId!, 'before-containerd-pool-a-1');
      const [first] = await s.cloud.describeSnapshots([snapshotId]);
      expect(first).toMatchObject({ snapshotId });
      expect(['progressing', 'accomplished']).toContain(first!.status);
      const done = await eventually(s, 'snapshot accomplished', async () => {
        const [now] = await s.cloud.describeSnapshots([snapshotId]);
        return now?.status === 'accomplished' ? now : undefined;
      });
      expect(done.progress).toBe(100);
      expect(await s.cloud.describeSnapshots(['s-bp0000nosuchsnapshot'])).toEqual([]);
      await expect(s.cloud.createSnapshot('d-bp0000nosuchdisk', 'x')).rejects.toMatchObject(
        cloudFailure('InvalidDiskId.NotFound', 404),
      );
    });

    test('rotates: a cloned containerd pool joins and scales; old nodes removed; the empty pool deleted', async (s) => {
      const spec = {
        name: 'pool-b-containerd',
        runtime: 'containerd' as const,
        runtimeVersion: undefined,
        cloneOf: 'np-b',
        desiredSize: 2,
      };
      const { poolId } = await s.cloud.createNodePool(C, spec);
      expect(await s.cloud.createNodePool(C, spec)).toEqual({ poolId });
      // The instances are bought at once: the pool counts them while they join, so scaling to that size asks nothing.
      expect((await s.cloud.listNodePools(C)).find((p) => p.id === poolId)?.nodeCount).toBe(2);
      await s.cloud.scaleNodePool(C, poolId, 2);
      await expect(s.cloud.createNodePool(C, { ...spec, name: 'other', cloneOf: 'np-nope' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      const fresh = (await s.cloud.listNodePools(C)).find((p) => p.id === poolId);
      expect(fresh).toMatchObject({ name: 'pool-b-containerd', runtime: 'containerd' });
      expect(fresh!.labels).toMatchObject({ team: 'b' });
      const ready = (n: number) =>
        eventually(s, `${n} new nodes Ready`, async () => {
          const nodes = await s.cluster.listPoolNodes(poolId);
          const ok = nodes.filter((x) => x.ready && x.runtimeVersion.startsWith('containerd://'));
          return ok.length === n && nodes.length === n ? nodes : undefined;
        });
      await ready(2);
      await s.cloud.scaleNodePool(C, poolId, 3);
      const three = await ready(3);
      expect(three.every((n) => n.labels.team === 'b')).toBe(true);
      await s.cloud.scaleNodePool(C, poolId, 2);
      expect(await s.cloud.listPoolNodes(C, poolId)).toHaveLength(3);

      await expect(s.cloud.deleteNodePool(C, 'np-b')).rejects.toMatchObject(cloudFailure('ErrorNodePoolNotEmpty', 400));
      await s.cloud.removeNodePoolNodes(C, 'np-b', ['pool-b-1', 'pool-b-2', 'pool-a-1']);
      await eventually(s, 'old nodes removed', async () => (await s.cloud.listPoolNodes(C, 'np-b')).length === 0);
      expect(await s.cluster.listPoolNodes('np-b')).toEqual([]);
      expect(await s.cluster.getNode('pool-b-1')).toBeUndefined();
      expect(await s.cluster.getNode('pool-a-1')).toBeDefined();
      await s.cloud.removeNodePoolNodes(C, 'np-b', ['pool-b-1']);
      // The gateway waits for the pool to be idle, then follows the deletion to its end.
      await s.cloud.deleteNodePool(C, 'np-b');
      await eventually(s, 'old pool gone', async () => !(await s.cloud.listNodePools(C)).some((p) => p.id === 'np-b'));
      await s.cloud.deleteNodePool(C, 'np-b');
    });

    test('runs a Cloud Assistant command on running instances', async (s) => {
      const [node] = await s.cloud.listPoolNodes(C, 'np-a');
      const { invokeId } = await s.cloud.runCommand([node!.instanceId], 'echo hello');
      const results = await eventually(s, 'command finished', async () => {
        const now = await s.cloud.describeInvocationResults(invokeId);
        return now.length > 0 && now.every((r) => r.status !== 'running') ? now : undefined;
      });
      expect(results).toEqual([{ instanceId: node!.instanceId, status: 'success', output: '', exitCode: 0 }]);
      await expect(s.cloud.runCommand([], 'echo')).rejects.toMatchObject({ code: 'BAD_INPUT' });
      await expect(s.cloud.runCommand(['i-bp0000nosuchinstance'], 'echo')).rejects.toMatchObject(
        cloudFailure('InvalidInstanceId.NotFound', 404),
      );
      await expect(s.cloud.describeInvocationResults('t-hz0000nosuchinvoke')).rejects.toMatchObject(
        cloudFailure('InvalidInvokeId.NotFound', 404),
      );
    });
  });
}
