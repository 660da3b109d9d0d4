/**
 * The `cleanup` job (on the migrations queue, job id `cleanup-<migration id>`): after a finished migration and
 * an approval, removes the old Docker directory on the data disks (src/services/cleanup-runner.ts).
 */
import type { Job } from 'bullmq';
import type { CleanupJobData } from '../src/queue/queues.js';
import { type CleanupRunnerDeps, runCleanup } from '../src/services/cleanup-runner.js';

export function createCleanupProcessor(deps: CleanupRunnerDeps) {
  return async (job: Job<CleanupJobData>): Promise<unknown> => {
    await runCleanup(deps, job.data.migrationId);
    return { migrationId: job.data.migrationId };
  };
}
