/**
 * The precheck job: the same report as `ack-migrate precheck --json` (src/services/precheck-service.ts), told
 * to the chat side as a `precheck.finished` or `precheck.failed` event (docs/contracts.md#progress-events).
 */
import type { PrecheckReport } from '../src/domain/precheck/report.js';
import { asAppError } from '../src/errors.js';
import type { EventPublisher } from '../src/ports/event-stream.js';
import type { PrecheckJobData } from '../src/ports/job-queue.js';
import { type PrecheckDeps, runPrecheck } from '../src/services/precheck-service.js';

export interface PrecheckProcessorDeps {
  precheck: PrecheckDeps | (() => PrecheckDeps);
  events: EventPublisher;
  now: () => Date;
}

/**
 * A failure the user has to fix (unknown pool, bad credentials …) is an AppError that is not retryable: the
 * queue fails the job at once. Throttling and outages stay retryable.
 */
export function createPrecheckProcessor(deps: PrecheckProcessorDeps) {
  return async (data: PrecheckJobData): Promise<PrecheckReport> => {
    const { cluster, pool, maxParallel, planOnly } = data;
    const at = () => deps.now().toISOString();
    try {
      const report = await runPrecheck(
        typeof deps.precheck === 'function' ? deps.precheck() : deps.precheck,
        { cluster, pool, maxParallel },
        { skipAckCheck: planOnly },
      );
      await deps.events.publish({ type: 'precheck.finished', at: at(), origin: data.origin, report });
      return report;
    } catch (error) {
      const failure = asAppError(error);
      await deps.events.publish({
        type: 'precheck.failed',
        at: at(),
        origin: data.origin,
        pool,
        reason: failure.toLine(),
      });
      throw failure;
    }
  };
}
