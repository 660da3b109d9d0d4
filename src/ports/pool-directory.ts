/**
 * Which pool a command names, as the cloud answers (docs/architecture.md#approvals-and-rights): the bot and the
 * CLI resolve a pool once, by name or id, before anything is enqueued, so its environment and approvers come from
 * the pool itself and not from how someone typed it. Only workers hold cloud credentials: the queue adapter
 * asks one (src/queue/bullmq-pool-directory.ts); the unit tier answers from a fake.
 */
import type { ClusterFacts, NodePoolFacts } from '../domain/cluster/snapshot.js';

export interface PoolLookup {
  /** Undefined: the configured default cluster, as the precheck resolves it. */
  cluster?: string;
  /** A pool name or id. */
  pool: string;
}

export interface FoundPool {
  cluster: ClusterFacts;
  pool: NodePoolFacts;
}

/** What a lookup answers on the wire: the pool, or the one-line error (an unknown pool names the pools there are). */
export type PoolLookupAnswer =
  | { ok: true; found: FoundPool }
  | { ok: false; code: string; message: string; hint?: string; retryable: boolean };

export interface PoolDirectory {
  /** The pool, or an AppError: NOT_FOUND naming the pools there are, TIMEOUT when no worker answers. */
  findPool(lookup: PoolLookup): Promise<FoundPool>;
}
