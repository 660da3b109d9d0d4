/**
 * A dev sandbox saved while ESS was still creating a new pool's instances (src/sandbox/persist/): on restore the
 * create task is finished as ACK would have finished it meanwhile, with every node it was asked for, not only the
 * ones that had appeared before the stop.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { captureSandbox, restoreSandbox } from '../../../src/sandbox/persist/persist-sandbox.js';
import { parseScenario } from '../../../src/sandbox/scenario/load-scenario.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/start-sandbox.js';
import { SMALL_SCENARIO, until } from './cloud/fixtures.js';
import { sdkClient } from './cloud/sdk-client.js';

const quiet = { info: () => undefined, warn: () => undefined };
// Joins take 2,000 simulated seconds: ESS adds one instance every 250 s (0.5 s real), so the stop lands mid-join.
const scenario = () => parseScenario(SMALL_SCENARIO.replace('join: 120', 'join: 2000'), process.cwd(), 'persist');

describe('sandbox restore mid-join', { timeout: 60_000 }, () => {
  const sandboxes: Sandbox[] = [];
  afterAll(async () => {
    for (const s of sandboxes) await s.stop().catch(() => undefined);
  });

  it('brings the new pool up to its desired size, every node Ready', async () => {
    const first = await startSandbox({ scenario: scenario(), timeScale: 0.002 });
    sandboxes.push(first);
    const sdk = sdkClient(
      first.cloud.endpoint,
      first.env.ALIBABA_CLOUD_ACCESS_KEY_ID,
      first.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
    );
    const created = await sdk.roa<{ nodepool_id: string; task_id: string }>(
      'CreateClusterNodePool',
      'POST',
      '/clusters/c-test/nodepools',
      {
        body: {
          nodepool_info: { name: 'pool-a-containerd', type: 'ess' },
          kubernetes_config: { runtime: 'containerd', runtime_version: '1.6.28' },
          scaling_group: { instance_types: ['ecs.g7.xlarge'], desired_size: 4, key_pair: 'k' },
        },
      },
    );
    const poolId = created.nodepool_id;
    await until('the first instance of the new pool', async () =>
      first.world.listNodes(poolId).length > 0 ? true : undefined,
    );
    const saved = captureSandbox(first);
    const before = first.world.listNodes(poolId).length;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(4);
    await first.stop();

    const second = await startSandbox({ scenario: scenario(), timeScale: 0.002 });
    sandboxes.push(second);
    const summary = restoreSandbox(second, saved, quiet);
    expect(summary.finishedTasks).toContain(created.task_id);
    const nodes = second.world.listNodes(poolId);
    expect(nodes).toHaveLength(4);
    expect(nodes.every((n) => n.ready && n.runtime === 'containerd')).toBe(true);
    expect(second.cloud.state.tasks.get(created.task_id)?.state).toBe('success');
  });
});
