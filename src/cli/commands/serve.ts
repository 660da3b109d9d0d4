/**
 * Long-running processes: `dev` (everything in one process, the demo), `bot` (chat side). Both stop cleanly on
 * SIGINT/SIGTERM: the notifier flushes, workers hand back their jobs, a private redis-server is stopped with
 * its data kept under ./.data/.
 */
import { relative } from 'node:path';
import type { Command } from 'commander';
import { readConfig } from '../../config/read-config.js';
import { LIMITS } from '../../domain/bounds.js';
import { AppError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import { intOption, timeScaleOption } from '../options.js';
import { runAction } from '../run-action.js';
import { queuePrefix } from './worker.js';

/** Resolves on the first SIGINT/SIGTERM; a second one exits at once. */
function untilSignal(logger: Logger): Promise<string> {
  return new Promise((resolve) => {
    let seen = false;
    const onSignal = (signal: string) => {
      if (seen) process.exit(130);
      seen = true;
      logger.info({ signal }, 'shutting down (press Ctrl-C again to force)');
      resolve(signal);
    };
    // `on`, not `once`: a second Ctrl-C must reach onSignal to force the exit.
    process.on('SIGINT', () => onSignal('SIGINT'));
    process.on('SIGTERM', () => onSignal('SIGTERM'));
  });
}

export function registerServe(program: Command): void {
  program
    .command('dev')
    .description('the sandbox, Redis, worker, bot and web console in one process (what npm start runs)')
    .option('--port <n>', 'HTTP port of the bot and the console (default PORT or 3000)', intOption(LIMITS.port))
    .option('--time-scale <x>', 'real seconds per simulated second, (0, 1] (default 0.04)', timeScaleOption)
    .action(
      runAction(async (opts: { port?: number; timeScale?: number }) => {
        const { createLogger } = await import('../../log/logger.js');
        const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info', name: 'ack-migrate' });
        if (opts.timeScale !== undefined && !(opts.timeScale > 0))
          throw new AppError('BAD_INPUT', '--time-scale must be a positive number');
        const port = opts.port ?? (process.env.PORT ? Number(process.env.PORT) : 3000);
        const { startDev } = await import('../../app/dev-app.js');
        const app = await startDev({
          env: process.env,
          logger,
          port,
          ...(opts.timeScale ? { timeScale: opts.timeScale } : {}),
        });
        // Listening for Ctrl-C before saying it runs: whoever waits for the line may stop it at once.
        const stopped = untilSignal(logger);
        process.stdout.write(`\nack-migrate demo is running: open ${app.url.replace('127.0.0.1', 'localhost')}\n`);
        process.stdout.write(
          'Type "/migrate precheck pool-a", then "/migrate start pool-a". Ctrl-C stops (state is kept in ./.data).\n',
        );
        process.stdout.write(
          `From another terminal, \`. ${relative(process.cwd(), app.envFile) || app.envFile}\` reaches this demo (its Redis, the sandbox) for npx ack-migrate.\n\n`,
        );
        await stopped;
        await app.close();
      }),
    );

  program
    .command('bot')
    .description('the chat side: Slack / DingTalk adapters, approvals, FAQ and the notifier (needs REDIS_URL)')
    .action(
      runAction(async () => {
        const config = readConfig(process.env);
        const { createLogger } = await import('../../log/logger.js');
        const logger = createLogger({ level: config.logLevel, secrets: config.secrets, name: 'ack-migrate-bot' });
        if (!config.redisUrl)
          throw new AppError('CONFIG', 'REDIS_URL is required for the bot', { hint: 'e.g. redis://127.0.0.1:6379' });
        if (!config.slack && !config.dingtalk) {
          throw new AppError('CONFIG', 'no chat platform configured', {
            hint: 'set SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN), or DINGTALK_CLIENT_ID/SECRET/ROBOT_CODE; `ack-migrate dev` runs the web console',
          });
        }
        const { startBot } = await import('../../app/bot-app.js');
        // Listening for the signals before the bot says it is ready (a stop while it starts closes it once up).
        const stopped = untilSignal(logger);
        // The same queues and keys as the workers: ACK_MIGRATE_QUEUE_PREFIX names them for both sides.
        const app = await startBot({ config, redisUrl: config.redisUrl, logger, prefix: queuePrefix(process.env) });
        await stopped;
        await app.close();
      }),
    );
}
