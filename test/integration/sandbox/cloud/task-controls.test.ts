import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AK, type CloudFixture, SECRET, SMALL_SCENARIO, startSmallCloud, until } from './fixtures.js';
import { type SdkClient, sdkClient } from './sdk-client.js';

interface TaskInfo {
  state: string;
  stages: Array<{ state: string; message: string }>;
  events: Array<{ reason: string }>;
}

let fx: CloudFixture;
let sdk: SdkClient;

beforeAll(async () => {
  // Four nodes in pool-a and shorter steps: each node takes 100 simulated seconds (0.4 s here).
  const scenario = SMALL_SCENARIO.replace('nodes: 3', 'nodes: 4').replace(
    /timing: .*/,
    'timing: {drain: 10, stop: 10, replaceSystemDisk: 20, init: 40, start: 20, snapshot: 300, join: 30}',
  );
  fx = await startSmallCloud(0.004, scenario);
  sdk = sdkClient(fx.cloud.endpoint, AK, SECRET);
});
afterAll(async () => {
  await fx?.close();
});

const task = (id: string) => sdk.roa<TaskInfo>('DescribeTaskInfo', 'GET', `/tasks/${id}`);
const states = (info: TaskInfo) => info.stages.map((s) => s.state);

async function upgrade(pool: string, nodes: string[], policy: Record<string, unknown>): Promise<string> {
  const res = await sdk.roa<{ task_id: string }>(
    'UpgradeClusterNodepool',
    'POST',
    `/clusters/c-test/nodepools/${pool}/upgrade`,
    {
      body: {
        runtime_type: 'containerd',
        runtime_version: '1.6.28',
        use_replace: true,
        node_names: nodes,
        rolling_policy: policy,
      },
    },
  );
  return res.task_id;
}

describe('PauseTask, ResumeTask, CancelTask and the rolling policy', () => {
  it('pauses between nodes, resumes, and finishes', async () => {
    const id = await upgrade('np-a', ['pool-a-1', 'pool-a-2'], { max_parallelism: 1 });
    await sdk.roa('PauseTask', 'POST', `/tasks/${id}/pause`, { bodyType: 'none' });
    const paused = await until('the first node to finish', async () => {
      const info = await task(id);
      return info.stages[0]?.state === 'success' ? info : undefined;
    });
    expect(paused.state).toBe('paused');
    // Paused: the task stopped at the node boundary. The runner goes from the first node's end to the next batch
    // without waiting for anything, so by the time the end is seen it has reached the gate, and only ResumeTask
    // lets it past: the second node has not started, its batch was never begun, the last event is the first
    // node's end.
    expect(paused.events.filter((e) => e.reason === 'NodePoolUpgradeBatch')).toHaveLength(1);
    expect(paused.events.at(-1)?.reason).toBe('NodeUpgraded');
    const still = await task(id);
    expect(states(still)).toEqual(['success', 'pending']);
    expect(still.events).toEqual(paused.events);
    await expect(sdk.roa('PauseTask', 'POST', `/tasks/${id}/pause`, { bodyType: 'none' })).rejects.toMatchObject({
      code: 'ErrorTaskStateInvalid',
    });
    await sdk.roa('ResumeTask', 'POST', `/tasks/${id}/resume`, { bodyType: 'none' });
    const done = await until('the task to end', async () => {
      const info = await task(id);
      return info.state === 'success' ? info : undefined;
    });
    expect(states(done)).toEqual(['success', 'success']);
  });

  it('cancels: the node in flight finishes, the rest never starts', async () => {
    const id = await upgrade('np-b', ['pool-b-1', 'pool-b-2'], { max_parallelism: 1 });
    await sdk.roa('CancelTask', 'POST', `/tasks/${id}/cancel`, { bodyType: 'none' });
    const info = await until('the task to be canceled', async () => {
      const t = await task(id);
      return t.state === 'running' ? undefined : t;
    });
    expect(info.state).toBe('canceled');
    expect(states(info)).toEqual(['success', 'canceled']);
    expect(fx.world.getNode('pool-b-2')?.runtime).toBe('docker');
    expect(fx.world.getNode('pool-b-2')?.unschedulable).toBe(false);
  });

  it('pause_policy FirstBatch pauses the task by itself after the first batch', async () => {
    const id = await upgrade('np-a', ['pool-a-3', 'pool-a-4'], { max_parallelism: 1, pause_policy: 'FirstBatch' });
    const paused = await until('the task to pause', async () => {
      const info = await task(id);
      return info.state === 'paused' ? info : undefined;
    });
    expect(states(paused)).toEqual(['success', 'pending']);
    expect(paused.events.map((e) => e.reason)).toContain('TaskPaused');
    await sdk.roa('ResumeTask', 'POST', `/tasks/${id}/resume`, { bodyType: 'none' });
    const done = await until('the task to end', async () => {
      const info = await task(id);
      return info.state === 'success' ? info : undefined;
    });
    expect(states(done)).toEqual(['success', 'success']);
  });

  it('refuses a second task on a busy pool and an unknown task', async () => {
    const id = await upgrade('np-a', ['pool-a-1'], { max_parallelism: 1 });
    // pool-a-1 already runs containerd, so the task is quick; start a scale-out and race it against a second one.
    await until('skip task', async () => ((await task(id)).state === 'success' ? true : undefined));
    const scale = await sdk.roa<{ task_id: string }>(
      'ScaleClusterNodePool',
      'POST',
      '/clusters/c-test/nodepools/np-a',
      {
        body: { count: 1 },
      },
    );
    await expect(
      sdk.roa('ScaleClusterNodePool', 'POST', '/clusters/c-test/nodepools/np-a', { body: { count: 1 } }),
    ).rejects.toMatchObject({ code: 'ErrorNodePoolBusy' });
    await until('scale-out', async () => ((await task(scale.task_id)).state === 'success' ? true : undefined));
    await expect(task('T-000000000000000000000000')).rejects.toMatchObject({ code: 'ErrorTaskNotFound' });
  });
});
