/**
 * A migration world for worker tests: a sandbox (simulated ACK/ECS/Kubernetes over HTTP), the real gateways
 * pointed at it, the migration client (service + event stream) on the test Redis under a private prefix, and
 * workers, in process or as child processes (`ack-migrate worker`, for crash tests). Everything is closed by
 * `close()`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { createGateways, type Gateways } from '../../src/app/gateways.js';
import { createMigrationClient, type MigrationClient } from '../../src/app/migration-client.js';
import { type RunningWorkers, startWorkers, type WorkerSettings } from '../../src/app/worker-runtime.js';
import { type ConfigFile, configFileSchema } from '../../src/config/config-file.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Origin, ProgressEvent } from '../../src/domain/migration/events.js';
import type { MigrationRecord } from '../../src/domain/migration/record.js';
import { createLogger } from '../../src/log/logger.js';
import { parseFleet } from '../../src/sandbox/scenario/index.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/start-sandbox.js';
import { scaleTiming, type Timing } from '../../src/services/pipeline/timing.js';
import { until } from './wait.js';

export { until };

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCENARIOS = join(ROOT, 'src', 'sandbox', 'scenarios');

export const APPROVER: Origin = { platform: 'slack', channel: 'C0MIGRATIONS', userId: 'U0APPROVER' };
export const REQUESTER: Origin = { platform: 'slack', channel: 'C0MIGRATIONS', userId: 'U0REQUESTER' };

/** Demo workloads (multi-replica, PDBs allowing one disruption) without the planted precheck findings. */
export function scenarioYaml(
  options: {
    poolA?: number;
    poolB?: number;
    pools?: Array<{ name: string; nodes: number; labels?: string }>;
    extra?: string;
    faults?: string;
  } = {},
): string {
  const more = (options.pools ?? [])
    .map(
      (p) =>
        `  - { id: np-${p.name}, name: ${p.name}, runtime: docker, runtimeVersion: 19.03.15, nodes: ${p.nodes}, instanceType: ecs.g7.large, labels: ${p.labels ?? '{}'} }`,
    )
    .join('\n');
  return `
cluster: { id: c-demo, name: demo, region: cn-hangzhou, version: 1.22.15-aliyun.1 }
nodePools:
  - { id: np-a, name: pool-a, runtime: docker, runtimeVersion: 19.03.15, nodes: ${options.poolA ?? 6}, instanceType: ecs.g7.xlarge, labels: { team: web } }
  - { id: np-b, name: pool-b, runtime: docker, runtimeVersion: 19.03.15, nodes: ${options.poolB ?? 3}, instanceType: ecs.g7.large, labels: { team: web } }
${more}
manifestFiles: [demo/system.yaml, demo/workloads.yaml]
${options.extra ?? ''}
timing: { drain: 30, stop: 20, replaceSystemDisk: 60, init: 240, start: 60, snapshot: 300, join: 120 }
faults: ${options.faults ?? '[]'}
`;
}

export function testConfigFile(over: Partial<ConfigFile['settings']> = {}): ConfigFile {
  return configFileSchema.parse({
    clusters: [
      {
        id: 'c-demo',
        environment: 'production',
        pools: { 'pool-b': { environment: 'staging' } },
        approvers: { slack: [APPROVER.userId, REQUESTER.userId], cli: ['root'] },
      },
    ],
    settings: { allowSelfApproval: false, approvalTtl: '24h', ...over },
  });
}

export interface HarnessOptions {
  prefix: string;
  redisUrl: string;
  scenario?: string;
  /** Sandbox seconds per simulated second. */
  timeScale?: number;
  config?: ConfigFile;
}

/**
 * One queue namespace (prefix) on the shared sandbox: its own migration client, event log and workers. Crash
 * tests give every kill point its own lane so a killer worker can only ever pick its own migration.
 */
export class Lane {
  readonly events: ProgressEvent[] = [];
  readonly closers: Array<() => Promise<unknown> | unknown> = [];
  private readonly children = new Set<ChildProcess>();

