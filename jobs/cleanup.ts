/**
 * The `cleanup` job (job id `cleanup-<migration id>`): after a finished migration and an approval, removes the
 * old Docker directory on the data disks (src/services/cleanup-runner.ts). Safe to run twice: the runner looks
 * at what is left before it acts.
 */
import { type CleanupRunnerDeps, runCleanup } from '../src/services/cleanup-runner.js';

export function createCleanupProcessor(deps: CleanupRunnerDeps) {
  return async (migrationId: string): Promise<void> => {
    await runCleanup(deps, migrationId);
  };
}
