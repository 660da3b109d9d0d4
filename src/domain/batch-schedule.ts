/** ACK's upper bound on nodes upgraded at once in a node pool. */
export const ACK_MAX_PARALLEL = 10;
export const DEFAULT_MINUTES_PER_BATCH = 8;

/** Default parallelism: 10% of the pool's nodes, at least 1, at most ACK's 10. */
export function defaultMaxParallel(nodeCount: number): number {
  return Math.min(ACK_MAX_PARALLEL, Math.max(1, Math.floor(nodeCount / 10)));
}

/**
 * Batch sizes 1, 2, 4, 8, … capped at `maxParallel`, then `maxParallel` until every node is covered. The last
 * batch holds what remains. Sizes always sum to `nodeCount`.
 */
export function batchSizes(nodeCount: number, maxParallel: number): number[] {
  if (!Number.isInteger(nodeCount) || nodeCount < 0) throw new RangeError(`nodeCount must be >= 0, got ${nodeCount}`);
  if (!Number.isInteger(maxParallel) || maxParallel < 1)
    throw new RangeError(`maxParallel must be >= 1, got ${maxParallel}`);
  const sizes: number[] = [];
  let left = nodeCount;
  let next = 1;
  while (left > 0) {
    const size = Math.min(next, maxParallel, left);
    sizes.push(size);
    left -= size;
    next = Math.min(next * 2, maxParallel);
  }
  return sizes;
}

export interface Schedule {
  maxParallel: number;
  batches: number[];
  estimatedMinutes: number;
}

export function schedule(
  nodeCount: number,
  maxParallel?: number,
  minutesPerBatch = DEFAULT_MINUTES_PER_BATCH,
): Schedule {
  const cap = maxParallel ?? defaultMaxParallel(nodeCount);
  const batches = batchSizes(nodeCount, cap);
  return { maxParallel: cap, batches, estimatedMinutes: batches.length * minutesPerBatch };
}
