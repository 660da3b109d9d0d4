import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubernetesApi, startKubernetesApi } from '../../../../src/sandbox/k8s/index.js';
import { AK, type CloudFixture, control, SECRET, SMALL_SCENARIO, startSmallCloud, until } from './fixtures.js';
import { type SdkClient, sdkClient, sdkError } from './sdk-client.js';

let fx: CloudFixture;
let k8s: KubernetesApi;
let sdk: SdkClient;

beforeAll(async () => {
  // Snapshots take 3,000 simulated seconds here: longer than the 40 minutes the upgrade tolerates.
  fx = await startSmallCloud(0.001, SMALL_SCENARIO.replace('snapshot: 300', 'snapshot: 3000'));
  k8s = await startKubernetesApi(fx.world);
  sdk = sdkClient(fx.cloud.endpoint, AK, SECRET);
});
afterAll(async () => {
  await k8s?.close();
  await fx?.close();
});

const taskDone = (id: string) =>
  until(`task ${id}`, async () => {
    const t = await sdk.roa<{ state: string }>('DescribeTaskInfo', 'GET', `/tasks/${id}`);
    return t.state === 'running' ? undefined : t.state;
  });

interface KubeNode {
  metadata: { name: string; labels: Record<string, string> };
  status: { nodeInfo: { containerRuntimeVersion: string }; conditions: Array<{ type: string; status: string }> };
}
async function kubeNodes(): Promise<KubeNode[]> {
  return ((await (await fetch(`${k8s.url}/api/v1/nodes`)).json()) as { items: KubeNode[] }).items;
}

describe('node pools: create, scale, remove nodes, delete', () => {
  it('creates a containerd pool whose nodes join Ready, scales it out, removes a node, and deletes it', async () => {
    const created = await sdk.roa<{ nodepool_id: string; task_id: string }>(
      'CreateClusterNodePool',
      'POST',
      '/clusters/c-test/nodepools',
      {
        body: {
          nodepool_info: { name: 'pool-a-containerd', type: 'ess' },
          kubernetes_config: {
            runtime: 'containerd',
            runtime_version: '1.6.28',
            labels: [{ key: 'team', value: 'web' }],
          },
          scaling_group: { instance_types: ['ecs.g7.xlarge'], desired_size: 2 },
        },
      },
    );
    expect(created.nodepool_id).toMatch(/^np[0-9a-f]{32}$/);
    expect(await taskDone(created.task_id)).toBe('success');
    const joined = (await kubeNodes()).filter(
      (n) => n.metadata.labels['alibabacloud.com/nodepool-id'] === created.nodepool_id,
    );
    expect(joined.map((n) => n.metadata.name)).toEqual(['pool-a-containerd-1', 'pool-a-containerd-2']);
    for (const n of joined) {
      expect(n.status.nodeInfo.containerRuntimeVersion).toBe('containerd://1.6.28');
      expect(n.status.conditions.find((c) => c.type === 'Ready')?.status).toBe('True');
      expect(n.metadata.labels['team']).toBe('web');
    }

    const scaled = await sdk.roa<{ task_id: string }>(
      'ScaleClusterNodePool',
      'POST',
      `/clusters/c-test/nodepools/${created.nodepool_id}`,
      {
        body: { count: 1 },
      },
    );
    expect(await taskDone(scaled.task_id)).toBe('success');
    const nodes = await sdk.roa<{
      nodes: Array<{ node_name: string; instance_id: string; node_status: string }>;
      page: { total_count: number };
    }>('DescribeClusterNodes', 'GET', '/clusters/c-test/nodes', {
      query: { nodepool_id: created.nodepool_id, pageSize: '2', pageNumber: '1' },
    });
    expect(nodes.page.total_count).toBe(3);
    expect(nodes.nodes).toHaveLength(2);

    const notEmpty = await sdkError(
      sdk.roa('DeleteClusterNodepool', 'DELETE', `/clusters/c-test/nodepools/${created.nodepool_id}`),
    );
    expect(notEmpty.code).toBe('ErrorNodePoolNotEmpty');

    const victim = nodes.nodes[0]!;
    const removed = await sdk.roa<{ task_id: string }>(
      'RemoveNodePoolNodes',
      'DELETE',
      `/clusters/c-test/nodepools/${created.nodepool_id}/nodes`,
      {
        query: { instance_ids: JSON.stringify([victim.instance_id]), drain_node: 'true', release_node: 'true' },
      },
    );
    expect(await taskDone(removed.task_id)).toBe('success');
    expect((await kubeNodes()).map((n) => n.metadata.name)).not.toContain(victim.node_name);
    expect(fx.world.instances.has(victim.instance_id)).toBe(false);

    const deleted = await sdk.roa<{ task_id: string }>(
      'DeleteClusterNodepool',
      'DELETE',
      `/clusters/c-test/nodepools/${created.nodepool_id}`,
      {
        query: { force: 'true' },
      },
    );
    expect(await taskDone(deleted.task_id)).toBe('success');
    const pools = await sdk.roa<{ nodepools: Array<{ nodepool_info: { nodepool_id: string } }> }>(
      'DescribeClusterNodePools',
      'GET',
      '/clusters/c-test/nodepools',
    );
    expect(pools.nodepools.map((p) => p.nodepool_info.nodepool_id)).toEqual(['np-a', 'np-b']);
  });
});

