/**
 * One migration per pool, at run time: a lease `state:lease:<cluster>:<poolId>` whose value is the owning
 * migration (= BullMQ job id). Acquiring is re-entrant for the owner, so a resumed job walks back in. A holder
 * that is finished, gone, or whose job is no longer alive is stale and replaced; anyone else is refused. This
 * backs up the queue's deduplication, which a manual retry or a pool named once by name and once by id slips.
 */
import type { Redis } from 'ioredis';
import type { HolderAlive, LeaseResult, PoolLease } from '../../ports/pool-lease.js';
import { type StateKeys, stateKeys } from './state-keys.js';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const REPLACE = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 else return 0 end`;

export class RedisPoolLease implements PoolLease {
  private readonly keys: StateKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    /** Whether the holder still owns the pool: a live migration whose job still exists. */
    private readonly holderAlive: HolderAlive,
  ) {
    this.keys = stateKeys(prefix);
  }

  async acquire(clusterId: string, poolId: string, owner: string): Promise<LeaseResult> {
    const key = this.keys.lease(clusterId, poolId);
    for (let attempt = 0; attempt < 5; attempt++) {
      const set = await this.redis.set(key, owner, 'NX');
      if (set === 'OK') return { ok: true };
      const holder = await this.redis.get(key);
      if (holder === null) continue;
      if (holder === owner) return { ok: true };
      if (await this.holderAlive(holder)) return { ok: false, holder };
      const replaced = await this.redis.eval(REPLACE, 1, key, holder, owner);
      if (replaced === 1) return { ok: true };
    }
    const holder = (await this.redis.get(key)) ?? 'unknown';
    return { ok: false, holder };
  }

  async release(clusterId: string, poolId: string, owner: string): Promise<boolean> {
    return (await this.redis.eval(RELEASE, 1, this.keys.lease(clusterId, poolId), owner)) === 1;
  }

  async holder(clusterId: string, poolId: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.lease(clusterId, poolId))) ?? undefined;
  }
}
