/**
 * PoolDirectory over BullMQ (src/ports/pool-directory.ts): a `lookup-pool` job on the `lookups` queue, answered
 * by any worker (the only processes with cloud credentials), awaited through QueueEvents. No worker within the
 * wait is a TIMEOUT that says so, never a guess.
 */
import { Queue, QueueEvents } from 'bullmq';
import { AppError, ERROR_CODES, type ErrorCode } from '../errors.js';
import type { FoundPool, PoolDirectory, PoolLookup, PoolLookupAnswer } from '../ports/pool-directory.js';
import { forwardErrors, type QueueErrorOptions } from './queue-errors.js';
import { connectionOf, JOB_LOOKUP_POOL, LOOKUPS_QUEUE, type QueueSettings } from './queues.js';

const DEFAULT_WAIT_MS = 15_000;

export class BullPoolDirectory implements PoolDirectory {
  private readonly queue: Queue<PoolLookup, PoolLookupAnswer>;
  private events: QueueEvents | undefined;

  constructor(
    private readonly settings: QueueSettings & QueueErrorOptions,
    private readonly waitMs = DEFAULT_WAIT_MS,
  ) {
    this.queue = new Queue(LOOKUPS_QUEUE, {
      connection: connectionOf(settings),
      prefix: settings.prefix,
      defaultJobOptions: { attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 3600 } },
    });
    forwardErrors([this.queue], settings.errors);
  }

  async findPool(lookup: PoolLookup): Promise<FoundPool> {
    const events = await this.queueEvents();
    const job = await this.queue.add(JOB_LOOKUP_POOL, lookup);
    let answer: PoolLookupAnswer;
    try {
      answer = (await job.waitUntilFinished(events, this.waitMs)) as PoolLookupAnswer;
    } catch (error) {
      const late = error instanceof Error && /timed out/i.test(error.message);
      await job.remove().catch(() => undefined);
      throw new AppError(
        late ? 'TIMEOUT' : 'INTERNAL',
        late
          ? `no worker answered which pool "${lookup.pool}" is within ${Math.round(this.waitMs / 1000)} s`
          : `the pool lookup failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error, retryable: true, hint: 'is `ack-migrate worker` running against the same Redis?' },
      );
    }
    if (answer.ok) return answer.found;
    const code: ErrorCode = (ERROR_CODES as readonly string[]).includes(answer.code)
      ? (answer.code as ErrorCode)
      : 'INTERNAL';
    throw new AppError(code, answer.message, {
      retryable: answer.retryable,
      ...(answer.hint ? { hint: answer.hint } : {}),
    });
  }

  private async queueEvents(): Promise<QueueEvents> {
    if (!this.events) {
      this.events = new QueueEvents(LOOKUPS_QUEUE, {
        connection: connectionOf(this.settings),
        prefix: this.settings.prefix,
      });
      forwardErrors([this.events], this.settings.errors);
      await this.events.waitUntilReady();
    }
    return this.events;
  }

  async close(): Promise<void> {
    await Promise.all([this.queue.close(), this.events?.close()]);
  }
}