describe('a fault at step ready', () => {
  it('leaves the node NotReady: the task fails naming it after waiting 30 minutes', async () => {
    await control(fx.cloud, '/sandbox/faults', {
      faults: [{ node: 'pool-a-1', step: 'ready', error: 'NodeNotReady' }],
    });
    const { task_id } = await sdk.roa<{ task_id: string }>(
      'UpgradeClusterNodepool',
      'POST',
      '/clusters/c-test/nodepools/np-a/upgrade',
      {
        body: {
          runtime_type: 'containerd',
          runtime_version: '1.6.28',
          use_replace: true,
          node_names: ['pool-a-1'],
          rolling_policy: { max_parallelism: 1 },
        },
      },
    );
    const info = await until('the task to fail', async () => {
      const t = await sdk.roa<{ state: string; error?: { code: string; message: string } }>(
        'DescribeTaskInfo',
        'GET',
        `/tasks/${task_id}`,
      );
      return t.state === 'running' ? undefined : t;
    });
    expect(info.state).toBe('fail');
    expect(info.error?.code).toBe('NodeNotReady');
    expect(info.error?.message).toMatch(/pool-a-1.*ready/);
    const node = (await kubeNodes()).find((n) => n.metadata.name === 'pool-a-1');
    expect(node?.status.conditions.find((c) => c.type === 'Ready')?.status).not.toBe('True');
    await control(fx.cloud, '/sandbox/faults', { clear: true });
  });
});

describe('ACK cluster check and version metadata', () => {
  it('passes the NodePoolUpgrade check for a healthy pool and reports a planted failure', async () => {
    const run = async (target = 'np-b') => {
      const { check_id } = await sdk.roa<{ check_id: string }>('RunClusterCheck', 'POST', '/clusters/c-test/checks', {
        body: { type: 'NodePoolUpgrade', target },
      });
      return until('the check', async () => {
        const c = await sdk.roa<{
          status: string;
          check_items: Record<string, Array<{ name: string; passed: boolean; level: string; targets: string[] }>>;
        }>('GetClusterCheck', 'GET', `/clusters/c-test/checks/${check_id}`);
        return c.status === 'Running' ? undefined : c;
      });
    };
    const ok = await run();
    expect(ok.status).toBe('Succeeded');
    expect(
      Object.values(ok.check_items)
        .flat()
        .every((i) => i.passed),
    ).toBe(true);

    await control(fx.cloud, '/sandbox/faults', {
      checkFailures: [{ pool: 'pool-b', name: 'NodePoolImageSupported', message: 'the image cannot run containerd' }],
    });
    const bad = await run();
    expect(bad.status).toBe('Failed');
    expect(Object.values(bad.check_items).flat()).toContainEqual(
      expect.objectContaining({ name: 'NodePoolImageSupported', passed: false, level: 'error' }),
    );
    await control(fx.cloud, '/sandbox/faults', { clear: true });
    // pool-a-1 was left NotReady by the ready fault above: ACK's own check names it.
    const notReady = await run('np-a');
    expect(notReady.status).toBe('Failed');
    expect(notReady.check_items['Node']).toContainEqual(
      expect.objectContaining({ name: 'NodeReady', passed: false, targets: ['pool-a-1'] }),
    );
  });

  it('lists the containerd runtime for the cluster version', async () => {
    const versions = await sdk.roa<Array<{ version: string; runtimes: Array<{ name: string; version: string }> }>>(
      'DescribeKubernetesVersionMetadata',
      'GET',
      '/api/v1/metadata/versions',
      {
        query: {
          ClusterType: 'ManagedKubernetes',
          Region: 'cn-hangzhou',
          KubernetesVersion: '1.22.15-aliyun.1',
          runtime: 'containerd',
        },
        bodyType: 'array',
      },
    );
    expect(versions).toEqual([
      expect.objectContaining({ version: '1.22.15-aliyun.1', runtimes: [{ name: 'containerd', version: '1.6.28' }] }),
    ]);
  });
});

