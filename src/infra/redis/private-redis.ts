import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { AppError } from '../../errors.js';

export interface RedisHandle {
  url: string;
  /** Stops the private server (if we started one); a no-op for an external REDIS_URL. */
  stop(): Promise<void>;
}

export const REDIS_HOW_TO =
  'set REDIS_URL to a Redis >= 6.2 (AOF on, maxmemory-policy noeviction), or install redis-server (apt-get install redis-server) so a private one can be started';

const STOP_GRACE_MS = 5000;

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((ok, fail) => {
    let output = '';
    const timer = setTimeout(
      () => fail(new Error(`redis-server did not start in ${timeoutMs} ms: ${output.slice(-300)}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready to accept connections/i.test(output)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        ok();
      }
    };
    child.stdout?.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`redis-server exited with code ${code}: ${output.slice(-300)}`));
    });
  });
}

/**
 * Starts a private `redis-server` on a free loopback port, with AOF persistence and noeviction as production
 * requires, its data under `dir`. Used by `ack-migrate dev` and by tests when REDIS_URL is not set.
 */
export async function startPrivateRedis(dir: string, port?: number): Promise<RedisHandle> {
  const dataDir = resolve(dir);
  mkdirSync(dataDir, { recursive: true });
  const p = port ?? (await freePort());
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(p),
      '--bind',
      '127.0.0.1',
      '--dir',
      dataDir,
      '--appendonly',
      'yes',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
      '--protected-mode',
      'yes',
    ],
    // Its own process group: a Ctrl-C in the terminal signals the foreground group, and the server must outlive
    // it until the process that started it has stopped everything that uses it (then stop() ends it).
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  try {
    await waitForReady(child, 10_000);
  } catch (error) {
    child.kill('SIGKILL');
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new AppError(
      'REDIS_UNAVAILABLE',
      missing ? 'redis-server is not installed' : 'could not start redis-server',
      {
        cause: error,
        hint: REDIS_HOW_TO,
      },
    );
  }
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    url: `redis://127.0.0.1:${p}`,
    stop: () =>
      new Promise<void>((ok) => {
        if (child.exitCode !== null || child.signalCode !== null) return ok();
        // SIGTERM flushes the AOF; a server that does not stop in time is killed, never left behind.
        const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        child.once('exit', () => {
          clearTimeout(force);
          ok();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** REDIS_URL when given, else a private redis-server under `dataDir`. */
export async function resolveRedis(redisUrl: string | undefined, dataDir: string): Promise<RedisHandle> {
  if (redisUrl) return { url: redisUrl, stop: async () => {} };
  return startPrivateRedis(dataDir);
}
