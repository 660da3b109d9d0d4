/**
 * The `migrate` job: thin (docs/architecture.md#queue-and-jobs). It asks the runner to move the migration on,
 * then says what the queue should do with the job: parked (no worker slot held while a person decides;
 * re-checked right after parking so an answer that landed meanwhile is not lost), handed back on shutdown
 * (another worker continues from the recorded step), or done. Safe to run twice: the runner resumes by step.
 */
import { isTerminal } from '../src/domain/migration/record.js';
import type { MigrationJobEnd, MigrationJobRun } from '../src/ports/job-processors.js';
import { resumedEvent } from '../src/services/migration-events.js';
import type { RunnerDeps } from '../src/services/pipeline/context.js';
import { stopTheLineForJob } from '../src/services/pipeline/job-failure.js';
import { LostLock, type RunOutcome, runMigration } from '../src/services/pipeline/runner.js';

/** Migration jobs park for hours: a wake-up is only a hint, so a long park is re-checked at least this often. */
export const LONG_PARK_MS = 24 * 3600 * 1000;

export function createMigrateProcessor(runner: RunnerDeps) {
  return async (run: MigrationJobRun): Promise<MigrationJobEnd> => {
    const id = run.migrationId;
    let outcome: RunOutcome;
    const before = await runner.store.get(id);
    const resumed = before && resumedEvent(before, runner.now());
    if (resumed) await runner.events.publish(resumed);
    try {
      outcome = await runMigration(runner, id, {
        shouldYield: () => run.stopRequested(),
        checkLock: async () => {
          if (!(await run.keepLock())) throw new LostLock(id);
        },
      });
    } catch (error) {
      // Another worker owns the job now: it alone may write the record.
      if (error instanceof LostLock) throw error;
      // An error outside a step's own handling: stop the line (paused, reason, question open) and park, rather
      // than fail the job and leave the record `running` with nothing behind it. If even that fails, the job
      // fails and the queue's failure hook tries again.
      const parked = await stopTheLineForJob(runner, id, error);
      if (!parked) throw error;
      outcome = isTerminal(parked)
        ? { type: 'ended', state: parked.state }
        : { type: 'park', until: undefined, version: parked.version };
    }
    if (outcome.type === 'ended') return { type: 'done', state: outcome.state };
    if (outcome.type === 'yield') return { type: 'hand-back' };
    const now = runner.now().getTime();
    const until = Math.max(now + 1, Math.min(outcome.until?.getTime() ?? now + LONG_PARK_MS, now + LONG_PARK_MS));
    const parkedAt = outcome.version;
    return {
      type: 'park',
      until: new Date(until),
      recheck: async () => {
        runner.kill('approval:after-park');
        // An answer may have landed while we were parking (its wake-up found the job still active): look again.
        const fresh = await runner.store.get(id);
        return !fresh || fresh.version !== parkedAt;
      },
    };
  };
}
