/**
 * PoolDirectory in process: the worker's `lookup-pool` job (jobs/lookup-pool.ts) answered at once over the given
 * gateways, its answer turned back into the pool or an AppError the way src/queue/bullmq-pool-directory.ts does.
 */
import { createLookupPoolProcessor } from '../../../jobs/lookup-pool.js';
import { AppError, ERROR_CODES, type ErrorCode } from '../../../src/errors.js';
import type { FoundPool, PoolDirectory, PoolLookup } from '../../../src/ports/pool-directory.js';
import type { PrecheckDeps } from '../../../src/services/precheck-service.js';

export class InlinePoolDirectory implements PoolDirectory {
  readonly lookups: PoolLookup[] = [];
  private readonly lookup: ReturnType<typeof createLookupPoolProcessor>;

  constructor(deps: PrecheckDeps) {
    this.lookup = createLookupPoolProcessor(deps);
  }

  async findPool(lookup: PoolLookup): Promise<FoundPool> {
    this.lookups.push(structuredClone(lookup));
    const answer = await this.lookup(structuredClone(lookup));
    if (answer.ok) return answer.found;
    const code = (ERROR_CODES as readonly string[]).includes(answer.code) ? (answer.code as ErrorCode) : 'INTERNAL';
    throw new AppError(code, answer.message, {
      retryable: answer.retryable,
      ...(answer.hint ? { hint: answer.hint } : {}),
    });
  }
}
