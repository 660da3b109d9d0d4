/**
 * `ack-migrate bot` keeps its keys under ACK_MIGRATE_QUEUE_PREFIX, as the worker and the CLI do
 * (docs/contracts.md#configuration): a bot on the default prefix would never see the workers' events.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlackApi, startFakeSlackApi } from '../../support/fake-slack-api.js';
import { connectTestRedis, redisUrl, testPrefix } from '../../support/redis.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('ack-migrate bot and ACK_MIGRATE_QUEUE_PREFIX', { timeout: 60_000 }, () => {
  let redis: Redis;
  let slack: FakeSlackApi;
  beforeAll(async () => {
    redis = await connectTestRedis();
    slack = await startFakeSlackApi();
  });
  afterAll(async () => {
    await slack?.close();
    await redis?.quit();
  });

  it('keeps its event groups under the configured prefix', async () => {
    const prefix = `{${testPrefix('bot-prefix')}}`;
    const bot = spawn(process.execPath, [join(ROOT, 'bin', 'ack-migrate.js'), 'bot'], {
      env: {
        PATH: process.env.PATH ?? '',
        REDIS_URL: redisUrl(),
        ACK_MIGRATE_QUEUE_PREFIX: prefix,
        SLACK_BOT_TOKEN: 'xoxb-bot-prefix-test-0000',
        SLACK_SIGNING_SECRET: 'bot-prefix-test-signing',
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    bot.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((ok) => bot.once('exit', ok));
    try {
      await expect
        .poll(async () => (bot.exitCode === null ? (await redis.keys(`${prefix}*`)).length : -1), {
          timeout: 45_000,
          interval: 200,
        })
        .toBeGreaterThan(0);
      expect(stderr).toBe('');
    } finally {
      bot.kill('SIGTERM');
      await exited;
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
    }
  });
});
