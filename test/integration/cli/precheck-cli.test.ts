import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrecheckReport } from '../../../src/domain/precheck/report.js';
import { loadScenarioFile } from '../../../src/sandbox/scenario/index.js';
import { DEMO_SCENARIO_PATH, type Sandbox, startSandbox } from '../../../src/sandbox/start-sandbox.js';

const BIN = fileURLToPath(new URL('../../../bin/ack-migrate.js', import.meta.url));
let sandbox: Sandbox;

const RUNS: Record<string, string[]> = {
  json: ['precheck', '--pool', 'pool-a', '--json'],
  text: ['precheck', '--pool', 'pool-a', '--cluster', 'c-demo', '--max-parallel', '2'],
  containerd: ['precheck', '--pool', 'pool-c', '--json'],
  unknownPool: ['precheck', '--pool', 'pool-x'],
  unknownCluster: ['precheck', '--pool', 'pool-a', '--cluster', 'c-nope'],
  plan: ['plan', '--pool', 'pool-b', '--max-parallel', '2', '--json'],
  planNodes: ['plan', '--nodes', '100', '--max-parallel', '10', '--json'],
};
const runs = new Map<string, Run>();

function run(name: keyof typeof RUNS): Run {
  return runs.get(name)!;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, ...sandbox.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  // The demo, plus a pool that already runs containerd.
  const scenario = loadScenarioFile(DEMO_SCENARIO_PATH);
  scenario.nodePools.push({
    id: 'np-c',
    name: 'pool-c',
    runtime: 'containerd',
    runtimeVersion: '1.6.28',
    nodes: 2,
    instanceType: 'ecs.g7.large',
    labels: {},
  });
  sandbox = await startSandbox({ scenario, timeScale: 0.002 });
  // Each run is a fresh process that loads the SDKs: run them all at once, then each test reads its own.
  await Promise.all(Object.entries(RUNS).map(async ([name, args]) => runs.set(name, await cli(args))));
}, 180_000);

afterAll(async () => {
  await sandbox?.stop();
});

describe('ack-migrate precheck', () => {
  it('names every problem planted on pool-a with its rule and object, and nothing else', async () => {
    const result = run('json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as PrecheckReport;
    expect(Object.keys(report)).toEqual(['cluster', 'pool', 'verdict', 'findings', 'plan']);
    // One line per planted object in src/sandbox/scenarios/demo/planted.yaml ("trips: <rule>").
    const found = report.findings.map(
      (f) => `${f.rule} ${f.severity} ${f.object.kind} ${f.object.namespace}/${f.object.name}`,
    );
    expect(found.sort()).toEqual(
      [
        'docker-socket blocker DaemonSet monitoring/node-agent',
        'docker-socket blocker Deployment ci/build-proxy',
        'docker-socket blocker CronJob ci/image-prune',
        'docker-data-dir warning DaemonSet logging/log-collector',
        'docker-cli warning Deployment ci/ci-runner',
        'system-disk-hostpath warning Deployment cache/image-cache',
        'emptydir info Deployment web/session-cache',
        'single-replica warning Deployment web/admin-portal',
        'pdb-blocking blocker PodDisruptionBudget payments/ledger',
        'bare-pod warning Pod default/debug-shell',
      ].sort(),
    );
    for (const f of report.findings) {
      expect(Object.keys(f)).toEqual(['rule', 'severity', 'object', 'message', 'hint']);
      expect(f.message.length).toBeGreaterThan(0);
      expect(f.hint.length).toBeGreaterThan(0);
    }
    expect(report.verdict).toBe('blocked');
    // The containerd ACK's DescribeKubernetesVersionMetadata offers for the cluster's 1.22.15-aliyun.1.
    expect(report.plan.containerdVersion).toBe('1.6.28');
    expect(report.pool).toEqual({
      id: 'np-a',
      name: 'pool-a',
      runtime: 'docker',
      runtimeVersion: '19.03.15',
      nodes: 6,
    });
    expect(report.plan.batches.flat().sort()).toEqual([
      'pool-a-1',
      'pool-a-2',
      'pool-a-3',
      'pool-a-4',
      'pool-a-5',
      'pool-a-6',
    ]);
  });

  it('prints a readable report grouped by severity, with hints and the plan', async () => {
    const result = run('text');
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toContain('Verdict: BLOCKED');
    const blockers = out.indexOf('Blockers (4)');
    const warnings = out.search(/Warnings \(\d+\)/);
    const info = out.indexOf('Info (1)');
    expect(blockers).toBeGreaterThan(0);
    expect(warnings).toBeGreaterThan(blockers);
    expect(info).toBeGreaterThan(warnings);
    expect(out.slice(blockers, warnings)).toContain('docker-socket  DaemonSet monitoring/node-agent');
    expect(out).toMatch(/→ .+/);
    expect(out).toContain('Plan: 4 batches, max parallel 2, about 32 min, to containerd 1.6.28');
  });

  it('gives the verdict nothing-to-do for a pool already on containerd', async () => {
    const result = run('containerd');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as PrecheckReport;
    expect(report.verdict).toBe('nothing-to-do');
    expect(report.findings.map((f) => f.rule)).toEqual(['already-containerd']);
  });

  it('exits 2 with one line naming the pools when the pool is unknown', async () => {
    const result = run('unknownPool');
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'ack-migrate: unknown pool "pool-x" in cluster c-demo; pools: pool-a (np-a), pool-b (np-b), pool-c (np-c)\n',
    );
  });

  it('exits 2 with one line naming the cluster when the cluster is unknown', async () => {
    const result = run('unknownCluster');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('ack-migrate: unknown cluster "c-nope"; clusters: c-demo (demo)\n');
  });
});

describe('ack-migrate plan --pool', () => {
  it('plans the real pool, and --nodes keeps working', async () => {
    const result = run('plan');
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as { batches: string[][]; maxParallel: number; pool: { id: string } };
    expect(plan.pool.id).toBe('np-b');
    expect(plan.maxParallel).toBe(2);
    expect(plan.batches.flat().sort()).toEqual(['pool-b-1', 'pool-b-2', 'pool-b-3']);
    const nodes = run('planNodes');
    expect(JSON.parse(nodes.stdout)).toEqual({
      batches: [1, 2, 4, 8, 10, 10, 10, 10, 10, 10, 10, 10, 5],
      estimatedMinutes: 104,
      maxParallel: 10,
    });
  });
});
