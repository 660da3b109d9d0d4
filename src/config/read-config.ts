import { readFileSync } from 'node:fs';
import { type Config, type Env, loadConfig } from './load-config.js';

/** The I/O half of configuration: reads the file named by ACK_MIGRATE_CONFIG, then validates everything. */
export function readConfig(env: Env = process.env): Config {
  const path = env.ACK_MIGRATE_CONFIG?.trim();
  let configText: string | undefined;
  if (path) {
    try {
      configText = readFileSync(path, 'utf8');
    } catch {
      configText = undefined;
    }
  }
  return loadConfig(env, configText === undefined ? {} : { configText });
}