  constructor(
    readonly h: WorkerHarness,
    readonly prefix: string,
    readonly client: MigrationClient,
    readonly config: ConfigFile,
  ) {}

  /** An in-process worker on this lane. */
  async worker(over: Partial<WorkerSettings> = {}): Promise<RunningWorkers> {
    const w = startWorkers({
      redisUrl: this.h.options.redisUrl,
      prefix: this.prefix,
      config: { file: this.config, defaultClusterId: 'c-demo' },
      cluster: this.h.gateways.cluster,
      cloud: this.h.gateways.cloud,
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      timing: this.h.timing,
      lockDurationMs: 1_000,
      stalledIntervalMs: 500,
      ...over,
    });
    this.closers.unshift(() => w.close());
    await w.ready();
    return w;
  }

  /**
   * `ack-migrate worker` as a child process on this lane; resolves once it reports ready. `entry: 'cli'` runs
   * the full CLI (bin/ack-migrate.js); the default runs only the worker command (the same code, faster start).
   */
  async spawnWorker(env: Record<string, string> = {}, entry: 'cli' | 'worker' = 'worker'): Promise<ChildProcess> {
    const main =
      entry === 'cli'
        ? [join(ROOT, 'bin', 'ack-migrate.js')]
        : ['--import', 'tsx', join(ROOT, 'test', 'integration', 'worker', 'worker-child.ts')];
    const child = spawn(
      process.execPath,
      [
        ...main,
        'worker',
        '--time-scale',
        String(this.h.options.timeScale),
        '--lock-ms',
        '1000',
        '--stalled-interval-ms',
        '500',
      ],
      {
        env: {
          PATH: process.env.PATH ?? '',
          ...this.h.sandbox.env,
          REDIS_URL: this.h.options.redisUrl,
          ACK_MIGRATE_QUEUE_PREFIX: this.prefix,
          ACK_MIGRATE_CONFIG: this.h.configPath(),
          LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (process.env.TEST_LOG_LEVEL) process.stderr.write(d);
    });
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`worker did not start: ${stderr.slice(-500)}`)), 60_000);
      child.stdout?.on('data', (d: Buffer) => {
        if (d.toString().includes('"worker":"ready"')) {
          clearTimeout(timer);
          ok();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`worker exited (${code}) before it was ready: ${stderr.slice(-500)}`));
      });
    });
    return child;
  }

  async record(id: string): Promise<MigrationRecord> {
    return this.client.store.require(id);
  }

  /** Runs `ack-migrate <args>` (the full CLI) against this lane and returns its exit code and output. */
  cli(
    args: string[],
    env: Record<string, string> = {},
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'ack-migrate.js'), ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        REDIS_URL: this.h.options.redisUrl,
        ACK_MIGRATE_QUEUE_PREFIX: this.prefix,
        ACK_MIGRATE_CONFIG: this.h.configPath(),
        ACK_CLUSTER_ID: 'c-demo',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    return new Promise((ok) => {
      child.once('exit', (code) => {
        this.children.delete(child);
        ok({ code, stdout, stderr });
      });
    });
  }

  async untilState(id: string, states: string[], timeoutMs = 20_000): Promise<MigrationRecord> {
    return until(
      `${id} in ${states.join('|')}`,
      async () => {
        const r = await this.client.store.get(id);
        return r && states.includes(r.state) ? r : undefined;
      },
      timeoutMs,
    );
  }

  /** Approves every batch (and the old pool's removal) of a migration as `actor` until it ends. */
  autoApprove(id: string, actor: Origin = APPROVER): () => void {
    let stopped = false;
    const seen = new Set<string>();
    const loop = async () => {
      while (!stopped) {
        const r = await this.client.store.get(id);
        if (!r || r.state === 'completed' || r.state === 'aborted') return;
        const p = r.pending;
        if (p?.kind === 'approval' && !seen.has(p.nonce)) {
          seen.add(p.nonce);
          await this.client.service.decide({
            migrationId: id,
            decision: 'approve',
            nonce: p.nonce,
            batch: p.batch,
            actor,
          });
        }
        await new Promise((ok) => setTimeout(ok, 100));
      }
    };
    void loop();
    return () => {
      stopped = true;
    };
  }

  eventsOf(id: string): ProgressEvent[] {
    return this.events.filter((e) => 'migration' in e && e.migration.migrationId === id);
  }

  async close(): Promise<void> {
    for (const child of this.children) child.kill('SIGKILL');
    for (const close of this.closers) {
      try {
        await close();
      } catch {
        // already gone
      }
    }
  }
}

