/**
 * precheck-5k: `ack-migrate precheck --json` on the generated 5,000-node / 150,000-pod sandbox (10 pools of 500
 * nodes; pool-1 is checked: its pods are read node by node, not the whole cluster), against the floor of paging
 * every node and every pod (limit 500) with fetch + JSON.parse, measured on the same sandbox in the same run; the
 * `kubectl get nodes -o json` + `kubectl get pods -A -o json` figure is printed beside it. The floor and the
 * precheck run in turn three times: the ratio is of their medians, the peak RSS the highest of the prechecks'. The
 * sandbox runs in its own process, so the precheck's peak RSS is its own. Goal: precheck ≤ 0.5 × floor, peak RSS ≤ 200 MB, for
 * the shipped build (built first, `npm run build`); the same precheck from the sources (tsx) is printed beside it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from '../run.js';

const BIN = fileURLToPath(new URL('../../bin/ack-migrate.js', import.meta.url));
const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The shipped build (`npm run build`; the Docker image runs it): what an SRE runs, without tsx compiling on load. */
const BUILT = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const SCALE = '5000x30';
const POOL = 'pool-1';
const GOAL = { ratio: 0.5, peakRssMb: 200 };
const ROUNDS = 3;

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak RSS in MB, from /usr/bin/time -v or /proc/PID/status VmHWM. */
  peakRssMb: number | undefined;
}

