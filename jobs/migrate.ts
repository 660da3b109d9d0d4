/**
 * The `migrate` job: thin. It asks the runner to move the migration on, then turns the outcome into BullMQ
 * terms (docs/architecture.md#queue-and-jobs): parked → moveToDelayed + DelayedError (no worker slot held while a
 * person decides), re-checked right after parking so an answer that landed meanwhile is not lost; shutdown →
 * moveToWait + WaitingError (another worker continues from the recorded step); ended → the job completes and
 * its deduplication key goes with it.
 */
import { DelayedError, type Job, WaitingError } from 'bullmq';
import { isTerminal } from '../src/domain/migration/record.js';
import type { MigrateJobData } from '../src/queue/queues.js';
import { LONG_PARK_MS } from '../src/queue/queues.js';
import type { RunnerDeps } from '../src/services/pipeline/context.js';
import { stopTheLineForJob } from '../src/services/pipeline/job-failure.js';
import { LostLock, type RunOutcome, runMigration } from '../src/services/pipeline/runner.js';

export interface MigrateProcessorDeps {
  runner: RunnerDeps;
  /** True once the worker is shutting down. */
  shuttingDown: () => boolean;
  /** The lock duration the worker uses, for the fencing check before destructive calls. */
  lockDurationMs: number;
}

export function createMigrateProcessor(deps: MigrateProcessorDeps) {
  // Three parameters: BullMQ passes the AbortSignal only to processors that declare it.
  return async (job: Job<MigrateJobData>, token?: string, signal?: AbortSignal): Promise<unknown> => {
    const id = job.data.migrationId;
    let outcome: RunOutcome;
    try {
      outcome = await runMigration(deps.runner, id, {
        shouldYield: () => deps.shuttingDown() || signal?.aborted === true,
        checkLock: async () => {
          if (token && (await job.extendLock(token, deps.lockDurationMs)) !== 1) throw new LostLock(job.id ?? id);
        },
      });
    } catch (error) {
      // Another worker owns the job now: it alone may write the record.
      if (error instanceof LostLock) throw error;
      // An error outside a step's own handling: stop the line (paused, reason, question open) and park, rather
      // than fail the job and leave the record `running` with nothing behind it. If even that fails, the job
      // fails and the worker's 'failed' listener tries again.
      const parked = await stopTheLineForJob(deps.runner, id, error);
      if (!parked) throw error;
      outcome = isTerminal(parked)
        ? { type: 'ended', state: parked.state }
        : { type: 'park', until: undefined, version: parked.version };
    }
    if (outcome.type === 'ended') return { state: outcome.state };
    if (!token) throw new Error(`job ${job.id} has no lock token: cannot park or hand it back`);
    if (outcome.type === 'yield') {
      await job.moveToWait(token);
      throw new WaitingError();
    }
    const now = deps.runner.now().getTime();
    const until = Math.max(now + 1, Math.min(outcome.until?.getTime() ?? now + LONG_PARK_MS, now + LONG_PARK_MS));
    await job.moveToDelayed(until, token);
    deps.runner.kill('approval:after-park');
    // An answer may have landed while we were parking (its wake-up found the job still active): look again.
    const fresh = await deps.runner.store.get(id);
    if (!fresh || fresh.version !== outcome.version) {
      await job.promote().catch((error: { code?: number }) => {
        // -3: not delayed any more, someone else woke it already.
        if (error.code !== -3) throw error;
      });
    }
    throw new DelayedError();
  };
}
