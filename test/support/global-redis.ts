import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { REDIS_HOW_TO, type RedisHandle, startPrivateRedis } from '../../src/infra/redis/private-redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

let handle: RedisHandle | undefined;

/**
 * Tests use REDIS_URL when it is set; otherwise one private redis-server for the whole run, so a fresh clone
 * passes whether or not a Redis already listens on 6379. Each test file isolates itself with its own key prefix.
 */
export async function setup(project: TestProject): Promise<void> {
  const external = process.env.REDIS_URL;
  if (external) {
    project.provide('redisUrl', external);
    return;
  }
  try {
    handle = await startPrivateRedis(mkdtempSync(join(tmpdir(), 'ack-migrate-test-redis-')));
  } catch (error) {
    throw new Error(`Tests need Redis: ${REDIS_HOW_TO}. (${(error as Error).message})`);
  }
  project.provide('redisUrl', handle.url);
}

export async function teardown(): Promise<void> {
  await handle?.stop();
}
