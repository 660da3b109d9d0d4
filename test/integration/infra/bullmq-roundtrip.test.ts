import { Queue, QueueEvents, Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { connectTestRedis, redisUrl, testPrefix } from '../../support/redis.js';

describe('BullMQ on the test Redis', () => {
  const prefix = testPrefix('roundtrip');
  const connection = { url: redisUrl(), maxRetriesPerRequest: null };
  const closers: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
  });

  it('runs a job and returns its result', async () => {
    const redis = await connectTestRedis();
    closers.push(() => redis.quit());
    const queue = new Queue('roundtrip', { connection, prefix });
    const events = new QueueEvents('roundtrip', { connection, prefix });
    const worker = new Worker('roundtrip', async (job) => ({ doubled: (job.data as { n: number }).n * 2 }), {
      connection,
      prefix,
    });
    closers.push(
      () => queue.close(),
      () => events.close(),
      () => worker.close(),
    );
    await events.waitUntilReady();
    const job = await queue.add('double', { n: 21 });
    await expect(job.waitUntilFinished(events, 10_000)).resolves.toEqual({ doubled: 42 });
    // BullMQ loses jobs under eviction; the private server we start for tests is configured like production.
    if (!process.env.REDIS_URL) expect(await redis.config('GET', 'maxmemory-policy')).toContain('noeviction');
  });
});
