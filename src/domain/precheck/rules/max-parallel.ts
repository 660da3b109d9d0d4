import { ACK_MAX_PARALLEL, defaultMaxParallel } from '../../batch-schedule.js';
import { finding, plural } from '../findings.js';
import { effectiveMaxParallel, type PrecheckInput, poolNodeCount, requestedParallelism } from '../input.js';
import type { Finding } from '../report.js';

/**
 * The requested parallelism is over 10% of the pool's nodes or over ACK's 10. "Over 10%" means above
 * max(1, floor(nodes / 10)) — the default — so asking for 1 on a small pool is never a warning.
 */
export function maxParallel(input: PrecheckInput): Finding[] {
  const requested = requestedParallelism(input);
  const nodes = poolNodeCount(input);
  const limit = defaultMaxParallel(nodes);
  if (requested === undefined || requested <= limit) return [];
  const used = effectiveMaxParallel(input);
  const reason =
    requested > ACK_MAX_PARALLEL
      ? `over ACK's maximum of ${ACK_MAX_PARALLEL}`
      : `over 10% of the pool's ${plural(nodes, 'node')} (${limit})`;
  return [
    finding(
      'max-parallel',
      'warning',
      { kind: 'NodePool', name: input.pool.name },
      `requested parallelism ${requested} is ${reason}; the plan uses ${used}`,
      `Large batches take more capacity away at once and widen the blast radius of a failure: use --max-parallel ${limit === 1 ? '1' : `${limit} or less`} unless the pool has room to spare.`,
    ),
  ];
}
