/**
 * Real kubectl (the machine's v1.32) against the sandbox's Kubernetes API on the demo scenario: what an
 * operator would type, with the output and the world checked afterwards.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type KubernetesApi, kubeconfigYaml, startKubernetesApi } from '../../../../src/sandbox/k8s/index.js';
import { loadScenarioFile } from '../../../../src/sandbox/scenario/index.js';
import { createWorld, type World } from '../../../../src/sandbox/world/index.js';

const DEMO = new URL('../../../../src/sandbox/scenarios/demo.yaml', import.meta.url).pathname;

let world: World;
let api: KubernetesApi;
let dir: string;

beforeAll(async () => {
  world = createWorld(loadScenarioFile(DEMO), { timeScale: 0.02 });
  api = await startKubernetesApi(world);
  dir = mkdtempSync(join(tmpdir(), 'kubectl-'));
  writeFileSync(join(dir, 'config'), kubeconfigYaml(api.url));
});

afterAll(async () => {
  await api?.close();
  world?.close();
  rmSync(dir, { recursive: true, force: true });
});

function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'kubectl',
      args,
      { env: { ...process.env, KUBECONFIG: join(dir, 'config'), HOME: dir }, timeout: 90_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function rows(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/));
}

/** A pool-a node whose pods kubectl can drain (no PDB-blocked ledger pod, no bare pod). */
function drainableNode(): string {
  return world
    .listNodes('np-a')
    .find((n) => !world.podsOnNode(n.name).some((p) => p.namespace === 'payments' || p.bare) && !n.unschedulable)!.name;
}

