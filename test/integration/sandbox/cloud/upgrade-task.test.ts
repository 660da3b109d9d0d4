import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubernetesApi, startKubernetesApi } from '../../../../src/sandbox/k8s/index.js';
import { AK, type CloudFixture, control, SECRET, startSmallCloud, until } from './fixtures.js';
import { type SdkClient, sdkClient } from './sdk-client.js';

interface TaskInfo {
  state: string;
  error?: { code: string; message: string };
  events: Array<{ reason: string; message: string }>;
  stages: Array<{ state: string; outputs: Record<string, string> }>;
}
interface Instance {
  InstanceId: string;
  HostName: string;
  Status: string;
  VpcAttributes: { PrivateIpAddress: { IpAddress: string[] } };
  NetworkInterfaces: { NetworkInterface: Array<{ MacAddress: string }> };
}
interface KubeNode {
  metadata: { name: string };
  spec: { unschedulable?: boolean };
  status: { nodeInfo: { containerRuntimeVersion: string }; conditions: Array<{ type: string; status: string }> };
}

let fx: CloudFixture;
let k8s: KubernetesApi;
let sdk: SdkClient;

beforeAll(async () => {
  fx = await startSmallCloud(0.002);
  k8s = await startKubernetesApi(fx.world);
  sdk = sdkClient(fx.cloud.endpoint, AK, SECRET);
});
afterAll(async () => {
  await k8s?.close();
  await fx?.close();
});

async function upgrade(pool: string, nodeNames: string[], maxParallelism = nodeNames.length): Promise<string> {
  const res = await sdk.roa<{ task_id: string }>(
    'UpgradeClusterNodepool',
    'POST',
    `/clusters/c-test/nodepools/${pool}/upgrade`,
    {
      body: {
        runtime_type: 'containerd',
        runtime_version: '1.6.28',
        use_replace: true,
        node_names: nodeNames,
        rolling_policy: { max_parallelism: maxParallelism },
      },
    },
  );
  expect(res.task_id).toMatch(/^T-/);
  return res.task_id;
}

async function finished(taskId: string): Promise<TaskInfo> {
  return until(`task ${taskId} to end`, async () => {
    const info = await sdk.roa<TaskInfo>('DescribeTaskInfo', 'GET', `/tasks/${taskId}`);
    return info.state === 'running' ? undefined : info;
  });
}

async function instancesOf(names: string[]): Promise<Instance[]> {
  const ids = names.map((n) => fx.world.getInstanceByNode(n)!.instanceId);
  const res = await sdk.rpc<{ Instances: { Instance: Instance[] } }>('DescribeInstances', {
    InstanceIds: JSON.stringify(ids),
  });
  return res.Instances.Instance.sort((a, b) => a.HostName.localeCompare(b.HostName));
}

async function systemDisk(instanceId: string): Promise<string> {
  const res = await sdk.rpc<{ Disks: { Disk: Array<{ DiskId: string; Type: string }> } }>('DescribeDisks', {
    InstanceId: instanceId,
    DiskType: 'system',
  });
  expect(res.Disks.Disk).toHaveLength(1);
  return res.Disks.Disk[0]!.DiskId;
}

async function kubeNodes(): Promise<Map<string, KubeNode>> {
  const res = await fetch(`${k8s.url}/api/v1/nodes`);
  const list = (await res.json()) as { items: KubeNode[] };
  return new Map(list.items.map((n) => [n.metadata.name, n]));
}

const ready = (n: KubeNode | undefined) => n?.status.conditions.find((c) => c.type === 'Ready')?.status === 'True';

