/**
 * The 5,000-node / 150,000-pod sandbox: how long the world takes to build, how much memory it holds, how fast
 * the API pages through every pod, and how long real kubectl needs for `get pods -A` (table) and
 * `get pods -A -o json` against it. `SANDBOX_SCALE_NODES` / `SANDBOX_SCALE_PODS` shrink it for a quick run.
 * kubectl pages 500 pods per request under its default client-side limit of 5 requests a second, so 300 pages
 * take a minute however fast the server answers; `-o json` is bound by kubectl decoding and re-encoding ~700 MB.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { kubeconfigYaml, startKubernetesApi } from '../../src/sandbox/k8s/index.js';
import { generateScaleScenario } from '../../src/sandbox/scenario/index.js';
import { createWorld } from '../../src/sandbox/world/index.js';
import type { Benchmark } from '../run.js';

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** Runs kubectl, counting (not keeping) its output; resolves with wall time and bytes. */
function kubectl(config: string, args: string[]): Promise<{ ms: number; bytes: number; code: number | null }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', args, {
      env: { ...process.env, KUBECONFIG: config },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: Math.round(performance.now() - t0), bytes, code }));
  });
}

const bench: Benchmark = {
  name: 'sandbox-scale',
  async *run() {
    const nodes = Number(process.env['SANDBOX_SCALE_NODES'] ?? 5000);
    const podsPerNode = Number(process.env['SANDBOX_SCALE_PODS'] ?? 30);
    const t0 = performance.now();
    const world = createWorld(generateScaleScenario({ nodes, podsPerNode }), { timeScale: 1 });
    const buildMs = Math.round(performance.now() - t0);
    const api = await startKubernetesApi(world);
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-scale-'));
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 200);
    try {
      yield { metric: 'world-build', value: buildMs, unit: 'ms', nodes, pods: world.workloads.pods.size };
      yield { metric: 'rss-after-build', value: mb(process.memoryUsage().rss), unit: 'MiB' };

      const t1 = performance.now();
      let token = '';
      let pages = 0;
      let bytes = 0;
      do {
        const res = await fetch(`${api.url}/api/v1/pods?limit=500${token ? `&continue=${token}` : ''}`);
        const text = await res.text();
        bytes += text.length;
        pages++;
        // Only the list's head is parsed: this measures the server, not JSON.parse in the same process.
        token = /"continue":"([^"]+)"/.exec(text.slice(0, 1000))?.[1] ?? '';
      } while (token);
      yield {
        metric: 'api-list-all-pods',
        value: Math.round(performance.now() - t1),
        unit: 'ms',
        pages,
        mib: mb(bytes),
      };

      const config = join(dir, 'config');
      writeFileSync(config, kubeconfigYaml(api.url));
      const table = await kubectl(config, ['get', 'pods', '-A']);
      yield { metric: 'kubectl-get-pods-A', value: table.ms, unit: 'ms', exit: table.code, mib: mb(table.bytes) };
      const json = await kubectl(config, ['get', 'pods', '-A', '-o', 'json']);
      yield { metric: 'kubectl-get-pods-A-o-json', value: json.ms, unit: 'ms', exit: json.code, mib: mb(json.bytes) };
      yield { metric: 'sandbox-peak-rss', value: mb(peakRss), unit: 'MiB' };
    } finally {
      clearInterval(sampler);
      await api.close();
      world.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default bench;
