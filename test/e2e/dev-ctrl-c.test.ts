/**
 * `npm start` (`ack-migrate dev`) as a process, stopped the way a person stops it: one Ctrl-C (SIGINT). It must
 * shut down cleanly — exit 0, its private redis-server stopped, the sandbox state written for the next start.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
});