export class WorkerHarness {
  private readonly lanes: Lane[] = [];
  private readonly closers: Array<() => Promise<unknown> | unknown> = [];
  private configDir: string | undefined;

  private constructor(
    readonly options: Required<Omit<HarnessOptions, 'scenario' | 'config'>> & { config: ConfigFile },
    readonly sandbox: Sandbox,
    readonly gateways: Gateways,
    readonly timing: Timing,
  ) {}

  static async start(options: HarnessOptions): Promise<WorkerHarness> {
    const timeScale = options.timeScale ?? 0.002;
    // A fleet (`clusters:`) or one cluster.
    const fleet = parseFleet(options.scenario ?? scenarioYaml(), SCENARIOS, 'test scenario');
    const sandbox = await startSandbox({ fleet, timeScale });
    const config = options.config ?? testConfigFile();
    const env = loadConfig({ ...sandbox.env });
    const gateways = createGateways(env, { cloud: { checkPollMs: 20, retry: { baseDelayMs: 20 } } });
    const timing = { ...scaleTiming(timeScale, undefined, { pollFloorMs: 20, limitFloorMs: 8_000 }), pollMs: 60 };
    const h = new WorkerHarness({ ...options, timeScale, config }, sandbox, gateways, timing);
    h.closers.push(
      () => gateways.close(),
      () => sandbox.stop(),
    );
    return h;
  }

  /** A new lane on its own prefix (default: the harness prefix plus a counter), optionally with its own config. */
  async lane(prefix = `${this.options.prefix}-${this.lanes.length}`, config = this.options.config): Promise<Lane> {
    const client = createMigrationClient({
      redisUrl: this.options.redisUrl,
      prefix,
      config: { file: config, defaultClusterId: 'c-demo' },
      events: { from: '0', blockMs: 200 },
    });
    const lane = new Lane(this, prefix, client, config);
    const stop = await client.events.subscribe(async (e) => {
      lane.events.push(e);
    });
    lane.closers.push(stop, () => client.close());
    this.lanes.push(lane);
    return lane;
  }

  /** Writes the config file a child worker reads (ACK_MIGRATE_CONFIG). */
  configPath(): string {
    if (!this.configDir) {
      this.configDir = mkdtempSync(join(tmpdir(), 'ack-migrate-worker-test-'));
      const dir = this.configDir;
      this.closers.push(() => rmSync(dir, { recursive: true, force: true }));
      const file = this.options.config;
      writeFileSync(
        join(dir, 'config.yaml'),
        stringify({
          clusters: file.clusters,
          settings: { ...file.settings, approvalTtl: `${file.settings.approvalTtl}s` },
        }),
      );
    }
    return join(this.configDir, 'config.yaml');
  }

  async stats(): Promise<{ actions: Record<string, number>; instances: Record<string, Record<string, number>> }> {
    const res = await fetch(`http://${this.sandbox.env.ALIBABA_CLOUD_CS_ENDPOINT}/sandbox/stats`);
    return (await res.json()) as { actions: Record<string, number>; instances: Record<string, Record<string, number>> };
  }

  async setFaults(body: unknown): Promise<void> {
    const res = await fetch(`http://${this.sandbox.env.ALIBABA_CLOUD_CS_ENDPOINT}/sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`faults: ${res.status} ${await res.text()}`);
  }

  async close(): Promise<void> {
    for (const lane of this.lanes) await lane.close();
    for (const close of this.closers) {
      try {
        await close();
      } catch {
        // already gone
      }
    }
  }
}
