/**
 * Rotate mode where the new pool's nodes take timing.join to appear, one by one as ESS creates them
 * (docs/architecture.md#migration-pipeline): the pool is created at its full size once and its create task followed,
 * never scaled by a guess from a total_nodes that is still 0. It ends with exactly as many containerd nodes as the old
 * pool had, on the version DescribeKubernetesVersionMetadata names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFileSchema } from '../../../src/config/config-file.js';
import { redisUrl, testPrefix } from '../../support/redis.js';
import { APPROVER, type Lane, REQUESTER, scenarioYaml, until, WorkerHarness } from '../../support/worker-harness.js';

describe('rotate while new nodes join slowly', { timeout: 120_000 }, () => {
  let h: WorkerHarness;
  let lane: Lane;
  beforeAll(async () => {
    h = await WorkerHarness.start({
      prefix: testPrefix('rotate-join'),
      redisUrl: redisUrl(),
      scenario: scenarioYaml({ poolA: 1, poolB: 0, pools: [{ name: 'pool-r5', nodes: 5 }] }).replace(
        'join: 120',
        'join: 900',
      ),
      config: configFileSchema.parse({
        clusters: [
          {
            id: 'c-demo',
            environment: 'staging',
            approvers: { slack: [APPROVER.userId] },
          },
        ],
      }),
    });
    lane = await h.lane();
    await lane.worker({ timing: { ...h.timing, drainTimeoutMs: 5_000 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('ends with exactly 5 containerd nodes and one CreateClusterNodePool', async () => {
    const { migration } = await lane.client.service.start({
      pool: 'pool-r5',
      mode: 'rotate',
      snapshot: false,
      soakSeconds: 0,
      maxParallel: 2,
      origin: REQUESTER,
    });
    const id = migration.migrationId;
    const asking = await until(
      'remove-old-pool approval',
      async () => {
        const r = await lane.record(id);
        if (r.state === 'paused' || r.state === 'aborted') throw new Error(`${r.state}: ${r.reason}`);
        return r.pending?.subject === 'remove-old-pool' ? r : undefined;
      },
      90_000,
    );
    await lane.client.service.decide({
      migrationId: id,
      decision: 'approve',
      nonce: asking.pending!.nonce,
      actor: APPROVER,
    });
    const done = await lane.untilState(id, ['completed', 'paused', 'aborted'], 60_000);
    expect(done.reason).toBeUndefined();
    expect(done.state).toBe('completed');
    const fresh = (await h.gateways.cloud.listNodePools('c-demo')).find((p) => p.name === 'pool-r5-containerd')!;
    const nodes = await h.gateways.cluster.listPoolNodes(fresh.id);
    expect(nodes).toHaveLength(5);
    for (const n of nodes) expect(n).toMatchObject({ ready: true, runtimeVersion: 'containerd://1.6.28' });
    const { actions } = await h.stats();
    expect(actions.CreateClusterNodePool).toBe(1);
    expect(actions).not.toHaveProperty('ScaleClusterNodePool');
    expect(await h.gateways.cluster.listPoolNodes('np-pool-r5')).toEqual([]);
  });
});
