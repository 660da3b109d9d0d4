import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sdkClient } from './cloud/sdk-client.js';

const BIN = join(process.cwd(), 'bin', 'ack-migrate.js');
const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-test-'));

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function start(args: string[]) {
  const child = spawn(process.execPath, [BIN, 'sandbox', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const firstLine = new Promise<string>((resolve, reject) => {
    const onData = () => {
      const nl = stdout.indexOf('\n');
      if (nl !== -1) resolve(stdout.slice(0, nl));
    };
    child.stdout.on('data', onData);
    exited.then(() => reject(new Error(`exited before printing a line: ${stderr}`)));
  });
  // Runs that are expected to fail never print a line; only an awaited firstLine should report that.
  firstLine.catch(() => {});
  return { child, firstLine, exited, output: () => ({ stdout, stderr }) };
}

describe('ack-migrate sandbox', () => {
  it('prints one JSON line with the endpoints and env, serves both APIs, and stops cleanly on SIGTERM', async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    const run = start(['--time-scale', '0.01', '--kubeconfig-out', kubeconfig]);
    const line = JSON.parse(await run.firstLine) as {
      k8s: string;
      cloud: string;
      kubeconfig: string;
      env: Record<string, string>;
    };
    expect(line.k8s).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(line.cloud).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(line.kubeconfig).toBe(kubeconfig);
    expect(Object.keys(line.env).sort()).toEqual([
      'ACK_CLUSTER_ID',
      'ALIBABA_CLOUD_ACCESS_KEY_ID',
      'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
      'ALIBABA_CLOUD_CS_ENDPOINT',
      'ALIBABA_CLOUD_ECS_ENDPOINT',
      'ALIBABA_CLOUD_REGION',
      'KUBECONFIG',
    ]);
    expect(line.env).toMatchObject({
      KUBECONFIG: kubeconfig,
      ACK_CLUSTER_ID: 'c-demo',
      ALIBABA_CLOUD_REGION: 'cn-hangzhou',
    });
    expect(readFileSync(kubeconfig, 'utf8')).toContain(`server: ${line.k8s}`);

    const version = (await (await fetch(`${line.k8s}/version`)).json()) as { gitVersion: string };
    expect(version.gitVersion).toBe('v1.22.15-aliyun.1');
    const sdk = sdkClient(
      line.env['ALIBABA_CLOUD_CS_ENDPOINT']!,
      line.env['ALIBABA_CLOUD_ACCESS_KEY_ID']!,
      line.env['ALIBABA_CLOUD_ACCESS_KEY_SECRET']!,
    );
    const pools = await sdk.roa<{
      nodepools: Array<{ nodepool_info: { name: string }; status: { total_nodes: number } }>;
    }>('DescribeClusterNodePools', 'GET', '/clusters/c-demo/nodepools');
    expect(pools.nodepools.map((p) => [p.nodepool_info.name, p.status.total_nodes])).toEqual([
      ['pool-a', 6],
      ['pool-b', 3],
    ]);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output().stdout.trim().split('\n')).toHaveLength(1);
    expect(run.output().stderr).toBe('');
  });

  it('serves a fleet: one kubeconfig context per cluster id, every cluster in the printed line', async () => {
    const scenario = join(dir, 'fleet.yaml');
    const pool = (id: string) =>
      `{ id: ${id}, name: pool-a, runtime: docker, runtimeVersion: 19.03.15, nodes: 1, instanceType: ecs.g7.large }`;
    writeFileSync(
      scenario,
      [
        'clusters:',
        '  - cluster: { id: c-one, name: one, region: cn-hangzhou, version: 1.22.15-aliyun.1 }',
        `    nodePools: [${pool('np-1')}]`,
        '  - cluster: { id: c-two, name: two, region: cn-beijing, version: 1.22.15-aliyun.1 }',
        `    nodePools: [${pool('np-2')}]`,
      ].join('\n'),
    );
    const kubeconfig = join(dir, 'fleet-kubeconfig');
    const run = start(['--scenario', scenario, '--time-scale', '0.01', '--kubeconfig-out', kubeconfig]);
    const line = JSON.parse(await run.firstLine) as {
      k8s: string;
      env: Record<string, string>;
      clusters: Array<{ id: string; region: string; k8s: string }>;
    };
    expect(line.clusters.map((c) => [c.id, c.region])).toEqual([
      ['c-one', 'cn-hangzhou'],
      ['c-two', 'cn-beijing'],
    ]);
    expect(line.clusters[0]!.k8s).toBe(line.k8s);
    expect(line.env.ACK_CLUSTER_ID).toBe('c-one');
    const written = readFileSync(kubeconfig, 'utf8');
    for (const c of line.clusters) {
      expect(written).toContain(`name: ${c.id}`);
      expect(written).toContain(`server: ${c.k8s}`);
    }
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('serves a generated scale scenario with --scale', async () => {
    const run = start(['--scale', '30x4', '--time-scale', '0.01']);
    const line = JSON.parse(await run.firstLine) as { k8s: string; kubeconfig: string };
    const nodes = (await (await fetch(`${line.k8s}/api/v1/nodes`)).json()) as { items: unknown[] };
    expect(nodes.items).toHaveLength(30);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it('refuses bad flags and a missing scenario with one line and exit 2', async () => {
    for (const args of [
      ['--time-scale', 'fast'],
      ['--scenario', join(dir, 'nope.yaml')],
      ['--scale', '10'],
    ]) {
      const run = start(args);
      expect(await run.exited).toBe(2);
      const { stdout, stderr } = run.output();
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
