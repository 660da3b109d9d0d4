import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCloudGateway } from '../../../src/app/gateways.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { isAppError } from '../../../src/errors.js';
import type { AlicloudCloudGateway } from '../../../src/gateways/cloud/alicloud-cloud-gateway.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/start-sandbox.js';

let sandbox: Sandbox;
let cloud: AlicloudCloudGateway;

function gatewayWith(env: Record<string, string>) {
  return createCloudGateway(loadConfig({ ...sandbox.env, ...env }), {
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    checkPollMs: 20,
  });
}

async function sandboxControl(path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`http://${sandbox.env.ALIBABA_CLOUD_CS_ENDPOINT}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return await res.json();
}

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 0.004 });
  cloud = gatewayWith({});
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('AlicloudCloudGateway reads (signed ACS3 calls to the sandbox)', () => {
  it('describes the cluster and its pools', async () => {
    expect(await cloud.describeCluster('c-demo')).toMatchObject({
      id: 'c-demo',
      name: 'demo',
      region: 'cn-hangzhou',
      version: '1.22.15-aliyun.1',
    });
    const pools = await cloud.listNodePools('c-demo');
    expect(pools.map((p) => [p.id, p.name, p.runtime, p.nodeCount])).toEqual([
      ['np-a', 'pool-a', 'docker', 6],
      ['np-b', 'pool-b', 'docker', 3],
    ]);
    expect(pools[0]).toMatchObject({ runtimeVersion: '19.03.15', instanceTypes: ['ecs.g7.xlarge'] });
    expect(pools[0]!.labels).toMatchObject({ team: 'web' });
  });

  it('lists the clusters these credentials see (how the CLI picks a default cluster)', async () => {
    expect(await cloud.listClusters()).toEqual([
      expect.objectContaining({ id: 'c-demo', name: 'demo', version: '1.22.15-aliyun.1' }),
    ]);
  });

  it("lists a pool's nodes with instance ids, and the instances with IP, MAC and system disk", async () => {
    const nodes = await cloud.listPoolNodes('c-demo', 'np-a');
    const world = sandbox.world.listNodes('np-a');
    expect(nodes.map((n) => [n.nodeName, n.instanceId, n.privateIp]).sort()).toEqual(
      world.map((n) => [n.name, n.instanceId, n.internalIp]).sort(),
    );
    const instances = await cloud.describeInstances(nodes.map((n) => n.instanceId));
    expect(instances).toHaveLength(6);
    for (const i of instances) {
      const truth = sandbox.world.instances.get(i.instanceId)!;
      expect(i).toMatchObject({ status: 'Running', privateIp: truth.privateIp, mac: truth.mac });
      expect(i.systemDiskId).toBe(truth.systemDiskId);
    }
  });

  it("relays ACK's NodePoolUpgrade check, including a failed item", async () => {
    const clean = await cloud.runUpgradeCheck('c-demo', 'np-a');
    expect(clean.length).toBeGreaterThan(0);
    expect(clean.every((i) => i.passed)).toBe(true);
    await sandboxControl('/sandbox/faults', {
      checkFailures: [{ pool: 'np-a', name: 'OSImageSupported', level: 'error', message: 'the OS image is too old' }],
    });
    try {
      const items = await cloud.runUpgradeCheck('c-demo', 'np-a');
      expect(items.filter((i) => !i.passed)).toEqual([
        {
          name: 'OSImageSupported',
          passed: false,
          level: 'blocker',
          message: 'the OS image is too old',
          target: 'np-a',
        },
      ]);
    } finally {
      await sandboxControl('/sandbox/faults', { clear: true });
    }
  });

  it('counts its calls per action, as the service saw them', async () => {
    const before = cloud.stats().calls.DescribeClusterNodes ?? 0;
    const served = (await sandboxControl('/sandbox/stats')) as { actions: Record<string, number> };
    await cloud.listPoolNodes('c-demo', 'np-b');
    const after = (await sandboxControl('/sandbox/stats')) as { actions: Record<string, number> };
    expect((cloud.stats().calls.DescribeClusterNodes ?? 0) - before).toBe(1);
    expect((after.actions.DescribeClusterNodes ?? 0) - (served.actions.DescribeClusterNodes ?? 0)).toBe(1);
  });
});

describe('AlicloudCloudGateway errors', () => {
  it('names SignatureDoesNotMatch and the variable to check, never the secret', async () => {
    const wrong = 'Wr0ngSecretValue-123456';
    const error = await gatewayWith({ ALIBABA_CLOUD_ACCESS_KEY_SECRET: wrong })
      .describeCluster('c-demo')
      .catch((e: unknown) => e);
    expect(isAppError(error)).toBe(true);
    if (!isAppError(error)) return;
    expect(error.code).toBe('CLOUD_API');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('DescribeClusterDetail');
    expect(error.message).toContain('SignatureDoesNotMatch');
    expect(error.hint).toContain('ALIBABA_CLOUD_ACCESS_KEY_SECRET');
    const text = `${error.toLine()} ${JSON.stringify(error.details)}`;
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(sandbox.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET);
  });

  it('reports an unknown cluster with its code and status, not retryable', async () => {
    const error = await cloud.describeCluster('c-nope').catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'CLOUD_API',
      retryable: false,
      details: { action: 'DescribeClusterDetail', code: 'ErrorClusterNotFound', status: 404 },
    });
  });

  it('retries throttling and 5xx with backoff, then succeeds', async () => {
    // The sandbox never throttles, so a loopback server plays a throttled CS endpoint for three answers.
    const answers: Array<[number, unknown]> = [
      [400, { Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' }],
      [503, { Code: 'ServiceUnavailable', Message: 'The request has failed due to a temporary failure.' }],
      [200, { cluster_id: 'c-demo', name: 'demo', region_id: 'cn-hangzhou', current_version: '1.22.15-aliyun.1' }],
    ];
    const server = createServer((req, res) => {
      req.resume();
      const [status, body] = answers.shift() ?? [500, { Code: 'InternalError' }];
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const flaky = gatewayWith({ ALIBABA_CLOUD_CS_ENDPOINT: `127.0.0.1:${port}` });
      expect((await flaky.describeCluster('c-demo')).version).toBe('1.22.15-aliyun.1');
      expect(flaky.stats()).toMatchObject({ calls: { DescribeClusterDetail: 3 }, retries: 2, failures: 0 });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('retries a refused connection a bounded number of times, then says which endpoint to check', async () => {
    const dead = gatewayWith({ ALIBABA_CLOUD_CS_ENDPOINT: '127.0.0.1:1' });
    const error = await dead.describeCluster('c-demo').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CLOUD_API', retryable: true });
    expect((error as Error).message).toMatch(/after 3 attempts/);
    expect(isAppError(error) && error.hint).toContain('ALIBABA_CLOUD_CS_ENDPOINT');
    expect(dead.stats()).toMatchObject({ calls: { DescribeClusterDetail: 3 }, retries: 2, failures: 1 });
  });
});

describe('AlicloudCloudGateway writes', () => {
  it('upgrades a node in place and follows the task to its end', async () => {
    const { taskId } = await cloud.upgradeNodePool('c-demo', 'np-b', {
      nodeNames: ['pool-b-1'],
      runtimeType: 'containerd',
      runtimeVersion: undefined,
      useReplace: true,
      maxParallelism: 1,
    });
    expect(taskId).not.toBe('');
    // The steps seen while the task ran (more than one: the gateway reports progress, not just the end).
    const seen = new Set<string>();
    const task = await vi.waitFor(
      async () => {
        const now = await cloud.describeTask(taskId);
        if (now.state === 'running') for (const n of now.nodes) seen.add(n.step);
        expect(now.state).not.toBe('running');
        return now;
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(task).toMatchObject({ taskId, state: 'success', error: undefined });
    // task_result names the instance (the documented field); the pipeline joins it to the node.
    const instanceId = sandbox.world.getNode('pool-b-1')!.instanceId;
    expect(task.nodes).toEqual([{ nodeName: '', instanceId, step: 'Finish', state: 'success' }]);
    expect(seen.size).toBeGreaterThan(1);
    expect(sandbox.world.getNode('pool-b-1')?.runtime).toBe('containerd');
  });

  it('pauses, resumes and cancels a task', async () => {
    const { taskId } = await cloud.upgradeNodePool('c-demo', 'np-b', {
      nodeNames: ['pool-b-2', 'pool-b-3'],
      runtimeType: 'containerd',
      runtimeVersion: undefined,
      useReplace: true,
      maxParallelism: 1,
    });
    await cloud.pauseTask(taskId);
    expect((await cloud.describeTask(taskId)).state).toBe('paused');
    await cloud.resumeTask(taskId);
    expect((await cloud.describeTask(taskId)).state).toBe('running');
    await cloud.cancelTask(taskId);
    const task = await vi.waitFor(
      async () => {
        const now = await cloud.describeTask(taskId);
        expect(now.state).not.toBe('running');
        return now;
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(task.state).toBe('canceled');
    // Cancel takes effect at a node boundary: the second node never started.
    const third = sandbox.world.getNode('pool-b-3')!.instanceId;
    expect(task.nodes.find((n) => n.instanceId === third)?.state).toBe('pending');
  });

  it('snapshots a system disk and runs a Cloud Assistant command', async () => {
    const [node] = await cloud.listPoolNodes('c-demo', 'np-a');
    const [instance] = await cloud.describeInstances([node!.instanceId]);
    const { snapshotId } = await cloud.createSnapshot(instance!.systemDiskId!, 'before-containerd-pool-a-1');
    const [snap] = await cloud.describeSnapshots([snapshotId]);
    expect(snap).toMatchObject({ snapshotId });
    expect(['progressing', 'accomplished']).toContain(snap!.status);
    const { invokeId } = await cloud.runCommand([node!.instanceId], 'echo hello');
    const results = await vi.waitFor(
      async () => {
        const now = await cloud.describeInvocationResults(invokeId);
        expect(now.filter((r) => r.status === 'running')).toEqual([]);
        return now;
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(results).toEqual([{ instanceId: node!.instanceId, status: 'success', output: '', exitCode: 0 }]);
  });
});
