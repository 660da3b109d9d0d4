/**
 * The production gate cannot be walked around (docs/architecture.md#approvals-and-rights): a staging cluster whose
 * pool prod-x (np-prod-x) is production by name, and an OS user (root here) who is NOT a CLI approver. Whatever the
 * pool is called, by name or id, and whatever ACK_MIGRATE_CLI_USER says, `start --yes` changes no node and writes
 * no approval; `--override-blockers` is refused at once to a non-approver, and `--yes` never overrides blockers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFileSchema } from '../../../src/config/config-file.js';
import { redisUrl, testPrefix } from '../../support/redis.js';
import { type Lane, scenarioYaml, WorkerHarness } from '../../support/worker-harness.js';

const config = configFileSchema.parse({
  clusters: [
    {
      id: 'c-demo',
      environment: 'staging',
      pools: { 'prod-x': { environment: 'production' } },
      // root (the OS user of this test) is no CLI approver; alice is, and only by name in the config.
      approvers: { slack: ['U0APPROVER'], cli: ['alice'] },
    },
  ],
  settings: { allowSelfApproval: false, approvalTtl: '1h' },
});

let h: WorkerHarness;
let lane: Lane;

beforeAll(async () => {
  h = await WorkerHarness.start({
    prefix: testPrefix('gate'),
    redisUrl: redisUrl(),
    config,
    scenario: scenarioYaml({ poolA: 2, poolB: 2, pools: [{ name: 'prod-x', nodes: 2 }] }),
  });
  lane = await h.lane();
  await lane.spawnWorker();
});
afterAll(async () => {
  await h?.close();
});

async function replacedDisks(): Promise<number> {
  const stats = await h.stats();
  return Object.values(stats.instances).reduce((n, ops) => n + (ops.ReplaceSystemDisk ?? 0), 0);
}

describe('the production gate, from the CLI of an OS user who is not a CLI approver', () => {
  it('refuses start --yes by name, by id, and with ACK_MIGRATE_CLI_USER naming an approver: no node changed, no approval', {
    timeout: 90_000,
  }, async () => {
    const disks = await replacedDisks();
    for (const [args, env] of [
      [['start', 'prod-x', '--yes'], {}],
      [['start', 'np-prod-x', '--yes'], {}],
      [['start', 'np-prod-x', '--yes', '--wait'], { ACK_MIGRATE_CLI_USER: 'alice' }],
    ] as const) {
      const run = await lane.cli([...args], { ...env });
      expect(run.code, `${args.join(' ')}: ${run.stdout}${run.stderr}`).toBe(2);
      expect(run.stderr).toBe(
        'ack-migrate: --yes needs root in approvers.cli of cluster c-demo (the pool is production)\n',
      );
    }
    expect(await lane.client.store.forPool('c-demo', 'np-prod-x')).toEqual([]);
    expect(await lane.client.store.forPool('c-demo', 'prod-x')).toEqual([]);
    const history = await lane.client.service.history(undefined, 100);
    expect(history.filter((e) => e.action === 'approve')).toEqual([]);
    expect(history.filter((e) => e.action === 'start').map((e) => [e.userId, e.outcome])).toEqual([
      ['root', 'refused'],
      ['root', 'refused'],
      ['root', 'refused'],
    ]);
    expect(await replacedDisks()).toBe(disks);
  });

  it('refuses --override-blockers to a non-approver at once, before anything is enqueued', async () => {
    const run = await lane.cli(['start', 'np-prod-x', '--override-blockers']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'ack-migrate: --override-blockers needs root in approvers.cli of cluster c-demo (the pool is production)\n',
    );
    expect(await lane.client.store.forPool('c-demo', 'np-prod-x')).toEqual([]);
  });

  it('refuses an unknown pool before anything is enqueued, naming the pools there are', async () => {
    const run = await lane.cli(['start', 'pool-zzz', '--yes']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^ack-migrate: unknown pool "pool-zzz" in cluster c-demo; pools: .*pool-a \(np-a\).*prod-x \(np-prod-x\)/,
    );
    expect(await lane.client.store.recent(50)).toEqual([]);
  });

  it('a typed pool id of a staging pool runs with --yes by a non-approver; the record knows the pool by name', async () => {
    const run = await lane.cli(['start', 'np-b', '--yes', '--wait', '--max-parallel', '2']);
    expect(run.code, run.stderr).toBe(0);
    const [record] = await lane.client.store.forPool('c-demo', 'pool-b');
    expect(record).toMatchObject({ poolId: 'np-b', poolName: 'pool-b', production: false, state: 'completed' });
    expect((await lane.client.store.forPool('c-demo', 'np-b')).map((r) => r.id)).toEqual([record!.id]);
  });
});

/** A production pool with a docker.sock DaemonSet on it (a precheck blocker); root is a CLI approver here. */
const blockerManifests = `
manifests:
  - apiVersion: v1
    kind: Namespace
    metadata: { name: monitoring }
  - apiVersion: apps/v1
    kind: DaemonSet
    metadata: { name: node-agent, namespace: monitoring, labels: { app: node-agent } }
    spec:
      selector: { matchLabels: { app: node-agent } }
      template:
        metadata: { labels: { app: node-agent } }
        spec:
          nodeSelector: { alibabacloud.com/nodepool-id: np-blk }
          containers:
            - name: agent
              image: registry.cn-hangzhou.aliyuncs.com/demo/node-agent:3.1.0
              volumeMounts: [{ name: docker-sock, mountPath: /var/run/docker.sock }]
          volumes:
            - { name: docker-sock, hostPath: { path: /var/run/docker.sock, type: Socket } }
`;

describe('precheck blockers and --yes, from the CLI of a CLI approver', () => {
  let hb: WorkerHarness;
  let approverLane: Lane;
  beforeAll(async () => {
    hb = await WorkerHarness.start({
      prefix: testPrefix('gate-blk'),
      redisUrl: redisUrl(),
      scenario: scenarioYaml({ poolA: 1, poolB: 1, pools: [{ name: 'blk', nodes: 2 }], extra: blockerManifests }),
    });
    approverLane = await hb.lane();
    await approverLane.spawnWorker();
  });
  afterAll(async () => {
    await hb?.close();
  });

  it('start --yes does not override blockers: it ends at once, naming them, with no node changed', async () => {
    const run = await approverLane.cli(['start', 'blk', '--yes', '--wait']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /aborted: 0\/2 nodes migrated \(the precheck found \d+ blocker\(s\) \(docker-socket\); --yes does not override them/,
    );
    const [record] = await approverLane.client.store.forPool('c-demo', 'blk');
    expect(record).toMatchObject({ state: 'aborted' });
    expect(record!.batches.filter((b) => b.state !== 'pending')).toEqual([]);
    const history = await approverLane.client.service.history('blk');
    expect(history.filter((e) => e.action === 'approve' || e.action === 'override-blockers')).toEqual([]);
  });

  it('start --yes --override-blockers by a CLI approver runs, and the override is audited', async () => {
    const run = await approverLane.cli([
      'start',
      'blk',
      '--yes',
      '--override-blockers',
      '--wait',
      '--max-parallel',
      '2',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('completed: 2/2 nodes migrated');
    const history = await approverLane.client.service.history('blk');
    const override = history.find((e) => e.action === 'override-blockers');
    expect(override).toMatchObject({ userId: 'root', platform: 'cli', outcome: 'ok' });
    expect(override?.detail).toContain('docker-socket');
  });
});
