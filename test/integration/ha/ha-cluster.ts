/**
 * Several bots and workers on one Redis, each its own process (docs/architecture.md#high-availability): the
 * sandbox (demo scenario unless given one) and the fake Slack Web API in this process, bot replicas from
 * bot-child.ts and workers from worker-child.ts, any of which a test may SIGKILL. For the HA tests and the
 * chaos bench (bench/benches/ha.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createMigrationClient, type MigrationClient } from '../../../src/app/migration-client.js';
import { loadConfig } from '../../../src/config/load-config.js';
import type { Scenario } from '../../../src/sandbox/scenario/index.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/start-sandbox.js';
import { partitionOf } from '../../../src/stores/redis/event-group.js';
import { stateKeys } from '../../../src/stores/redis/state-keys.js';
import { type FakeSlackApi, startFakeSlackApi } from '../../support/fake-slack-api.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The Slack app of the HA runs (no vitest here: the chaos bench uses this file too). */
export const HA_SLACK = {
  botToken: 'xoxb-ha-0000-fake-token-7d3e',
  signingSecret: 'ha-signing-secret-51c9e2',
  channel: 'C0MIGRATIONS',
  approver: 'U0APPROVER1',
} as const;

/** Production with approvals on every pool (pool-b staging), no self-approval, like the e2e config. */
export const HA_CONFIG_YAML = `
clusters:
  - id: c-demo
    name: demo
    region: cn-hangzhou
    environment: production
    pools:
      pool-b: {environment: staging}
    approvers:
      slack: [${HA_SLACK.approver}]
    channels:
      slack: [${HA_SLACK.channel}]
settings:
  allowSelfApproval: false
  approvalTtl: 24h
  maintenanceWindows: []
`;

export interface HaClusterOptions {
  redisUrl: string;
  /** Real seconds per simulated second. */
  timeScale: number;
  configYaml?: string;
  scenario?: Scenario;
  /** Partition lease of the bots (ms): how soon a killed bot's events are taken over. */
  leaseMs?: number;
  /** Extra environment of every child (e.g. LOG_LEVEL). */
  env?: Record<string, string>;
}

export interface Proc {
  kind: 'bot' | 'worker';
  child: ChildProcess;
  pid: number;
  /** The bot's HTTP URL. */
  url?: string;
  stderr: () => string;
}

export class HaCluster {
  readonly prefix = `{ha-${randomUUID().slice(0, 8)}}`;
  readonly procs: Proc[] = [];
  sandbox!: Sandbox;
  slack!: FakeSlackApi;
  client!: MigrationClient;
  private dir = '';
  private configPath = '';

  private constructor(readonly options: HaClusterOptions) {}

  static async start(options: HaClusterOptions): Promise<HaCluster> {
    const c = new HaCluster(options);
    try {
      c.dir = mkdtempSync(join(tmpdir(), 'ack-migrate-ha-'));
      c.configPath = join(c.dir, 'config.yaml');
      writeFileSync(c.configPath, options.configYaml ?? HA_CONFIG_YAML);
      c.sandbox = await startSandbox({
        timeScale: options.timeScale,
        ...(options.scenario ? { scenario: options.scenario } : {}),
      });
      c.slack = await startFakeSlackApi();
      const config = loadConfig(
        { ...c.sandbox.env, REDIS_URL: options.redisUrl },
        { configText: options.configYaml ?? HA_CONFIG_YAML },
      );
      c.client = createMigrationClient({ redisUrl: options.redisUrl, prefix: c.prefix, config });
    } catch (error) {
      await c.close();
      throw error;
    }
    return c;
  }

  get bots(): Proc[] {
    return this.procs.filter((p) => p.kind === 'bot' && p.child.exitCode === null && p.child.signalCode === null);
  }

  get workers(): Proc[] {
    return this.procs.filter((p) => p.kind === 'worker' && p.child.exitCode === null && p.child.signalCode === null);
  }

  private env(): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH ?? '',
      ...this.sandbox.env,
      REDIS_URL: this.options.redisUrl,
      ACK_MIGRATE_QUEUE_PREFIX: this.prefix,
      ACK_MIGRATE_CONFIG: this.configPath,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
      ...this.options.env,
    };
  }

  async spawnBot(): Promise<Proc> {
    return this.spawn('bot', ['--import', 'tsx', join(ROOT, 'test', 'integration', 'ha', 'bot-child.ts')], {
      SLACK_BOT_TOKEN: HA_SLACK.botToken,
      SLACK_SIGNING_SECRET: HA_SLACK.signingSecret,
      SLACK_API_URL: this.slack.apiUrl,
      HA_CONFIG_YAML: this.options.configYaml ?? HA_CONFIG_YAML,
      HA_PREFIX: this.prefix,
      HA_LEASE_MS: String(this.options.leaseMs ?? 1500),
    });
  }

  async spawnWorker(): Promise<Proc> {
    const args = ['--import', 'tsx', join(ROOT, 'test', 'integration', 'worker', 'worker-child.ts'), 'worker'];
    args.push('--time-scale', String(this.options.timeScale), '--lock-ms', '2000', '--stalled-interval-ms', '1000');
    return this.spawn('worker', args, {});
  }

  private async spawn(kind: Proc['kind'], args: string[], env: Record<string, string>): Promise<Proc> {
    const child = spawn(process.execPath, args, { env: { ...this.env(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
      if (process.env.TEST_LOG_LEVEL) process.stderr.write(d);
    });
    const ready = await new Promise<{ pid: number; url?: string }>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`${kind} did not start: ${stderr.slice(-500)}`)), 60_000);
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.includes(`"${kind}":"ready"`));
        if (!line) return;
        clearTimeout(timer);
        ok(JSON.parse(line) as { pid: number; url?: string });
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`${kind} exited (${code}) before it was ready: ${stderr.slice(-500)}`));
      });
    });
    const proc: Proc = { kind, child, pid: child.pid ?? ready.pid, stderr: () => stderr };
    if (ready.url) proc.url = ready.url;
    this.procs.push(proc);
    return proc;
  }

  /** SIGKILL: no shutdown hook runs, whatever was in flight stays as it was. */
  async kill(proc: Proc): Promise<void> {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
    const gone = new Promise((ok) => proc.child.once('exit', ok));
    proc.child.kill('SIGKILL');
    await gone;
  }

  /** The bot that holds the notifier partition of this migration's events (4 partitions), if any. */
  async holderOf(migrationId: string): Promise<Proc | undefined> {
    const redis = new Redis(this.options.redisUrl);
    try {
      const key = stateKeys(this.prefix).eventGroupLease('notifier', partitionOf(migrationId, 4));
      const token = await redis.get(key);
      const pid = token ? Number(token.split(':')[1]) : undefined;
      return this.bots.find((b) => b.pid === pid);
    } finally {
      redis.disconnect();
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.procs.map((p) => this.kill(p)));
    await this.client?.close().catch(() => undefined);
    await this.slack?.close().catch(() => undefined);
    await this.sandbox?.stop().catch(() => undefined);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
