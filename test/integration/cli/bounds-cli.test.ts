import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestRedis, redisUrl, testPrefix } from '../../support/redis.js';

/**
 * The CLI refuses out-of-range numbers and durations while parsing its flags
 * (docs/contracts.md#command-grammar), with one line on stderr and exit 2, before it connects to anything.
 */
const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], env: Record<string, string>): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/ack-migrate.js', ...args], {
      cwd: root,
      timeout: 50_000,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function expectRefused(r: CliResult, ...parts: RegExp[]): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  for (const part of parts) expect(lines[0]).toMatch(part);
}

describe('ack-migrate refuses out-of-range flags', { timeout: 120_000 }, () => {
  let redis: Redis;
  const prefix = `{${testPrefix('bounds-cli')}}`;
  const env = () => ({ REDIS_URL: redisUrl(), ACK_MIGRATE_QUEUE_PREFIX: prefix, ACK_CLUSTER_ID: 'c-demo' });

  beforeAll(async () => {
    redis = await connectTestRedis();
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it.each<[string[], ...RegExp[]]>([
    [['--soak', '1000000000d'], /'--soak <duration>'/, /'1000000000d'/, /between 0s and 24h/],
    [['--soak', '99999999h'], /'--soak <duration>'/, /'99999999h'/, /between 0s and 24h/],
    [
      ['--max-parallel', '99999999999999999999'],
      /'--max-parallel <n>'/,
      /'99999999999999999999'/,
      /between 1 and 10\b/,
    ],
  ])('start pool-a %j: exit 2, one line, nothing enqueued', async (flags, ...parts) => {
    expectRefused(await cli(['start', 'pool-a', ...flags], env()), ...parts);
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
  });

  it('fails before connecting: no REDIS_URL needed for a parse error', async () => {
    expectRefused(await cli(['start', 'pool-a', '--soak', '99999999h'], {}), /between 0s and 24h/);
  });

  it.each<[string[], ...RegExp[]]>([
    [['start', 'pool-a', '--max-parallel', '1e3'], /whole number between 1 and 10/],
    [['start', 'pool-a', '--soak', '-1h'], /duration between 0s and 24h/],
    [['plan', '--nodes', '10001'], /'--nodes <n>'/, /between 1 and 10000/],
    [['plan', '--nodes', '100', '--minutes-per-batch', '0x10'], /between 1 and 600/],
    [['history', '--limit', '1001'], /between 1 and 1000/],
    [['worker', '--concurrency', '65'], /between 1 and 64/],
    [['worker', '--port', '65536'], /between 0 and 65535/],
    [['worker', '--time-scale', '2'], /greater than 0 and at most 1/],
    [['worker', '--lock-ms', '99'], /between 100 and 600000/],
    [['worker', '--stalled-interval-ms', '600001'], /between 100 and 600000/],
    [['dev', '--time-scale', '0'], /greater than 0 and at most 1/],
    [['sandbox', '--scale', '10001x30'], /NODES from 1 to 10000/],
  ])('%j: exit 2 and one line', async (args, ...parts) => {
    expectRefused(await cli(args, {}), ...parts);
  });
});
