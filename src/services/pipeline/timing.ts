/**
 * How long the worker waits and how often it looks. Real-world defaults; `scaleTiming` shrinks them all for
 * the sandbox's time scale, so a test migration takes seconds with the same code paths.
 */
export interface Timing {
  /** Between two looks at a running ACK task, an ECS instance, a snapshot or a new pool (ms). */
  pollMs: number;
  /** The first looks come faster, then slow down to pollMs while nothing changes. */
  minPollMs: number;
  /** An in-place batch's ACK task may run this long (ms). */
  taskTimeoutMs: number;
  /** After a batch, nodes must be Ready and workloads back within this (ms). */
  readyTimeoutMs: number;
  /** ACK tolerates 40 minutes of snapshot time per node (ms). */
  snapshotTimeoutMs: number;
  /** Per-node drain limit in rotate mode, then the line stops naming what blocks (ms). */
  drainTimeoutMs: number;
  /** kubectl retries a 429 eviction every 5 s (ms). */
  evictRetryMs: number;
  /** kubectl polls for an evicted pod's deletion every second (ms). */
  deletePollMs: number;
  /** A new containerd pool's nodes must join and be Ready within this (ms). */
  newPoolTimeoutMs: number;
  /** Cloud Assistant commands (cleanup) may run this long (ms). */
  commandTimeoutMs: number;
}

export const DEFAULT_TIMING: Timing = {
  pollMs: 10_000,
  minPollMs: 2_000,
  taskTimeoutMs: 90 * 60_000,
  readyTimeoutMs: 15 * 60_000,
  snapshotTimeoutMs: 40 * 60_000,
  drainTimeoutMs: 30 * 60_000,
  evictRetryMs: 5_000,
  deletePollMs: 1_000,
  newPoolTimeoutMs: 30 * 60_000,
  commandTimeoutMs: 10 * 60_000,
};

const POLLS: ReadonlySet<keyof Timing> = new Set(['pollMs', 'minPollMs', 'evictRetryMs', 'deletePollMs']);

/**
 * Every duration × scale (e.g. 0.01 with a sandbox at time scale 0.01). Poll intervals stay at least
 * `pollFloorMs` (no busy loops) and limits at least `limitFloorMs` (a busy test machine is not a timeout).
 */
export function scaleTiming(
  scale: number,
  base: Timing = DEFAULT_TIMING,
  floors: { pollFloorMs?: number; limitFloorMs?: number } = {},
): Timing {
  const out = { ...base };
  for (const key of Object.keys(out) as Array<keyof Timing>) {
    const floor = POLLS.has(key) ? (floors.pollFloorMs ?? 20) : (floors.limitFloorMs ?? 0);
    out[key] = Math.max(floor, Math.round(base[key] * scale));
  }
  return out;
}
