/**
 * `ack-migrate dev` (what `npm start` runs): the sandbox with the demo scenario, Redis (REDIS_URL, else a private
 * redis-server with AOF under ./.data/redis), the worker, the bot and the web console, in one process. With no
 * credentials at all it is a working demo; Slack or DingTalk credentials add those adapters beside the console.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createConsolePlatform } from '../chat/console/console-platform.js';
import { type Env, loadConfig } from '../config/load-config.js';
import { AppError } from '../errors.js';
import { resolveRedis } from '../infra/redis/private-redis.js';
import type { Logger } from '../log/logger.js';
import { createMetrics } from '../metrics/metrics.js';
import { persistSandbox, type RestoreSummary } from '../sandbox/persist/persist-sandbox.js';
import { DEMO_FLEET_PATH, type Sandbox, startSandbox } from '../sandbox/start-sandbox.js';
import { scaleTiming } from '../services/pipeline/timing.js';
import { type BotApp, startBot } from './bot-app.js';
import { DEMO_CONFIG_YAML } from './demo-config.js';
import { startWorkerApp, type WorkerApp } from './worker-app.js';

/** Simulated seconds → real: a demo batch (drain, stop, new disk, init, start) takes about 15 s. */
export const DEV_TIME_SCALE = 0.04;

export interface DevOptions {
  env: Env;
  logger: Logger;
  dataDir?: string;
  port?: number;
  host?: string;
  timeScale?: number;
}

export interface DevApp {
  url: string;
  bot: BotApp;
  worker: WorkerApp;
  /** The sandbox cluster and cloud (its state is kept in <dataDir>/sandbox-state.json between runs). */
  sandbox: Sandbox;
  /** What the sandbox got back from the previous run; undefined on a first run. */
  restored: RestoreSummary | undefined;
  /**
   * `<dataDir>/demo.env`: `export` lines that let a terminal reach this running demo (its Redis, the sandbox's
   * endpoints, keys and kubeconfig, ACK_CLUSTER_ID, its config file), for `. .data/demo.env` before
   * `npx ack-migrate …`.
   */
  envFile: string;
  close(): Promise<void>;
}

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

function configText(env: Env): string {
  const path = env.ACK_MIGRATE_CONFIG?.trim();
  if (!path) return DEMO_CONFIG_YAML;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new AppError('CONFIG', `ACK_MIGRATE_CONFIG names a file that could not be read: ${path}`, { cause: error });
  }
}

export async function startDev(options: DevOptions): Promise<DevApp> {
  const { logger } = options;
  const dataDir = options.dataDir ?? options.env.ACK_MIGRATE_DATA_DIR ?? '.data';
  const timeScale = options.timeScale ?? DEV_TIME_SCALE;
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of closers.reverse())
      await close().catch((error) => logger.warn({ err: error }, 'shutdown step failed'));
  };
  try {
    mkdirSync(dataDir, { recursive: true });
    const sandbox = await startSandbox({
      scenarioPath: DEMO_FLEET_PATH,
      timeScale,
      kubeconfigOut: join(dataDir, 'kubeconfig'),
    });
    closers.push(() => sandbox.stop());
    // Before the worker starts: a resumed migration must find the cluster as the last run left it.
    const persistence = persistSandbox(sandbox, dataDir, logger);
    closers.push(async () => persistence.close());
    const redis = await resolveRedis(options.env.REDIS_URL, join(dataDir, 'redis'));
    // Stopped last (the closers run in reverse): the worker and the bot still talk to it while they stop.
    closers.unshift(() => redis.stop());
    // The sandbox's endpoints and keys win over the caller's environment: dev never touches a real cloud.
    const config = loadConfig(
      {
        ...options.env,
        ...sandbox.env,
        REDIS_URL: redis.url,
        ...(options.port !== undefined ? { PORT: String(options.port) } : {}),
      },
      { configText: configText(options.env) },
    );
    // One registry for both halves: the console's /metrics shows the worker's cloud and Kubernetes calls too.
    const metrics = createMetrics();
    const worker = await startWorkerApp({
      config,
      redisUrl: redis.url,
      logger,
      timing: scaleTiming(timeScale),
      metrics,
    });
    closers.push(() => worker.close());
    const consoleServer = createConsolePlatform({
      userId: 'operator',
      stateFile: join(dataDir, 'console.json'),
      secrets: config.secrets,
    });
    const bot = await startBot({
      metrics,
      config,
      redisUrl: redis.url,
      logger,
      host: options.host ?? '127.0.0.1',
      extraPlatforms: [{ platform: consoleServer.platform, route: (req, res) => consoleServer.handle(req, res) }],
      defaultTarget: { platform: 'console', channel: consoleServer.platform.channel },
      timeScale,
    });
    closers.push(() => bot.close());
    const envFile = join(dataDir, 'demo.env');
    // The CLI must see what this demo runs with: the same config file (the demo's own when none is set).
    let configPath = options.env.ACK_MIGRATE_CONFIG?.trim();
    if (!configPath) {
      configPath = join(dataDir, 'demo-config.yaml');
      writeFileSync(configPath, DEMO_CONFIG_YAML);
    }
    const reach = {
      ...sandbox.env,
      KUBECONFIG: resolve(sandbox.env.KUBECONFIG),
      REDIS_URL: redis.url,
      ACK_MIGRATE_CONFIG: resolve(configPath),
    };
    const exports = Object.entries(reach).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
    writeFileSync(envFile, `# written by ack-migrate dev; valid while it runs\n${exports.join('\n')}\n`);
    return { url: bot.url, bot, worker, sandbox, restored: persistence.restored, envFile, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
