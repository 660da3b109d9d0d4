/**
 * Node-pool mutations that act on state, not on an error code (docs/architecture.md#stop-the-line-and-resume): before
 * a mutation the pool's `status.state` and the cluster's running tasks are read until the pool is idle; after it,
 * the returned `task_id` is followed to its end. A read that fails transiently while waiting is read again until the
 * wait's time budget is spent.
 */
import { AppError, isAppError } from '../../errors.js';
import type { AckApi, RawNodePool } from './ack-api.js';
import type { RawTask } from './ack-task.js';

export interface PoolWaitOptions {
  /** Longest pause between polls (ms); the first polls come sooner. */
  pollMs: number;
  /** How long a wait (for an idle pool, for a task) may take (ms). */
  timeoutMs: number;
}

const ENDED = new Set(['success', 'succeeded', 'fail', 'failed', 'canceled', 'cancelled']);

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A failed write whose outcome the service did not tell (5xx, read timeout …): look before asking again. */
export function outcomeUnknown(error: unknown): boolean {
  return isAppError(error) && error.details.outcome === 'unknown';
}

export class PoolTasks {
  constructor(
    private readonly ack: AckApi,
    private readonly options: PoolWaitOptions,
  ) {}

  /** Polls `probe` (soon, then less often) until it answers a value; transient read failures are polled through. */
  async poll<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + this.options.timeoutMs;
    let pause = Math.min(100, this.options.pollMs);
    let last: unknown;
    for (;;) {
      try {
        const value = await probe();
        if (value !== undefined) return value;
      } catch (error) {
        if (!isAppError(error) || !error.retryable) throw error;
        last = error;
      }
      if (Date.now() >= deadline) {
        const why = last instanceof Error ? ` (last error: ${last.message})` : '';
        throw new AppError(
          'TIMEOUT',
          `${what} did not happen within ${Math.round(this.options.timeoutMs / 1000)} s${why}`,
          {
            retryable: true,
          },
        );
      }
      await sleep(pause);
      pause = Math.min(this.options.pollMs, pause * 2);
    }
  }

  /** Waits until the pool is `active` with no task of its own running; undefined when the pool is gone. */
  async untilIdle(clusterId: string, poolId: string): Promise<RawNodePool | undefined> {
    const found = await this.poll(`node pool ${poolId} becoming idle`, async () => {
      const pool = (await this.ack.rawNodePools(clusterId)).find((p) => p.nodepool_info?.nodepool_id === poolId);
      if (!pool) return { pool: undefined };
      if ((pool.status?.state ?? '') !== 'active') return undefined;
      return (await this.ack.findActiveTask(clusterId, poolId)) ? undefined : { pool };
    });
    return found.pool;
  }

  /** Follows a task to its end; a task that fails or is cancelled is an AppError naming ACK's reason. */
  async waitTask(taskId: string, what: string): Promise<RawTask> {
    if (!taskId) throw new AppError('CLOUD_API', `ACK answered ${what} without a task_id`);
    const task = await this.poll(`ACK task ${taskId} (${what})`, async () => {
      const raw = await this.ack.rawTask(taskId);
      return ENDED.has((raw.state ?? '').toLowerCase()) ? raw : undefined;
    });
    const state = (task.state ?? '').toLowerCase();
    if (state === 'success' || state === 'succeeded') return task;
    throw new AppError(
      'CLOUD_API',
      `ACK task ${taskId} (${what}) ended ${state}${task.error?.message ? `: ${task.error.message}` : ''}`,
      { details: { service: 'ACK', action: 'DescribeTaskInfo', code: task.error?.code ?? state, taskId } },
    );
  }
}
