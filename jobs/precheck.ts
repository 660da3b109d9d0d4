/**
 * The precheck job: the same report as `ack-migrate precheck --json`, for the chat side to render. Thin on
 * purpose: all the work is in src/services/precheck-service.ts.
 */
import { type Job, UnrecoverableError } from 'bullmq';
import type { PrecheckReport } from '../src/domain/precheck/report.js';
import { asAppError } from '../src/errors.js';
import type { PrecheckJobData } from '../src/services/job-queue.js';
import { type PrecheckDeps, runPrecheck } from '../src/services/precheck-service.js';

export type { PrecheckJobData };

/**
 * A BullMQ processor. A failure the user has to fix (unknown pool, bad credentials …) fails the job at once
 * (UnrecoverableError, message = the one-line error); throttling and outages are thrown as they are, so the
 * job's `attempts` retry them.
 */
export function createPrecheckProcessor(deps: PrecheckDeps | (() => PrecheckDeps)) {
  return async (job: Job<PrecheckJobData>): Promise<PrecheckReport> => {
    const { cluster, pool, maxParallel, planOnly } = job.data;
    try {
      return await runPrecheck(
        typeof deps === 'function' ? deps() : deps,
        { cluster, pool, maxParallel },
        { skipAckCheck: planOnly },
      );
    } catch (error) {
      const e = asAppError(error);
      if (e.retryable) throw e;
      throw new UnrecoverableError(e.toLine());
    }
  };
}
