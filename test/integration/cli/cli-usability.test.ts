import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigrationRecord } from '../../../src/domain/migration/record.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/start-sandbox.js';
import { openRedisStores, type RedisStores } from '../../../src/stores/redis/redis-stores.js';
import { redisUrl, testPrefix } from '../../support/redis.js';

// From the user-testing issue: --cluster on every pool verb, the pool as an argument or --pool everywhere,
// `| head` (EPIPE), a clear LOG_LEVEL error, and half-set chat credentials that only concern the bot.
const BIN = fileURLToPath(new URL('../../../bin/ack-migrate.js', import.meta.url));
const PREFIX = `{${testPrefix('cli-usability')}}`;
let stores: RedisStores;
let sandbox: Sandbox;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function baseEnv(): Record<string, string> {
  // No ACK_CLUSTER_ID, no config file: the cluster comes from --cluster only.
  return {
    PATH: process.env.PATH ?? '',
    REDIS_URL: redisUrl(),
    ACK_MIGRATE_QUEUE_PREFIX: PREFIX,
    LOG_LEVEL: 'warn',
  };
}

function cli(args: string[], env: object = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...baseEnv(), ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  stores = openRedisStores({ url: redisUrl(), prefix: PREFIX });
  const record = createMigrationRecord({
    id: 'mig-pool-z-01jtest00000000000000000000',
    clusterId: 'c-other',
    poolRef: 'pool-z',
    mode: 'in-place',
    options: { maxParallel: 1, snapshot: false, soakSeconds: 0, forceBarePods: false, autoApprove: false },
    origin: { platform: 'cli', channel: 'terminal', userId: 'tester' },
    production: false,
    now: new Date(),
  });
  await stores.migrations.create(record, ['pool-z']);
  sandbox = await startSandbox({ timeScale: 0.002 });
});

afterAll(async () => {
  await stores?.close();
  await sandbox?.stop();
});

describe('ack-migrate status --cluster', () => {
  it('finds the migration of a pool in the cluster named by --cluster (no ACK_CLUSTER_ID)', async () => {
    const r = await cli(['status', 'pool-z', '--cluster', 'c-other', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { migration: { migrationId: string; clusterId?: string } | null };
    expect(out.migration?.migrationId).toBe('mig-pool-z-01jtest00000000000000000000');
  });

  it('takes the pool as --pool too, and says no migration in another cluster', async () => {
    const r = await cli(['status', '--pool', 'pool-z', '--cluster', 'c-elsewhere']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('no migration of pool-z\n');
  });

  it.each([['status'], ['pause'], ['resume'], ['abort'], ['history'], ['cleanup'], ['precheck']])(
    '%s: a pool argument and a different --pool is a one-line usage error',
    async (verb) => {
      const r = await cli([verb, 'pool-a', '--pool', 'pool-b', '--cluster', 'c-demo']);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/pool-a.*pool-b/);
    },
  );

  it.each([['pause'], ['resume'], ['abort'], ['history'], ['cleanup']])('%s accepts --cluster', async (verb) => {
    const r = await cli([verb, '--help']);
    expect(r.stdout).toContain('--cluster <id>');
    expect(r.stdout).toContain('--pool <name|id>');
  });
});

describe('ack-migrate history', () => {
  it('leaves lookups and malformed commands out unless --all', async () => {
    const who = { platform: 'slack' as const, userId: 'U1' };
    await stores.audit.append({ ...who, action: 'start', pool: 'pool-h', outcome: 'ok' });
    await stores.audit.append({ ...who, action: 'status', pool: 'pool-h', outcome: 'ok' });
    await stores.audit.append({ ...who, action: 'abort', pool: 'pool-h', outcome: 'refused', detail: 'no rights' });
    const [shown, all] = await Promise.all([
      cli(['history', 'pool-h', '--json']),
      cli(['history', '--pool', 'pool-h', '--all', '--json']),
    ]);
    expect(shown.stderr).toBe('');
    const actions = (r: Run) =>
      (JSON.parse(r.stdout) as { entries: Array<{ action: string }> }).entries.map((e) => e.action);
    expect(actions(shown)).toEqual(['abort', 'start']);
    expect(actions(all)).toEqual(['abort', 'status', 'start']);
  });
});

describe('precheck takes the pool as an argument', () => {
  it('precheck pool-a --json is the same as precheck --pool pool-a --json', async () => {
    const [positional, flag] = await Promise.all([
      cli(['precheck', 'pool-a', '--json'], sandbox.env),
      cli(['precheck', '--pool', 'pool-a', '--json'], sandbox.env),
    ]);
    expect(positional.stderr).toBe('');
    expect(positional.code).toBe(0);
    expect(JSON.parse(positional.stdout).pool.name).toBe('pool-a');
    expect(JSON.parse(positional.stdout).pool).toEqual(JSON.parse(flag.stdout).pool);
  });

  it('precheck without a pool is a usage error', async () => {
    const r = await cli(['precheck'], sandbox.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/pool/);
  });
});

describe('the terminal', () => {
  it('exits quietly when stdout is closed early (ack-migrate … | head)', async () => {
    const child = spawn(process.execPath, [BIN, 'faq', '--json', 'can', 'we', 'roll', 'back'], {
      env: baseEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((ok) => child.on('close', (c) => ok(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('LOG_LEVEL=bogus is one line naming LOG_LEVEL and the allowed levels', async () => {
    const r = await cli(['status', '--json'], { LOG_LEVEL: 'bogus' });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('LOG_LEVEL');
    expect(lines[0]).toContain('bogus');
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      expect(lines[0]).toContain(level);
  });

  it('half-set chat credentials do not stop commands that do not start the bot', async () => {
    const r = await cli(['status', '--json'], { SLACK_SIGNING_SECRET: 'only-the-secret', DINGTALK_CLIENT_ID: 'id' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty('migrations');
  });

  it('the bot still refuses them', async () => {
    const r = await cli(['bot'], { SLACK_SIGNING_SECRET: 'only-the-secret' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SLACK_BOT_TOKEN');
  });
});