function startSandbox(): Promise<{ child: ChildProcess; env: Record<string, string> }> {
  const child = spawn(process.execPath, [BIN, 'sandbox', '--scale', SCALE, '--time-scale', '0.01'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      lines.close();
      resolve({ child, env: (JSON.parse(line) as { env: Record<string, string> }).env });
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code}) before it was ready: ${stderr.trim()}`)));
  });
}

function vmHwmMb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a command to its end; stdout goes to /dev/null unless `capture`. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, capture: boolean, cwd?: string): Promise<Finished> {
  const useTime = existsSync('/usr/bin/time');
  const [file, argv] = useTime ? ['/usr/bin/time', ['-v', cmd, ...args]] : [cmd, args];
  const t0 = performance.now();
  const child = spawn(file, argv, {
    env,
    ...(cwd ? { cwd } : {}),
    stdio: ['ignore', capture ? 'pipe' : openSync('/dev/null', 'w'), 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let polled: number | undefined;
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const poll = useTime
    ? undefined
    : setInterval(() => {
        const hwm = child.pid === undefined ? undefined : vmHwmMb(child.pid);
        if (hwm !== undefined) polled = Math.max(polled ?? 0, hwm);
      }, 50);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = performance.now() - t0;
      if (poll) clearInterval(poll);
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      resolve({ code, stdout, stderr, ms, peakRssMb: m ? Number(m[1]) / 1024 : polled });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The server and token of the sandbox's kubeconfig (plain http, any token). */
function apiOf(kubeconfig: string): { server: string; token: string } {
  const text = readFileSync(kubeconfig, 'utf8');
  const server = /server:\s*(\S+)/.exec(text)?.[1];
  if (!server) throw new Error(`no server in ${kubeconfig}`);
  return { server, token: /token:\s*(\S+)/.exec(text)?.[1] ?? 'bench' };
}

/** Pages through a list (limit 500, following continue) with fetch + JSON.parse; returns the item count. */
async function pageAll(server: string, token: string, path: string): Promise<number> {
  let count = 0;
  let next: string | undefined;
  do {
    const qs = new URLSearchParams({ limit: '500', ...(next ? { continue: next } : {}) });
    const res = await fetch(`${server}${path}?${qs}`, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
    });
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
    const list = JSON.parse(await res.text()) as { metadata?: { continue?: string }; items?: unknown[] };
    count += list.items?.length ?? 0;
    next = list.metadata?.continue || undefined;
  } while (next);
  return count;
}

/** The floor: every node and every pod of the cluster, paged, fetched and parsed. */
async function floor(kubeconfig: string): Promise<{ ms: number; nodes: number; pods: number }> {
  const { server, token } = apiOf(kubeconfig);
  const t0 = performance.now();
  const nodes = await pageAll(server, token, '/api/v1/nodes');
  const pods = await pageAll(server, token, '/api/v1/pods');
  return { ms: performance.now() - t0, nodes, pods };
}

function hasKubectl(): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => existsSync(`${dir}/kubectl`));
}

const bench: Benchmark = {
  name: 'precheck-5k',
  async run() {
    if (!hasKubectl()) throw new Error('kubectl is not on the PATH: the baseline cannot be measured');
    const build = await run(process.execPath, [TSC, '-p', 'tsconfig.build.json'], { ...process.env }, false, ROOT);
    if (build.code !== 0 || !existsSync(BUILT)) throw new Error(`npm run build failed: ${build.stderr.trim()}`);
    const { child: sandbox, env: sandboxEnv } = await startSandbox();
    try {
      const env = { ...process.env, ...sandboxEnv };
      // The first full read warms the sandbox (its sorted pod keys).
      await floor(sandboxEnv.KUBECONFIG!);
      const fromSource = await run(process.execPath, [BIN, 'precheck', '--pool', POOL, '--json'], env, true);
      if (fromSource.code !== 0) throw new Error(`precheck failed (${fromSource.code}): ${fromSource.stderr.trim()}`);
      // The floor and the shipped precheck in turn, ROUNDS times on the same sandbox: the medians are compared, so
      // a moment of load on the machine does not decide the ratio; the peak RSS is the highest of the runs.
      const floors: number[] = [];
      const prechecks: Finished[] = [];
      let floorItems = { nodes: 0, pods: 0 };
      for (let round = 0; round < ROUNDS; round++) {
        const floorRun = await floor(sandboxEnv.KUBECONFIG!);
        floors.push(floorRun.ms);
        floorItems = { nodes: floorRun.nodes, pods: floorRun.pods };
        const precheck = await run(process.execPath, [BUILT, 'precheck', '--pool', POOL, '--json'], env, true);
        if (precheck.code !== 0) throw new Error(`built precheck failed (${precheck.code}): ${precheck.stderr.trim()}`);
        if (precheck.stdout !== fromSource.stdout) throw new Error('the build and the sources gave different reports');
        prechecks.push(precheck);
      }
      // kubectl's figure last: its unpaginated 150,000-pod list leaves the sandbox's heap large and slows what follows.
      const nodes = await run('kubectl', ['get', 'nodes', '-o', 'json'], env, false);
      const pods = await run('kubectl', ['get', 'pods', '-A', '-o', 'json'], env, false);
      if (nodes.code !== 0 || pods.code !== 0) throw new Error(`kubectl failed: ${nodes.stderr}${pods.stderr}`.trim());
      const report = JSON.parse(fromSource.stdout) as { pool: { nodes: number }; verdict: string };
      const kubectlMs = nodes.ms + pods.ms;
      const precheckMs = median(prechecks.map((p) => p.ms));
      const floorMs = median(floors);
      const ratio = precheckMs / floorMs;
      const rss = prechecks.map((p) => p.peakRssMb);
      const peakRssMb = rss.some((r) => r === undefined) ? undefined : Math.round(Math.max(...(rss as number[])));
      return [
        {
          scale: SCALE,
          pool: POOL,
          poolNodes: report.pool.nodes,
          verdict: report.verdict,
          precheckMs: Math.round(precheckMs),
          precheckRunsMs: prechecks.map((p) => Math.round(p.ms)),
          peakRssRunsMb: rss.map((r) => (r === undefined ? undefined : Math.round(r))),
          // The same command from the TypeScript sources through tsx (a checkout's `npx ack-migrate`).
          precheckFromSourceMs: Math.round(fromSource.ms),
          peakRssFromSourceMb: fromSource.peakRssMb === undefined ? undefined : Math.round(fromSource.peakRssMb),
          floorMs: Math.round(floorMs),
          floorRunsMs: floors.map((f) => Math.round(f)),
          floorItems,
          kubectlMs: Math.round(kubectlMs),
          kubectlNodesMs: Math.round(nodes.ms),
          kubectlPodsMs: Math.round(pods.ms),
          ratio: Math.round(ratio * 1000) / 1000,
          peakRssMb,
          goal: GOAL,
          pass: ratio <= GOAL.ratio && peakRssMb !== undefined && peakRssMb <= GOAL.peakRssMb,
        },
      ];
    } finally {
      sandbox.kill('SIGTERM');
      await new Promise((resolve) => {
        if (sandbox.exitCode !== null) resolve(undefined);
        else sandbox.once('exit', resolve);
      });
    }
  },
};
export default bench;
