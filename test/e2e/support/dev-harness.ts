/**
 * The demo as `npm start` runs it, but in the test process: `startDev` on a free port with a private data dir,
 * so its private redis-server (AOF under <dataDir>/redis) and its sandbox are this test's alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DevApp, startDev } from '../../../src/app/dev-app.js';
import { createLogger } from '../../../src/log/logger.js';

export interface DemoOptions {
  /** Reuse a data dir (a second `npm start`); default: a fresh temporary one. */
  dataDir?: string;
  timeScale: number;
}

/** A temporary data dir for one test file; remove it with `removeDataDir` in afterAll. */
export function tempDataDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `ack-migrate-${name}-`));
}

export function removeDataDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/**
 * The environment of a fresh clone: no REDIS_URL (the demo starts its own Redis, so the shared test Redis and
 * its default queue prefix are never touched), no chat credentials, no config file.
 */
function cleanEnv(): Record<string, string | undefined> {
  return { PATH: process.env.PATH, HOME: process.env.HOME };
}

export async function startDemo(options: DemoOptions): Promise<{ app: DevApp; dataDir: string }> {
  const dataDir = options.dataDir ?? tempDataDir('demo');
  const logger = createLogger({ level: process.env.E2E_LOG_LEVEL ?? 'warn', name: 'ack-migrate-e2e' });
  const app = await startDev({ env: cleanEnv(), logger, dataDir, port: 0, timeScale: options.timeScale });
  return { app, dataDir };
}
