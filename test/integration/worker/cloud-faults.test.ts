/**
 * ACK and ECS as a throttling, failing account answers (docs/contracts.md#scenario-file-format `faults:`): a staging
 * pool whose containerd version is known only from the scenario's versionMetadata migrates through `start --yes
 * --wait` under 20 % Throttling.User and 5 % HTTP 503 on every action. Every node comes up on exactly that version,
 * each system disk is replaced once, and ACK is asked for one upgrade per batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, testPrefix } from '../../support/redis.js';
import { type Lane, scenarioYaml, WorkerHarness } from '../../support/worker-harness.js';

const VERSION = '1.6.97';

describe('a migration under API faults', { timeout: 150_000 }, () => {
  let h: WorkerHarness;
  let lane: Lane;
  beforeAll(async () => {
    h = await WorkerHarness.start({
      prefix: testPrefix('cloud-faults'),
      redisUrl: redisUrl(),
      scenario: scenarioYaml({
        poolA: 1,
        poolB: 4,
        faults: `
  - { action: "*", status: 400, code: Throttling.User, rate: 0.2 }
  - { action: "*", status: 503, code: ServiceUnavailable, rate: 0.05 }
faultSeed: 7
versionMetadata:
  - { version: 1.22.15-aliyun.1, runtimes: [{ name: docker, version: 19.03.15 }, { name: containerd, version: "${VERSION}" }] }`,
      }),
    });
    lane = await h.lane();
    await lane.worker();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('completes start --yes --wait: every node on the scenario containerd, one upgrade per batch', async () => {
    const before = await h.gateways.cloud.listPoolNodes('c-demo', 'np-b').catch(() => []);
    const run = await lane.cli(['start', 'pool-b', '--yes', '--wait', '--max-parallel', '2']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [status] = await lane.client.service.status('pool-b');
    const record = await lane.record(status!.migrationId);
    expect(record.state).toBe('completed');

    const nodes = await h.gateways.cluster.listPoolNodes('np-b');
    expect(nodes).toHaveLength(4);
    for (const n of nodes) expect(n).toMatchObject({ runtimeVersion: `containerd://${VERSION}`, ready: true });

    const stats = (await (await fetch(`http://${h.sandbox.env.ALIBABA_CLOUD_CS_ENDPOINT}/sandbox/stats`)).json()) as {
      actions: Record<string, number>;
      injected: Record<string, number>;
      instances: Record<string, Record<string, number>>;
    };
    for (const n of nodes) expect(stats.instances[n.instanceId!]?.ReplaceSystemDisk).toBe(1);
    expect(stats.actions.UpgradeClusterNodepool).toBe(record.batches.length);
    const injected = Object.values(stats.injected).reduce((a, b) => a + b, 0);
    const served = Object.values(stats.actions).reduce((a, b) => a + b, 0);
    expect(injected).toBeGreaterThan(0);
    // The numbers of the run, for the report: calls per node, faults met and retried.
    const ours = h.gateways.cloud.stats();
    console.info(
      JSON.stringify({
        nodes: nodes.length,
        before: before.length,
        served,
        injected,
        injectedByAction: stats.injected,
        servedByAction: stats.actions,
        callsPerNode: Math.round(served / nodes.length),
        retries: ours.retries,
        failures: ours.failures,
      }),
    );
  });
});