describe('kubectl against the sandbox', () => {
  it('get nodes -o wide shows the pools with runtime, IP and version', async () => {
    const { code, stdout } = await kubectl('get', 'nodes', '-o', 'wide');
    expect(code).toBe(0);
    const table = rows(stdout);
    expect(table[0]).toEqual([
      'NAME',
      'STATUS',
      'ROLES',
      'AGE',
      'VERSION',
      'INTERNAL-IP',
      'EXTERNAL-IP',
      'OS-IMAGE',
      'KERNEL-VERSION',
      'CONTAINER-RUNTIME',
    ]);
    const body = table.slice(1);
    expect(body.map((r) => r[0])).toEqual([
      'pool-a-1',
      'pool-a-2',
      'pool-a-3',
      'pool-a-4',
      'pool-a-5',
      'pool-a-6',
      'pool-b-1',
      'pool-b-2',
      'pool-b-3',
    ]);
    for (const r of body) {
      expect(r[1]).toBe('Ready');
      expect(r[4]).toBe('v1.22.15-aliyun.1');
      expect(r[5]).toBe(world.getNode(r[0]!)!.internalIp);
      expect(r[9]).toBe('docker://19.3.15');
    }
  });

  it('get pods -A lists every pod with its namespace', async () => {
    const { code, stdout } = await kubectl('get', 'pods', '-A');
    expect(code).toBe(0);
    const table = rows(stdout);
    expect(table[0]).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(table.length - 1).toBe(world.workloads.pods.size);
    expect(table).toContainEqual(['default', 'debug-shell', '1/1', 'Running', '0', '3d']);
    expect(table.filter((r) => r[0] === 'payments' && r[1]!.startsWith('ledger-'))).toHaveLength(3);
  });

  it('cordon and uncordon flip spec.unschedulable', async () => {
    const node = drainableNode();
    const cordon = await kubectl('cordon', node);
    expect(cordon).toMatchObject({ code: 0, stdout: `node/${node} cordoned\n` });
    expect(world.getNode(node)!.unschedulable).toBe(true);
    const shown = await kubectl('get', 'node', node);
    expect(rows(shown.stdout)[1]![1]).toBe('Ready,SchedulingDisabled');
    expect((await kubectl('cordon', node)).stdout).toBe(`node/${node} already cordoned\n`);
    expect((await kubectl('uncordon', node)).code).toBe(0);
    expect(world.getNode(node)!.unschedulable).toBe(false);
  });

  it('drains a node: evicted pods come back on other nodes, DaemonSet pods stay', async () => {
    const node = drainableNode();
    const before = world.podsOnNode(node);
    const movable = before.filter((p) => p.group?.kind !== 'DaemonSet');
    expect(movable.length).toBeGreaterThan(0);
    const { code, stdout, stderr } = await kubectl(
      'drain',
      node,
      '--ignore-daemonsets',
      '--delete-emptydir-data',
      '--timeout=60s',
    );
    expect(stderr).toContain('Warning: ignoring DaemonSet-managed Pods');
    expect(code).toBe(0);
    expect(stdout).toContain(`node/${node} cordoned`);
    expect(stdout).toContain(`node/${node} drained`);
    for (const pod of movable) expect(stdout).toContain(`pod/${pod.name} evicted`);
    expect(world.podsOnNode(node).every((p) => p.group?.kind === 'DaemonSet')).toBe(true);
    // Each evicted pod's controller has a Ready replacement elsewhere.
    await vi.waitFor(
      () => {
        for (const pod of movable) {
          const siblings = [...pod.group!.pods];
          expect(siblings.length).toBe(world.workloads.desired(pod.group!));
          expect(siblings.every((p) => p.nodeName !== node && world.podReady(p))).toBe(true);
        }
      },
      { timeout: 10_000, interval: 100 },
    );
    const listed = await kubectl('get', 'pods', '-A', '-o', 'wide', '--field-selector', `spec.nodeName=${node}`);
    expect(
      rows(listed.stdout)
        .slice(1)
        .every((r) => /^(kube-proxy-worker|terway-eniip|node-agent|log-collector)-/.test(r[1]!)),
    ).toBe(true);
  });

  it('a drain blocked by a PDB is refused with 429 until its timeout', async () => {
    const ledger = [...world.workloads.pods.all()].find((p) => p.namespace === 'payments')!;
    const node = ledger.nodeName!;
    const { code, stderr } = await kubectl(
      'drain',
      node,
      '--ignore-daemonsets',
      '--delete-emptydir-data',
      '--force',
      '--timeout=5s',
    );
    expect(code).not.toBe(0);
    expect(stderr).toContain(
      `error when evicting pods/"${ledger.name}" -n "payments" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`,
    );
    expect(stderr).toContain('global timeout reached: 5s');
    expect(stderr).toContain(`unable to drain node "${node}"`);
    expect(world.workloads.pods.get('payments', ledger.name)?.nodeName).toBe(node);
    expect(world.getNode(node)!.unschedulable).toBe(true);
  });

  it('get nodes -w prints a cordon as it happens', async () => {
    const child = spawn('kubectl', ['get', 'nodes', '-w'], {
      env: { ...process.env, KUBECONFIG: join(dir, 'config'), HOME: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    try {
      await vi.waitFor(() => expect(out).toContain('pool-b-3'), { timeout: 10_000, interval: 50 });
      world.setUnschedulable('pool-b-2', true);
      await vi.waitFor(
        () => expect(out).toMatch(/\npool-b-2\s+Ready,SchedulingDisabled\s+<none>\s+3d\s+v1\.22\.15-aliyun\.1\n/),
        {
          timeout: 10_000,
          interval: 50,
        },
      );
    } finally {
      child.kill();
      world.setUnschedulable('pool-b-2', false);
    }
  });

  it('reads workloads and PDBs with live status', async () => {
    const pdb = await kubectl('get', 'pdb', '-n', 'payments', 'ledger', '-o', 'json');
    expect(JSON.parse(pdb.stdout).status).toMatchObject({
      disruptionsAllowed: 0,
      currentHealthy: 3,
      desiredHealthy: 3,
      expectedPods: 3,
    });
    const ds = await kubectl('get', 'daemonsets', '-A');
    expect(rows(ds.stdout)).toContainEqual(['monitoring', 'node-agent', '6', '6', '6', '6', '6', '3d']);
    const cron = await kubectl('get', 'cronjob', '-n', 'ci', 'image-prune', '-o', 'jsonpath={.spec.schedule}');
    expect(cron.stdout).toBe('0 3 * * *');
  });
});
