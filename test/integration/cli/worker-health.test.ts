import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../../src/sandbox/start-sandbox.js';
import { redisUrl, testPrefix } from '../../support/redis.js';

describe('ack-migrate worker serves health and metrics', () => {
  let sandbox: Sandbox;
  let child: ChildProcess;
  let url = '';

  beforeAll(async () => {
    sandbox = await startSandbox({ timeScale: 0.01 });
    child = spawn(process.execPath, ['bin/ack-migrate.js', 'worker', '--port', '0'], {
      env: {
        PATH: process.env.PATH,
        REDIS_URL: redisUrl(),
        ACK_MIGRATE_QUEUE_PREFIX: `{${testPrefix('worker-health')}}`,
        LOG_LEVEL: 'warn',
        ...sandbox.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = createInterface({ input: child.stdout! });
    url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
      lines.on('line', (line) => {
        const ready = JSON.parse(line) as { worker?: string; url?: string };
        if (ready.worker === 'ready' && ready.url) resolve(ready.url);
      });
    });
  }, 60_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    await sandbox?.stop();
  });

  it('answers /healthz, /readyz and /metrics, then exits 0 on SIGTERM', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ok: true, checks: { redis: true } });
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('ack_migrate_cloud_api_calls_total');
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
