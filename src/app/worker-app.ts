/**
 * The worker process: both gateways (Kubernetes, ACK/ECS) and the BullMQ workers, plus a small HTTP server for
 * /healthz, /readyz and /metrics. Workers never talk to chat; they emit progress events into Redis.
 */
import type { Config } from '../config/load-config.js';
import { AppError } from '../errors.js';
import { type RunningHttpServer, startHttpServer } from '../http/http-server.js';
import type { Logger } from '../log/logger.js';
import { redisErrorLog } from '../log/redis-errors.js';
import { createMetrics, type Metrics } from '../metrics/metrics.js';
import { DEFAULT_PREFIX } from '../queue/queues.js';
import { DEFAULT_TIMING, scaleTiming, type Timing } from '../services/pipeline/timing.js';
import { openRedisStores, type RedisStores } from '../stores/redis/redis-stores.js';
import { createFleetGateways } from './fleet-gateways.js';
import type { GatewayOptions } from './gateways.js';
import { collectGatewayCalls } from './metrics-sources.js';
import { type RunningWorkers, startWorkers } from './worker-runtime.js';

export interface WorkerAppOptions {
  config: Config;
  redisUrl: string;
  logger: Logger;
  prefix?: string;
  timing?: Timing;
  /** Without `timing`: every wait and poll × this (a sandbox at the same scale), with floors against busy loops. */
  timeScale?: number;
  concurrency?: number;
  /** Serve health and metrics on this port (undefined: no HTTP server, e.g. inside `dev`). */
  port?: number;
  metrics?: Metrics;
  killAt?: string;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Poll and retry settings of the gateways (scaled down against a fast sandbox). */
  gatewayOptions?: GatewayOptions;
}

export interface WorkerApp {
  workers: RunningWorkers;
  url: string | undefined;
  close(): Promise<void>;
}

function timingAt(scale: number): Timing {
  return scale === 1 ? DEFAULT_TIMING : scaleTiming(scale, DEFAULT_TIMING, { pollFloorMs: 100, limitFloorMs: 8_000 });
}

export async function startWorkerApp(options: WorkerAppOptions): Promise<WorkerApp> {
  const { config, logger } = options;
  if (!config.cloud) {
    throw new AppError('CONFIG', 'ALIBABA_CLOUD_ACCESS_KEY_ID is required for the worker', {
      hint: 'set ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET and ALIBABA_CLOUD_REGION',
    });
  }
  const metrics = options.metrics ?? createMetrics();
  const gateways = createFleetGateways(config, options.gatewayOptions);
  collectGatewayCalls(metrics, gateways.stats);
  // One for every connection of the process, so a refused password is one line, not one per connection.
  const errors = redisErrorLog({ url: options.redisUrl, logger });
  const workers = startWorkers({
    errors,
    redisUrl: options.redisUrl,
    prefix: options.prefix ?? DEFAULT_PREFIX,
    config,
    cluster: gateways.cluster,
    cloud: gateways.cloud,
    access: gateways.access,
    logger: logger.child({ part: 'worker' }),
    timing: options.timing ?? timingAt(options.timeScale ?? 1),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.killAt ? { killAt: options.killAt } : {}),
    ...(options.lockDurationMs ? { lockDurationMs: options.lockDurationMs } : {}),
    ...(options.stalledIntervalMs ? { stalledIntervalMs: options.stalledIntervalMs } : {}),
  });
  await workers.ready();

  let http: RunningHttpServer | undefined;
  let ping: RedisStores | undefined;
  if (options.port !== undefined) {
    const redis = openRedisStores({ url: options.redisUrl, prefix: options.prefix ?? DEFAULT_PREFIX, errors });
    ping = redis;
    http = await startHttpServer({
      port: options.port,
      routes: [],
      metrics,
      logger,
      readiness: [{ name: 'redis', check: () => redis.ping() }],
    });
  }
  logger.info({ url: http?.url }, 'worker ready');
  return {
    workers,
    url: http?.url,
    async close() {
      await workers.close();
      gateways.close();
      await http?.close();
      await ping?.close();
    },
  };
}
