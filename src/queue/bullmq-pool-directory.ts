/**
 * PoolDirectory over BullMQ (src/ports/pool-directory.ts): a `lookup-pool` job on the `lookups` queue (and the
 * FleetScanner, src/ports/fleet-scanner.ts: a `fleet-scan` job there), answered
 * by any worker (the only processes with cloud credentials), awaited through QueueEvents. No worker within the
 * wait is a TIMEOUT that says so, never a guess.
 */
import { type Job, Queue, QueueEvents } from 'bullmq';
import type { FleetView } from '../domain/fleet/fleet-view.js';
import { AppError, ERROR_CODES, type ErrorCode } from '../errors.js';
import type { FleetScanAnswer, FleetScanner } from '../ports/fleet-scanner.js';
import type { FoundPool, PoolDirectory, PoolLookup, PoolLookupAnswer } from '../ports/pool-directory.js';
import { forwardErrors, type QueueErrorOptions } from './queue-errors.js';
import { connectionOf, JOB_FLEET_SCAN, JOB_LOOKUP_POOL, LOOKUPS_QUEUE, type QueueSettings } from './queues.js';

const DEFAULT_WAIT_MS = 15_000;
const DEFAULT_FLEET_WAIT_MS = 10 * 60_000;
/** How often the wait looks at the job itself, in case its finish event was missed (see `waitFor`). */
const RECHECK_MS = 1_000;

export class BullPoolDirectory implements PoolDirectory, FleetScanner {
  private readonly queue: Queue<PoolLookup, PoolLookupAnswer | FleetScanAnswer>;
  private events: Promise<QueueEvents> | undefined;

  constructor(
    private readonly settings: QueueSettings & QueueErrorOptions,
    private readonly waitMs = DEFAULT_WAIT_MS,
    private readonly fleetWaitMs = DEFAULT_FLEET_WAIT_MS,
  ) {
    this.queue = new Queue(LOOKUPS_QUEUE, {
      connection: connectionOf(settings),
      prefix: settings.prefix,
      defaultJobOptions: { attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 3600 } },
    });
    forwardErrors([this.queue], settings.errors);
  }

  async findPool(lookup: PoolLookup): Promise<FoundPool> {
    const answer = (await this.ask(JOB_LOOKUP_POOL, lookup, this.waitMs, {
      late: `no worker answered which pool "${lookup.pool}" is`,
      failed: 'the pool lookup failed',
    })) as PoolLookupAnswer;
    if (answer.ok) return answer.found;
    throw answerError(answer);
  }

  /** The fleet view from a worker (src/ports/fleet-scanner.ts); prechecks of every pool take longer than a lookup. */
  async scanFleet(): Promise<FleetView> {
    const answer = (await this.ask(JOB_FLEET_SCAN, {}, this.fleetWaitMs, {
      late: 'no worker finished the fleet scan',
      failed: 'the fleet scan failed',
    })) as FleetScanAnswer;
    if (answer.ok) return answer.fleet;
    throw answerError(answer);
  }

  private async ask(
    name: string,
    data: PoolLookup | Record<string, never>,
    waitMs: number,
    says: { late: string; failed: string },
  ): Promise<PoolLookupAnswer | FleetScanAnswer> {
    const events = await this.queueEvents();
    const job = await this.queue.add(name, data as PoolLookup);
    try {
      return await this.waitFor(job, events, waitMs);
    } catch (error) {
      const late = error instanceof Error && /timed out/i.test(error.message);
      await job.remove().catch(() => undefined);
      throw new AppError(
        late ? 'TIMEOUT' : 'INTERNAL',
        late
          ? `${says.late} within ${Math.round(waitMs / 1000)} s`
          : `${says.failed}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error, retryable: true, hint: 'is `ack-migrate worker` running against the same Redis?' },
      );
    }
  }

  /**
   * The job's answer. A QueueEvents reader starts at the stream's end (`$`) once connected, so a finish that
   * lands between its connect and its first read is never delivered; and `waitUntilFinished` looks at the job
   * only once. So the wait is cut into short waits, each of which looks at the job again: a missed event costs at
   * most RECHECK_MS, never the whole wait.
   */
  private async waitFor(
    job: Job<PoolLookup, PoolLookupAnswer | FleetScanAnswer>,
    events: QueueEvents,
    waitMs: number,
  ): Promise<PoolLookupAnswer | FleetScanAnswer> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const left = deadline - Date.now();
      try {
        return await job.waitUntilFinished(events, Math.max(1, Math.min(RECHECK_MS, left)));
      } catch (error) {
        const late = error instanceof Error && /timed out/i.test(error.message);
        if (!late || Date.now() >= deadline) throw error;
      }
    }
  }

  /** One QueueEvents reader, shared: two lookups at once must not both create one, nor use it before it is ready. */
  private queueEvents(): Promise<QueueEvents> {
    this.events ??= (async () => {
      const events = new QueueEvents(LOOKUPS_QUEUE, {
        connection: connectionOf(this.settings),
        prefix: this.settings.prefix,
      });
      forwardErrors([events], this.settings.errors);
      await events.waitUntilReady();
      return events;
    })().catch((error: unknown) => {
      this.events = undefined; // the next lookup tries again
      throw error;
    });
    return this.events;
  }

  async close(): Promise<void> {
    const events = this.events?.catch(() => undefined);
    await Promise.all([this.queue.close(), events?.then((e) => e?.close())]);
  }
}

/** A worker's refusal as the AppError it was there. */
function answerError(answer: { code: string; message: string; hint?: string; retryable: boolean }): AppError {
  const code: ErrorCode = (ERROR_CODES as readonly string[]).includes(answer.code)
    ? (answer.code as ErrorCode)
    : 'INTERNAL';
  return new AppError(code, answer.message, {
    retryable: answer.retryable,
    ...(answer.hint ? { hint: answer.hint } : {}),
  });
}
