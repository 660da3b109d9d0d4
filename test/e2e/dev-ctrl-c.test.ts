/**
 * `npm start` (`ack-migrate dev`) as a process, stopped the way a person stops it: one Ctrl-C (SIGINT). It must
 * shut down cleanly — exit 0, its private redis-server stopped, the sandbox state written for the next start.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/infra/redis/private-redis.js';
import { sandboxStatePath } from '../../src/sandbox/persist/persist-sandbox.js';
import { removeDataDir, tempDataDir } from './support/dev-harness.js';

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function redisChildOf(pid: number): number | undefined {
  try {
    const out = execFileSync('pgrep', ['-P', String(pid), 'redis-server'], { encoding: 'utf8' }).trim();
    return out ? Number(out.split('\n')[0]) : undefined;
  } catch {
    return undefined;
  }
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('ack-migrate dev as a process', () => {
  const dataDir = tempDataDir('ctrl-c');
  let child: ChildProcess | undefined;
  let redisPid: number | undefined;

  afterAll(() => {
    // Whatever happened, leave nothing running.
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (alive(redisPid)) process.kill(redisPid as number, 'SIGTERM');
    removeDataDir(dataDir);
  });

  it('stops cleanly on one Ctrl-C: exit 0, the Redis child stopped, the sandbox state written', async () => {
    child = spawn(process.execPath, ['bin/ack-migrate.js', 'dev', '--port', '0'], {
      cwd: join(import.meta.dirname, '..', '..'),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ACK_MIGRATE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = exitOf(child);
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "demo is running" line in 45 s:\n${output}`)), 45_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const m = /demo is running: open (http:\/\/\S+)/.exec(output);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1].replace('localhost', '127.0.0.1'));
        }
      };
      child?.stdout?.on('data', onData);
      child?.stderr?.on('data', onData);
      void exited.then((e) => reject(new Error(`exited early (${JSON.stringify(e)}):\n${output}`)));
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    redisPid = redisChildOf(child.pid as number);
    expect(redisPid, 'the demo runs its own redis-server').toBeDefined();
    const savedAt = statSync(sandboxStatePath(dataDir)).mtimeMs;

    child.kill('SIGINT');
    const exit = await exited;
    expect(exit, output).toEqual({ code: 0, signal: null });
    expect(alive(redisPid), 'the private redis-server was stopped').toBe(false);
    expect(statSync(sandboxStatePath(dataDir)).mtimeMs, 'the sandbox state was written on shutdown').toBeGreaterThan(
      savedAt,
    );
    expect(existsSync(join(dataDir, 'redis', 'appendonlydir')), 'Redis kept its AOF').toBe(true);
  }, 60_000);

  it('stops within 15 s on a Ctrl-C to the whole process group while a batch runs, no redis-server left', async () => {
    // As a terminal does it: SIGINT to every process of the foreground group, the demo's children included.
    const groupDir = tempDataDir('ctrl-c-group');
    const port = await freePort();
    const demo = spawn(process.execPath, ['bin/ack-migrate.js', 'dev', '--port', String(port)], {
      cwd: join(import.meta.dirname, '..', '..'),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ACK_MIGRATE_DATA_DIR: groupDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const pid = demo.pid as number;
    const exited = exitOf(demo);
    let output = '';
    let groupRedis: number | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "demo is running" line in 45 s:\n${output}`)), 45_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          if (/demo is running/.test(output)) {
            clearTimeout(timer);
            resolve();
          }
        };
        demo.stdout?.on('data', onData);
        demo.stderr?.on('data', onData);
        void exited.then((e) => reject(new Error(`exited early (${JSON.stringify(e)}):\n${output}`)));
      });
      const url = `http://127.0.0.1:${port}`;
      groupRedis = redisChildOf(pid);
      expect(groupRedis, 'the demo runs its own redis-server').toBeDefined();
      const started = await fetch(`${url}/console/command`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'operator', text: '/migrate start pool-b' }),
      });
      expect(started.status).toBe(200);
      // Until a batch runs: its thread entry shows a node at work.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const state = (await (await fetch(`${url}/console/state`)).json()) as {
          messages: Array<{ message: { text?: string } }>;
        };
        if (state.messages.some((m) => /Batch 1 of \d+ · pool-b: running/.test(m.message.text ?? ''))) break;
        if (Date.now() > deadline) throw new Error(`no batch of pool-b ran in 30 s:\n${JSON.stringify(state)}`);
        await new Promise((ok) => setTimeout(ok, 200));
      }

      const sentAt = Date.now();
      process.kill(-pid, 'SIGINT');
      const exit = await Promise.race([exited, new Promise<'hung'>((ok) => setTimeout(() => ok('hung'), 15_000))]);
      expect(exit, `still running 15 s after one Ctrl-C:\n${output.slice(-2000)}`).not.toBe('hung');
      expect(Date.now() - sentAt).toBeLessThan(15_000);
      expect(exit, output.slice(-2000)).toEqual({ code: 0, signal: null });
      expect(alive(groupRedis), 'no redis-server left').toBe(false);
      expect(output).not.toMatch(/ECONNREFUSED/);
    } finally {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // the group is gone
      }
      if (alive(groupRedis)) process.kill(groupRedis as number, 'SIGKILL');
      removeDataDir(groupDir);
    }
  }, 120_000);
});
