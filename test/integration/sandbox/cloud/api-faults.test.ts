/**
 * The sandbox as a real account answers beyond the happy path (docs/contracts.md#scenario-file-format): scenario API
 * faults by action and rate, repeatable by faultSeed and counted under `injected`; an upgrade whose drain a PDB holds
 * past drainGrace ends `fail`, naming the pod and the PDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AK, type CloudFixture, SECRET, SMALL_SCENARIO, startSmallCloud, until } from './fixtures.js';
import { type SdkClient, sdkClient } from './sdk-client.js';

const LEDGER = `
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: ledger, namespace: default}
    spec:
      replicas: 1
      selector: {matchLabels: {app: ledger}}
      template:
        metadata: {labels: {app: ledger}}
        spec: {nodeSelector: {team: web}, containers: [{name: ledger, image: nginx:1.25}]}
  - apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {name: ledger, namespace: default}
    spec: {maxUnavailable: 0, selector: {matchLabels: {app: ledger}}}
`;
const SCENARIO = `${SMALL_SCENARIO.replace('\ntiming: {drain: 30,', `${LEDGER}timing: {drainGrace: 60, drain: 30,`)}faults:
  - {action: DescribeClusterDetail, status: 400, code: Throttling.User, rate: 0.5}
faultSeed: 3
`;

let fx: CloudFixture;
let sdk: SdkClient;

beforeAll(async () => {
  fx = await startSmallCloud(0.002, SCENARIO);
  sdk = sdkClient(fx.cloud.endpoint, AK, SECRET);
});
afterAll(async () => {
  await fx?.close();
});

async function stats() {
  const res = await fetch(`http://${fx.cloud.endpoint}/sandbox/stats`);
  return (await res.json()) as { actions: Record<string, number>; injected: Record<string, number> };
}

describe('scenario API faults', () => {
  it('answer about `rate` of the calls of their action with their code, counted apart from the served ones', async () => {
    let refused = 0;
    for (let i = 0; i < 40; i++) {
      try {
        await sdk.roa('DescribeClusterDetail', 'GET', '/clusters/c-test');
      } catch (error) {
        expect(error).toMatchObject({ code: 'Throttling.User' });
        refused++;
      }
    }
    const now = await stats();
    expect(refused).toBeGreaterThan(8);
    expect(refused).toBeLessThan(32);
    expect(now.injected.DescribeClusterDetail).toBe(refused);
    expect(now.actions.DescribeClusterDetail).toBe(40 - refused);
    // Other actions are not touched.
    await sdk.roa('DescribeClusterNodePools', 'GET', '/clusters/c-test/nodepools');
    expect((await stats()).injected.DescribeClusterNodePools).toBeUndefined();
  });
});

describe('a drain that a PodDisruptionBudget holds', () => {
  it('ends the upgrade after drainGrace, the error naming the pod and the PDB', async () => {
    const node = fx.world.podsOnNode('pool-a-1').some((p) => p.name.startsWith('ledger'))
      ? 'pool-a-1'
      : fx.world.listNodes('np-a').find((n) => fx.world.podsOnNode(n.name).some((p) => p.name.startsWith('ledger')))!
          .name;
    const { task_id } = await sdk.roa<{ task_id: string }>(
      'UpgradeClusterNodepool',
      'POST',
      '/clusters/c-test/nodepools/np-a/upgrade',
      { body: { runtime_type: 'containerd', runtime_version: '1.6.28', use_replace: true, node_names: [node] } },
    );
    const task = await until(
      'the upgrade to end',
      async () => {
        const t = await sdk.roa<{ state: string; error?: { code: string; message: string } }>(
          'DescribeTaskInfo',
          'GET',
          `/tasks/${task_id}`,
        );
        return t.state === 'running' ? undefined : t;
      },
      20_000,
    );
    expect(task.state).toBe('fail');
    expect(task.error?.code).toBe('NodeDrainTimeout');
    expect(task.error?.message).toMatch(/ledger-.*PodDisruptionBudget .*ledger/);
    expect(fx.world.getNode(node)?.runtime).toBe('docker');
  });
});
