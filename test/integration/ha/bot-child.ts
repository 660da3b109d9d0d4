/**
 * One bot replica as its own process, for the HA tests (docs/architecture.md#high-availability): startBot as
 * `ack-migrate bot` composes it, configured from the environment (HA_CONFIG_YAML is the config file's text,
 * HA_PREFIX the queue prefix, HA_LEASE_MS the partition lease). Prints `{"bot":"ready","pid","url"}` once ready.
 */
import { startBot } from '../../../src/app/bot-app.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { createLogger } from '../../../src/log/logger.js';

const env = process.env;
const config = loadConfig(env, { configText: env.HA_CONFIG_YAML ?? '' });
const logger = createLogger({ level: env.TEST_LOG_LEVEL ?? env.LOG_LEVEL ?? 'silent', secrets: config.secrets });
const app = await startBot({
  config,
  redisUrl: config.redisUrl ?? '',
  logger,
  prefix: env.HA_PREFIX ?? '{ack-migrate}',
  host: '127.0.0.1',
  port: 0,
  sharing: { leaseMs: Number(env.HA_LEASE_MS ?? 2000), blockMs: 300 },
});
process.stdout.write(`${JSON.stringify({ bot: 'ready', pid: process.pid, url: app.url })}\n`);
const stop = async () => {
  await app.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
