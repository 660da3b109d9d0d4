/**
 * One migration per pool at run time (docs/architecture.md#migration-pipeline): a lease per (cluster, pool id)
 * whose value is the owning migration. Acquiring is re-entrant for the owner, so a resumed job walks back in; a
 * holder that is no longer alive (finished, gone, its job dead) is replaced; anyone else is refused.
 */
export type LeaseResult = { ok: true } | { ok: false; holder: string };

/** Whether a holder still owns its pool: a live migration whose job still exists. */
export type HolderAlive = (holder: string) => Promise<boolean>;

export interface PoolLease {
  acquire(clusterId: string, poolId: string, owner: string): Promise<LeaseResult>;
  /** True when `owner` held the lease and released it. */
  release(clusterId: string, poolId: string, owner: string): Promise<boolean>;
  holder(clusterId: string, poolId: string): Promise<string | undefined>;
}