describe('ECS snapshots and Cloud Assistant', () => {
  it('a snapshot progresses, then fails at 40 minutes when it would take longer', async () => {
    const instance = fx.world.getInstanceByNode('pool-b-1')!;
    const { SnapshotId } = await sdk.rpc<{ SnapshotId: string }>('CreateSnapshot', {
      DiskId: instance.systemDiskId,
      SnapshotName: 'before-containerd',
    });
    const describe = async () =>
      (
        await sdk.rpc<{ Snapshots: { Snapshot: Array<{ Status: string; Progress: string }> } }>('DescribeSnapshots', {
          SnapshotIds: JSON.stringify([SnapshotId]),
        })
      ).Snapshots.Snapshot[0]!;
    expect((await describe()).Status).toBe('progressing');
    const failed = await until('the snapshot to fail', async () => {
      const s = await describe();
      return s.Status === 'progressing' ? undefined : s;
    });
    expect(failed).toMatchObject({ Status: 'failed', Progress: '80%' });
    const stats = (await control(fx.cloud, '/sandbox/stats')) as { instances: Record<string, Record<string, number>> };
    expect(stats.instances[instance.instanceId]?.['CreateSnapshot']).toBe(1);
  });

  it('the Docker cleanup script reports freed bytes per instance, and nothing the second time', async () => {
    const ids = ['pool-b-1', 'pool-b-2'].map((n) => fx.world.getInstanceByNode(n)!.instanceId);
    const script = 'rm -rf /var/lib/docker/*';
    const run = async () => {
      const { InvokeId } = await sdk.rpc<{ InvokeId: string }>('RunCommand', {
        Type: 'RunShellScript',
        CommandContent: script,
        'InstanceId.1': ids[0]!,
        'InstanceId.2': ids[1]!,
      });
      return until('the command', async () => {
        const r = await sdk.rpc<{
          Invocation: {
            InvocationResults: {
              InvocationResult: Array<{
                InstanceId: string;
                InvocationStatus: string;
                Output: string;
                ExitCode: number;
              }>;
            };
          };
        }>('DescribeInvocationResults', { InvokeId });
        const results = r.Invocation.InvocationResults.InvocationResult;
        return results.every((x) => x.InvocationStatus === 'Success') ? results : undefined;
      });
    };
    const first = await run();
    expect(first.map((r) => r.InstanceId).sort()).toEqual([...ids].sort());
    for (const r of first) expect(Buffer.from(r.Output, 'base64').toString()).toMatch(/^freed_bytes=[1-9]\d{8,}\n$/);
    const second = await run();
    for (const r of second) expect(Buffer.from(r.Output, 'base64').toString()).toBe('freed_bytes=0\n');
  });

  it('stop and start through ECS move the instance and its node', async () => {
    const instance = fx.world.getInstanceByNode('pool-b-2')!;
    const oldDisk = instance.systemDiskId;
    await sdk.rpc('StopInstance', { InstanceId: instance.instanceId, StoppedMode: 'KeepCharging' });
    const status = async () =>
      (
        await sdk.rpc<{ Instances: { Instance: Array<{ Status: string }> } }>('DescribeInstances', {
          InstanceIds: JSON.stringify([instance.instanceId]),
        })
      ).Instances.Instance[0]!.Status;
    await until('Stopped', async () => ((await status()) === 'Stopped' ? true : undefined));
    expect(fx.world.getNode('pool-b-2')?.ready).toBe(false);
    const refused = await sdkError(sdk.rpc('StopInstance', { InstanceId: instance.instanceId }));
    expect(refused).toMatchObject({ code: 'IncorrectInstanceStatus', data: { statusCode: 403 } });
    const { DiskId } = await sdk.rpc<{ DiskId: string }>('ReplaceSystemDisk', {
      InstanceId: instance.instanceId,
      ImageId: 'aliyun_3_x64_20G_alibase_20240819.vhd',
    });
    expect(DiskId).toMatch(/^d-/);
    expect(DiskId).not.toBe(oldDisk);
    await sdk.rpc('StartInstance', { InstanceId: instance.instanceId });
    await until('Running', async () => ((await status()) === 'Running' ? true : undefined));
    expect(fx.world.getNode('pool-b-2')?.ready).toBe(true);
  });
});
