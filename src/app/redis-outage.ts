/**
 * The bot's side of a Redis outage (docs/architecture.md#high-availability): a decision or command that changes
 * something is refused up front, "Redis unavailable, try again", when Redis does not answer, so nothing is
 * half-applied; and what was applied is audited and announced: the audit entry, the progress event and the
 * wake-up that follow a change are retried until Redis is back (bounded), instead of being dropped.
 */
import { AppError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { EventPublisher } from '../ports/event-stream.js';
import type { MigrationJobs } from '../ports/job-queue.js';
import type { MigrationService } from '../ports/migration-service.js';

export interface OutageOptions {
  /** How long a write that follows an applied change is retried (default 120 s). */
  deadlineMs?: number;
  retryDelayMs?: number;
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

/** Calls `call` until it succeeds or the deadline passes (then its last error). */
export async function untilRedisAnswers<T>(what: string, call: () => Promise<T>, o: OutageOptions = {}): Promise<T> {
  const deadline = Date.now() + (o.deadlineMs ?? 120_000);
  const sleep = o.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      if (attempt === 1) o.logger?.warn({ what }, 'Redis unavailable: retrying until it is back');
      await sleep(Math.min((o.retryDelayMs ?? 250) * attempt, 2000));
    }
  }
}

/** Every entry reaches the log: an append is retried through an outage (docs/contracts.md#history-json). */
export function durableAuditLog(log: AuditLog, o: OutageOptions = {}): AuditLog {
  return {
    append: (entry) => untilRedisAnswers('audit entry', () => log.append(entry), o),
    list: (pool, limit) => log.list(pool, limit),
  };
}

export function durablePublisher(events: EventPublisher, o: OutageOptions = {}): EventPublisher {
  return { publish: (event) => untilRedisAnswers('progress event', () => events.publish(event), o) };
}

/** Wake-ups of a decision are retried; the rest is passed through. */
export function durableJobs<J extends MigrationJobs>(jobs: J, o: OutageOptions = {}): MigrationJobs {
  return {
    enqueueMigration: (id, key) => jobs.enqueueMigration(id, key),
    wake: (id, key) => untilRedisAnswers('job wake-up', () => jobs.wake(id, key), o),
    enqueuePrecheck: (data) => jobs.enqueuePrecheck(data),
    enqueueCleanup: (id) => untilRedisAnswers('cleanup job', () => jobs.enqueueCleanup(id), o),
  };
}

/** The service calls that change something: refused before they start while Redis does not answer. */
const CHANGES = new Set<string>(['start', 'decide', 'controlByPool', 'requestCleanup', 'requestPrecheck']);

export const REDIS_UNAVAILABLE_MESSAGE = 'Redis unavailable, try again: nothing was changed';

export function refuseWhileRedisDown<S extends MigrationService>(service: S, answers: () => Promise<boolean>): S {
  return new Proxy(service, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (typeof prop !== 'string' || !CHANGES.has(prop)) return method.bind(target);
      return async (...args: unknown[]) => {
        if (!(await answers())) throw new AppError('REDIS_UNAVAILABLE', REDIS_UNAVAILABLE_MESSAGE, { retryable: true });
        return method.apply(target, args);
      };
    },
  });
}
