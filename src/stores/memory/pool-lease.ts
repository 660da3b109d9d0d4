/** PoolLease in memory: re-entrant for its owner, a dead holder replaced (the same contract as the Redis lease). */
import type { HolderAlive, LeaseResult, PoolLease } from '../../ports/pool-lease.js';

export class MemoryPoolLease implements PoolLease {
  private readonly holders = new Map<string, string>();

  constructor(private readonly holderAlive: HolderAlive) {}

  async acquire(clusterId: string, poolId: string, owner: string): Promise<LeaseResult> {
    const key = `${clusterId}\u0000${poolId}`;
    const holder = this.holders.get(key);
    if (holder === undefined || holder === owner) {
      this.holders.set(key, owner);
      return { ok: true };
    }
    if (await this.holderAlive(holder)) return { ok: false, holder };
    // Someone else may have taken it while we asked: replace only the holder we judged dead.
    if (this.holders.get(key) !== holder) return this.acquire(clusterId, poolId, owner);
    this.holders.set(key, owner);
    return { ok: true };
  }

  async release(clusterId: string, poolId: string, owner: string): Promise<boolean> {
    const key = `${clusterId}\u0000${poolId}`;
    if (this.holders.get(key) !== owner) return false;
    this.holders.delete(key);
    return true;
  }

  async holder(clusterId: string, poolId: string): Promise<string | undefined> {
    return this.holders.get(`${clusterId}\u0000${poolId}`);
  }
}
