import type { Command } from 'commander';
import { DEFAULT_PREFIX } from '../../app/cli-clients.js';
import { LIMITS } from '../../domain/bounds.js';
import { AppError } from '../../errors.js';
import { intOption, timeScaleOption } from '../options.js';
import { cliConfig } from '../pool.js';
import { runAction } from '../run-action.js';

interface WorkerOptions {
  port?: number;
  concurrency?: number;
  timeScale?: number;
  lockMs?: number;
  stalledIntervalMs?: number;
}

/** REDIS_URL, with the message every migration command gives when it is missing. */
export function requireRedisUrl(url: string | undefined, command: string): string {
  if (!url)
    throw new AppError('CONFIG', `REDIS_URL is not set: ${command} keeps migrations, queues and approvals in Redis`, {
      hint: 'set REDIS_URL=redis://host:6379 (the same Redis as the bot and the workers)',
    });
  return url;
}

export function queuePrefix(env: NodeJS.ProcessEnv = process.env): string {
  return env.ACK_MIGRATE_QUEUE_PREFIX?.trim() || DEFAULT_PREFIX;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run the BullMQ workers (migrations, cleanups, prechecks) until SIGTERM or SIGINT')
    .option('--port <n>', 'serve /healthz, /readyz, /metrics here (default: PORT, else none)', intOption(LIMITS.port))
    .option(
      '--concurrency <n>',
      'migrations at once, 1..64 (parked ones not counted)',
      intOption(LIMITS.workerConcurrency),
    )
    .option('--time-scale <x>', 'multiply every wait and poll interval, (0, 1] (e.g. 0.01)', timeScaleOption)
    .option('--lock-ms <n>', 'BullMQ lock duration, 100..600000 (default 30000)', intOption(LIMITS.queueMs))
    .option('--stalled-interval-ms <n>', 'BullMQ stalled check, 100..600000 (default 30000)', intOption(LIMITS.queueMs))
    .action(
      runAction(async (opts: WorkerOptions) => {
        const config = cliConfig();
        const redisUrl = requireRedisUrl(config.redisUrl, 'the worker');
        const { createLogger } = await import('../../log/logger.js');
        const logger = createLogger({ level: config.logLevel, secrets: config.secrets, name: 'worker' });
        const scale = opts.timeScale ?? 1;
        const port = opts.port ?? (process.env.PORT ? config.port : undefined);
        const { startWorkerApp } = await import('../../app/worker-app.js');
        const app = await startWorkerApp({
          config,
          redisUrl,
          logger,
          prefix: queuePrefix(),
          timeScale: scale,
          ...(port !== undefined ? { port } : {}),
          gatewayOptions: {
            cloud: {
              checkPollMs: Math.max(20, Math.round(2000 * scale)),
              retry: { baseDelayMs: Math.max(20, Math.round(400 * scale)) },
            },
          },
          ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
          ...(opts.lockMs ? { lockDurationMs: opts.lockMs } : {}),
          ...(opts.stalledIntervalMs ? { stalledIntervalMs: opts.stalledIntervalMs } : {}),
          ...(process.env.ACK_MIGRATE_TEST_KILL_AT ? { killAt: process.env.ACK_MIGRATE_TEST_KILL_AT } : {}),
        });
        // Listening for the signals before saying ready: whoever waits for the line may stop us at once.
        const stopped = new Promise<void>((ok) => {
          process.once('SIGTERM', () => ok());
          process.once('SIGINT', () => ok());
        });
        process.stdout.write(`${JSON.stringify({ worker: 'ready', pid: process.pid, url: app.url })}\n`);
        logger.info({ prefix: queuePrefix(), url: app.url }, 'worker ready');
        await stopped;
        logger.info('shutting down: running migrations hand their jobs back at the next safe point');
        await app.close();
      }),
    );
}
