/**
 * The pool lookup over BullMQ (src/queue/bullmq-pool-directory.ts): the asking side gets the worker's answer,
 * however many lookups start at once on a fresh directory, and a clear TIMEOUT when no worker is there.
 */
import { Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import type { FoundPool, PoolLookup, PoolLookupAnswer } from '../../../src/ports/pool-directory.js';
import { BullPoolDirectory } from '../../../src/queue/bullmq-pool-directory.js';
import { LOOKUPS_QUEUE } from '../../../src/queue/queues.js';
import { redisUrl, testPrefix } from '../../support/redis.js';

const found = (pool: string) => ({ cluster: { clusterId: 'c-1' }, pool: { name: pool } }) as unknown as FoundPool;

describe('BullPoolDirectory', () => {
  const closers: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('answers every one of many lookups started at once on a fresh directory', async () => {
    const prefix = testPrefix('lookups');
    const worker = new Worker<PoolLookup, PoolLookupAnswer>(
      LOOKUPS_QUEUE,
      async (job) =>
        job.data.pool === 'nope'
          ? { ok: false, code: 'NOT_FOUND', message: 'no pool "nope" in c-1 (pools: a, b)', retryable: false }
          : { ok: true, found: found(job.data.pool) },
      { connection: { url: redisUrl(), maxRetriesPerRequest: null }, prefix, concurrency: 16 },
    );
    closers.push(() => worker.close());
    const directory = new BullPoolDirectory({ redisUrl: redisUrl(), prefix });
    closers.push(() => directory.close());
    const pools = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];
    const answers = await Promise.all(pools.map((pool) => directory.findPool({ pool })));
    expect(answers.map((a) => a.pool.name)).toEqual(pools);
    await expect(directory.findPool({ pool: 'nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'no pool "nope" in c-1 (pools: a, b)',
    });
  });

  it('says no worker answered, within the wait, when none is running', async () => {
    const directory = new BullPoolDirectory({ redisUrl: redisUrl(), prefix: testPrefix('lookups-none') }, 1_500);
    closers.push(() => directory.close());
    const started = Date.now();
    await expect(directory.findPool({ pool: 'pool-a' })).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: 'no worker answered which pool "pool-a" is within 2 s',
    });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
