/**
 * The `lookup-pool` job: a worker answers which pool a command names (src/ports/pool-directory.ts), by name or
 * id, from the cloud. Read-only, so safe to run any number of times. A failure is part of the answer, so the
 * asking side gets the error's code and one line, not only a message.
 */
import type { PoolLookup, PoolLookupAnswer } from '../src/ports/pool-directory.js';
import { type PrecheckDeps, resolvePool } from '../src/services/precheck-service.js';
import { errorAnswer } from './answer-error.js';

export function createLookupPoolProcessor(deps: PrecheckDeps) {
  return async (lookup: PoolLookup): Promise<PoolLookupAnswer> => {
    try {
      return { ok: true, found: await resolvePool(deps, lookup) };
    } catch (error) {
      return errorAnswer(error);
    }
  };
}
