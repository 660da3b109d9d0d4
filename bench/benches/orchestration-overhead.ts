/**
 * orchestration-overhead: an in-place migration of a 200-node pool at max parallelism 10 (23 batches) against
 * the sandbox with a time scale that makes cloud steps near-instant, with the real worker, queue and Redis.
 * Reports the bot's own overhead per batch (wall time minus the time spent waiting on Kubernetes, the cloud
 * and poll sleeps) and the cloud + Kubernetes API calls per node. Goal: < 250 ms per batch, ≤ 25 calls per node.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createGateways } from '../../src/app/gateways.js';
import { createMigrationClient } from '../../src/app/migration-client.js';
import { startWorkers } from '../../src/app/worker-runtime.js';
import { configFileSchema } from '../../src/config/config-file.js';
import { loadConfig } from '../../src/config/load-config.js';
import { resolveRedis } from '../../src/infra/redis/private-redis.js';
import { createLogger } from '../../src/log/logger.js';
import { generateScaleScenario } from '../../src/sandbox/scenario/index.js';
import { startSandbox } from '../../src/sandbox/start-sandbox.js';
import { scaleTiming } from '../../src/services/pipeline/timing.js';
import type { Benchmark } from '../run.js';

const NODES = 200;
const MAX_PARALLEL = 10;
const TIME_SCALE = 0.0002;
const GOAL = { overheadMsPerBatch: 250, callsPerNode: 25 };

/** Time during which at least one wait (API call or poll sleep) was in flight. */
class WaitClock {
  private inFlight = 0;
  private since = 0;
  total = 0;
  async around<T>(work: () => Promise<T>): Promise<T> {
    if (this.inFlight++ === 0) this.since = performance.now();
    try {
      return await work();
    } finally {
      if (--this.inFlight === 0) this.total += performance.now() - this.since;
    }
  }
}

function timed<T extends object>(target: T, clock: WaitClock): T {
  return new Proxy(target, {
    get(obj, key, receiver) {
      const value = Reflect.get(obj, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const out = (value as (...a: unknown[]) => unknown).apply(obj, args);
        return out instanceof Promise ? clock.around(() => out) : out;
      };
    },
  });
}

const bench: Benchmark = {
  name: 'orchestration-overhead',
  async run() {
    const scenario = generateScaleScenario({ nodes: NODES, podsPerNode: 10, pools: 1 });
    scenario.nodePools[0]!.environment = 'production';
    const sandbox = await startSandbox({ scenario, timeScale: TIME_SCALE });
    const dir = mkdtempSync(join(tmpdir(), 'ack-migrate-bench-redis-'));
    const redis = await resolveRedis(process.env.REDIS_URL, dir);
    const gateways = createGateways(loadConfig({ ...sandbox.env }), {
      cloud: { checkPollMs: 10, retry: { baseDelayMs: 10 } },
    });
    const prefix = `bench-overhead-${Date.now()}`;
    const file = configFileSchema.parse({
      clusters: [{ id: scenario.cluster.id, environment: 'production', approvers: { cli: ['bench'] } }],
    });
    const config = { file, defaultClusterId: scenario.cluster.id };
    const clock = new WaitClock();
    const client = createMigrationClient({ redisUrl: redis.url, prefix, config });
    const workers = startWorkers({
      redisUrl: redis.url,
      prefix,
      config,
      cluster: timed(gateways.cluster, clock),
      cloud: timed(gateways.cloud, clock),
      logger: createLogger({ level: 'silent' }),
      timing: { ...scaleTiming(TIME_SCALE, undefined, { pollFloorMs: 10, limitFloorMs: 60_000 }), pollMs: 40 },
      sleep: (ms) => clock.around(() => new Promise((ok) => setTimeout(ok, ms))),
    });
    try {
      await workers.ready();
      const pool = scenario.nodePools[0]!.name;
      const t0 = performance.now();
      const { migration } = await client.service.start({
        pool,
        mode: 'in-place',
        snapshot: false,
        soakSeconds: 0,
        maxParallel: MAX_PARALLEL,
        origin: { platform: 'cli', channel: 'bench', userId: 'bench' },
        autoApprove: true,
      });
      let record = await client.store.require(migration.migrationId);
      while (record.state !== 'completed' && record.state !== 'aborted' && record.state !== 'paused') {
        await new Promise((ok) => setTimeout(ok, 50));
        record = await client.store.require(migration.migrationId);
      }
      const wallMs = performance.now() - t0;
      if (record.state !== 'completed') throw new Error(`migration ${record.state}: ${record.reason}`);
      const batches = record.batches.length;
      const res = await fetch(`http://${sandbox.env.ALIBABA_CLOUD_CS_ENDPOINT}/sandbox/stats`);
      const stats = (await res.json()) as { actions: Record<string, number> };
      const cloudCalls = Object.values(stats.actions).reduce((a, b) => a + b, 0);
      const k8sCalls = Object.values(gateways.cluster.stats().calls).reduce((a, b) => a + b, 0);
      const overhead = (wallMs - clock.total) / batches;
      const perNode = (cloudCalls + k8sCalls) / NODES;
      return [
        {
          metric: 'overhead-ms-per-batch',
          value: Math.round(overhead),
          unit: 'ms',
          goal: GOAL.overheadMsPerBatch,
          ok: overhead < GOAL.overheadMsPerBatch,
        },
        {
          metric: 'calls-per-node',
          value: Number(perNode.toFixed(1)),
          unit: 'calls',
          goal: GOAL.callsPerNode,
          ok: perNode <= GOAL.callsPerNode,
          cloud: Number((cloudCalls / NODES).toFixed(1)),
          kubernetes: Number((k8sCalls / NODES).toFixed(1)),
        },
        { metric: 'wall-ms-per-batch', value: Math.round(wallMs / batches), unit: 'ms', batches, nodes: NODES },
        { metric: 'cloud-calls-by-action', value: cloudCalls, unit: 'calls', actions: stats.actions },
        { metric: 'kubernetes-calls-by-kind', value: k8sCalls, unit: 'calls', kinds: gateways.cluster.stats().calls },
      ];
    } finally {
      await workers.close();
      await client.close();
      gateways.close();
      await sandbox.stop();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default bench;
