/**
 * The precheck job: the same report as `ack-migrate precheck --json`, for the chat side to render. Thin on
 * purpose: all the work is in src/services/precheck-service.ts.
 */
import { type Job, UnrecoverableError } from 'bullmq';
import type { Origin } from '../src/domain/migration/events.js';
import type { PrecheckReport } from '../src/domain/precheck/report.js';
import { asAppError } from '../src/errors.js';
import { type PrecheckDeps, runPrecheck } from '../src/services/precheck-service.js';

export const PRECHECK_JOB_NAME = 'precheck';

export interface PrecheckJobData {
  /** Cluster id; default: the deps' defaultClusterId, else the only cluster the cloud knows. */
  cluster?: string;
  /** Pool name or id. */
  pool: string;
  maxParallel?: number;
  /** `/migrate plan`: the plan only, so ACK's own (slow) check is skipped and its findings are absent. */
  planOnly: boolean;
  /** Who asked and where to answer; passed through for the chat side. */
  origin: Origin;
}

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