describe('UpgradeClusterNodepool with use_replace (in place)', () => {
  const names = ['pool-a-1', 'pool-a-2', 'pool-a-3'];

  it('takes 3 nodes to containerd with the same IPs and MACs, new system disks, one replace each', async () => {
    const before = await instancesOf(names);
    const disksBefore = await Promise.all(before.map((i) => systemDisk(i.InstanceId)));
    for (const n of (await kubeNodes()).values())
      expect(n.status.nodeInfo.containerRuntimeVersion).toBe('docker://19.3.15');

    const info = await finished(await upgrade('np-a', names));
    expect(info.error).toBeUndefined();
    expect(info.state).toBe('success');
    expect(info.stages.map((s) => s.state)).toEqual(['success', 'success', 'success']);
    expect(info.events.map((e) => e.reason)).toEqual(
      expect.arrayContaining(['NodeDrainNode', 'NodeReplaceSystemDisk', 'NodeUpgraded']),
    );

    const nodes = await kubeNodes();
    for (const name of names) {
      const node = nodes.get(name);
      expect(node?.status.nodeInfo.containerRuntimeVersion).toBe('containerd://1.6.28');
      expect(ready(node)).toBe(true);
      expect(node?.spec.unschedulable ?? false).toBe(false);
    }
    const after = await instancesOf(names);
    expect(after.map((i) => i.Status)).toEqual(['Running', 'Running', 'Running']);
    expect(after.map((i) => i.VpcAttributes.PrivateIpAddress.IpAddress)).toEqual(
      before.map((i) => i.VpcAttributes.PrivateIpAddress.IpAddress),
    );
    expect(after.map((i) => i.NetworkInterfaces.NetworkInterface[0]!.MacAddress)).toEqual(
      before.map((i) => i.NetworkInterfaces.NetworkInterface[0]!.MacAddress),
    );
    const disksAfter = await Promise.all(after.map((i) => systemDisk(i.InstanceId)));
    disksAfter.forEach((d, i) => {
      expect(d).toMatch(/^d-/);
      expect(d).not.toBe(disksBefore[i]);
    });

    const stats = (await control(fx.cloud, '/sandbox/stats')) as {
      actions: Record<string, number>;
      instances: Record<string, Record<string, number>>;
    };
    for (const i of before) {
      expect(stats.instances[i.InstanceId]).toMatchObject({ StopInstance: 1, ReplaceSystemDisk: 1, StartInstance: 1 });
    }
    expect(stats.actions['UpgradeClusterNodepool']).toBe(1);
    // The pool itself now reports containerd: all its nodes run it.
    const pool = await sdk.roa<{ kubernetes_config: { runtime: string } }>(
      'DescribeClusterNodePoolDetail',
      'GET',
      '/clusters/c-test/nodepools/np-a',
    );
    expect(pool.kubernetes_config.runtime).toBe('containerd');
  });

  it('does not replace a node that already runs containerd when the same node_names come again', async () => {
    const ids = names.map((n) => fx.world.getInstanceByNode(n)!.instanceId);
    const disks = await Promise.all(ids.map(systemDisk));
    const info = await finished(await upgrade('np-a', names));
    expect(info.state).toBe('success');
    expect(info.stages.map((s) => s.state)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(await Promise.all(ids.map(systemDisk))).toEqual(disks);
    const stats = (await control(fx.cloud, '/sandbox/stats')) as { instances: Record<string, Record<string, number>> };
    for (const id of ids) expect(stats.instances[id]?.['ReplaceSystemDisk']).toBe(1);
  });

  it('fails the task naming the node and the step on a start fault; after clearing it, a retry succeeds', async () => {
    await control(fx.cloud, '/sandbox/faults', {
      faults: [{ node: 'pool-b-1', step: 'start', error: 'InstanceStartFailed' }],
    });
    const failed = await finished(await upgrade('np-b', ['pool-b-1']));
    expect(failed.state).toBe('fail');
    expect(failed.error?.code).toBe('InstanceStartFailed');
    expect(failed.error?.message).toContain('pool-b-1');
    expect(failed.error?.message).toContain('start');
    // Only the documented shape: a stage's state, no undocumented per-node outputs; task_result names the instance.
    expect(failed.stages[0]).toMatchObject({ state: 'failed', outputs: {} });
    const [stopped] = await instancesOf(['pool-b-1']);
    expect(stopped?.Status).toBe('Stopped');
    expect(ready((await kubeNodes()).get('pool-b-1'))).toBe(false);

    expect(await control(fx.cloud, '/sandbox/faults', { clear: true })).toEqual({ faults: [], checkFailures: [] });
    const retried = await finished(await upgrade('np-b', ['pool-b-1']));
    expect(retried.state).toBe('success');
    const node = (await kubeNodes()).get('pool-b-1');
    expect(node?.status.nodeInfo.containerRuntimeVersion).toBe('containerd://1.6.28');
    expect(ready(node)).toBe(true);
    expect(node?.spec.unschedulable ?? false).toBe(false);
    // The pool keeps reporting docker while pool-b-2 still runs it.
    expect(fx.world.pools.get('np-b')?.runtime).toBe('docker');
  });

  it('refuses bad requests and changes nothing', async () => {
    const bad = [
      { runtime_type: 'containerd', runtime_version: '1.6.28', use_replace: true, node_names: ['pool-a-1'] },
      { runtime_type: 'docker', use_replace: true, node_names: ['pool-b-2'] },
      { runtime_type: 'containerd', runtime_version: '1.6.28', use_replace: false, node_names: ['pool-b-2'] },
      // A runtime change without runtime_version, and a version ACK does not offer with the cluster's Kubernetes.
      { runtime_type: 'containerd', use_replace: true, node_names: ['pool-b-2'] },
      { runtime_type: 'containerd', runtime_version: '1.6.97', use_replace: true, node_names: ['pool-b-2'] },
      {
        runtime_type: 'containerd',
        runtime_version: '1.6.28',
        kubernetes_version: '1.24.6-aliyun.1',
        use_replace: true,
        node_names: ['pool-b-2'],
      },
      {
        runtime_type: 'containerd',
        runtime_version: '1.6.28',
        use_replace: true,
        node_names: ['pool-b-2'],
        rolling_policy: { max_parallelism: 11 },
      },
    ];
    const tasks = fx.cloud.state.tasks.size;
    for (const body of bad) {
      await expect(
        sdk.roa('UpgradeClusterNodepool', 'POST', '/clusters/c-test/nodepools/np-b/upgrade', { body }),
      ).rejects.toMatchObject({ code: 'ErrorParameterInvalid' });
    }
    expect(fx.cloud.state.tasks.size).toBe(tasks);
    expect(fx.world.getNode('pool-b-2')?.runtime).toBe('docker');
  });
});
