/**
 * A wrong Redis password never reaches any output (docs/architecture.md#secrets: the bot, the worker and the
 * CLI all hold one Redis connection string). A private redis-server with a password, and each
 * process started with the wrong one in REDIS_URL: ioredis keeps the AUTH arguments on its errors and prints
 * errors nobody listens to, BullMQ prints errors its queues do not forward. Each process must say once, in one
 * line, that Redis refused the password, never the password, and not repeat that line with every reconnect: the
 * server's ACL log proves the reconnects happened while the output stayed quiet.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RedisHandle, startPrivateRedis } from '../../../src/infra/redis/private-redis.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/start-sandbox.js';
import { type FakeSlackApi, startFakeSlackApi } from '../../support/fake-slack-api.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const RIGHT = 'the-right-redis-pw-7d1f';
const WRONG = 'WRONG-secret-pw';

let dir: string;
let server: RedisHandle;
let admin: Redis;
let port: number;
let sandbox: Sandbox;
let slack: FakeSlackApi;
const children = new Set<ChildProcess>();

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(args: string[], env: Record<string, string>): Run {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'ack-migrate.js'), ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      REDIS_URL: `redis://:${WRONG}@127.0.0.1:${port}`,
      ACK_MIGRATE_QUEUE_PREFIX: 'test-redis-password',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((ok) =>
    child.once('exit', (code) => {
      children.delete(child);
      ok(code);
    }),
  );
  return { child, output: () => out, exited };
}

/** Failed AUTH attempts the server has seen so far (its ACL log counts repeats of one entry). */
async function failedAuths(): Promise<number> {
  const entries = (await admin.call('ACL', 'LOG')) as unknown[][];
  let total = 0;
  for (const entry of entries) {
    const fields = new Map<string, unknown>();
    for (let i = 0; i + 1 < entry.length; i += 2) fields.set(String(entry[i]), entry[i + 1]);
    if (fields.get('reason') === 'auth') total += Number(fields.get('count'));
  }
  return total;
}

/** Waits until the server has refused `attempts` more logins than now: the process has retried, loudly or not. */
async function untilRetried(attempts: number, timeout = 30_000): Promise<void> {
  const before = await failedAuths();
  await vi.waitFor(async () => expect(await failedAuths()).toBeGreaterThanOrEqual(before + attempts), {
    timeout,
    interval: 100,
  });
}

/** A child process starts through tsx: on a loaded machine that alone takes many seconds (worker-harness allows 60). */
const START_MS = 60_000;

const refusal = () => new RegExp(`Redis at 127\\.0\\.0\\.1:${port} refused the password \\(WRONGPASS\\)`);

function expectClean(output: string): void {
  expect(output).not.toContain(WRONG);
  expect(output).not.toContain('[ioredis]');
  expect(output).not.toMatch(/command:|args:/);
}

function lines(output: string, pattern: RegExp): string[] {
  return output.split('\n').filter((l) => pattern.test(l));
}

async function stop(r: Run): Promise<void> {
  if (r.child.exitCode === null) r.child.kill('SIGKILL');
  await r.exited;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ack-migrate-redis-password-'));
  server = await startPrivateRedis(dir);
  port = Number(new URL(server.url).port);
  admin = new Redis(server.url, { maxRetriesPerRequest: 1 });
  // Like --requirepass: the default user needs the password from now on; this connection is already in.
  await admin.config('SET', 'requirepass', RIGHT);
  await admin.call('ACL', 'LOG', 'RESET');
  sandbox = await startSandbox({ timeScale: 0.002 });
  slack = await startFakeSlackApi();
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  admin?.disconnect();
  await slack?.close();
  await sandbox?.stop();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a wrong password in REDIS_URL', () => {
  it('the worker says once that Redis refused the password, never the password, however often it retries', {
    timeout: 2 * START_MS,
  }, async () => {
    const worker = run(['worker', '--time-scale', '0.01'], { ...sandbox.env });
    try {
      await vi.waitFor(() => expect(worker.output()).toMatch(refusal()), { timeout: START_MS, interval: 50 });
      // BullMQ and the stores reconnect (several connections, about once a second each): a burst per attempt
      // would show here.
      await untilRetried(12);
      const output = worker.output();
      expectClean(output);
      expect(lines(output, /WRONGPASS|refused the password/)).toHaveLength(1);
    } finally {
      await stop(worker);
    }
  });

  it('the bot says so in one line and exits non-zero, without the password', { timeout: 2 * START_MS }, async () => {
    const bot = run(['bot'], {
      SLACK_BOT_TOKEN: 'xoxb-redis-password-test-0000',
      SLACK_SIGNING_SECRET: 'redis-password-test-signing',
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
    });
    try {
      const code = await Promise.race([bot.exited, untilRetried(12, START_MS).then(() => 'still running' as const)]);
      const output = bot.output();
      expectClean(output);
      expect(output).toMatch(refusal());
      expect(lines(output, /WRONGPASS|refused the password/).length).toBeLessThanOrEqual(2);
      expect(code).not.toBe(0);
      expect(code).not.toBe('still running');
    } finally {
      await stop(bot);
    }
  });

  it('a CLI command exits non-zero with one clear line', { timeout: START_MS }, async () => {
    const status = run(['status'], {});
    const code = await status.exited;
    const output = status.output();
    expectClean(output);
    expect(code).not.toBe(0);
    expect(output.trim().split('\n')).toEqual([expect.stringMatching(refusal())]);
  });
});
