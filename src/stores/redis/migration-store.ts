/**
 * Migration records in Redis: one hash per migration (`v` = version, `doc` = JSON), indexed by pool and by
 * activity. Writes are optimistic: `update` reads, applies a pure function and writes back only if nobody wrote
 * in between (checked in one Lua script), retrying otherwise. Workers and the bot both write, never blindly.
 */
import type { Redis } from 'ioredis';
import { isTerminal, type MigrationRecord } from '../../domain/migration/record.js';
import { AppError } from '../../errors.js';
import { type MigrationStore, NoChange } from '../../ports/migration-store.js';
import { type StateKeys, stateKeys } from './state-keys.js';

// KEYS: record, active set. ARGV: expected version, new version, doc, id, active ('1'|'0').
const CAS = `
local v = redis.call('HGET', KEYS[1], 'v')
if v ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'doc', ARGV[3])
if ARGV[5] == '1' then redis.call('SADD', KEYS[2], ARGV[4]) else redis.call('SREM', KEYS[2], ARGV[4]) end
return 1`;

export class RedisMigrationStore implements MigrationStore {
  private readonly keys: StateKeys;

  /**
   * `replicated`: behind Sentinel each write is waited onto a replica (WAIT), so a failover (asynchronous
   * replication) does not forget a step the worker already acted on, such as an approval it asked for.
   */
  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly replicated = false,
  ) {
    this.keys = stateKeys(prefix);
  }

  private async replicate(): Promise<void> {
    if (this.replicated) await this.redis.call('WAIT', 1, 500).catch(() => undefined);
  }

  async create(record: MigrationRecord, poolNames: string[]): Promise<void> {
    const key = this.keys.migration(record.id);
    const created = await this.redis.hsetnx(key, 'v', String(record.version));
    if (!created) throw new AppError('CONFLICT', `migration ${record.id} already exists`);
    const multi = this.redis.multi().hset(key, 'doc', JSON.stringify(record));
    const score = Date.parse(record.createdAt);
    multi.zadd(this.keys.all, score, record.id);
    if (!isTerminal(record)) multi.sadd(this.keys.active, record.id);
    for (const name of new Set(poolNames)) multi.zadd(this.keys.poolIndex(record.clusterId, name), score, record.id);
    await multi.exec();
  }

  /** Adds more names under which the pool's migrations are found (its id and name, once resolved). */
  async indexPool(record: MigrationRecord, poolNames: string[]): Promise<void> {
    const score = Date.parse(record.createdAt);
    const multi = this.redis.multi();
    for (const name of new Set(poolNames)) multi.zadd(this.keys.poolIndex(record.clusterId, name), score, record.id);
    await multi.exec();
  }

  /** Deletes a record that never ran (a start that lost the race for its pool). */
  async remove(record: MigrationRecord, poolNames: string[]): Promise<void> {
    const multi = this.redis.multi().del(this.keys.migration(record.id)).zrem(this.keys.all, record.id);
    multi.srem(this.keys.active, record.id);
    for (const name of new Set(poolNames)) multi.zrem(this.keys.poolIndex(record.clusterId, name), record.id);
    await multi.exec();
  }

  async get(id: string): Promise<MigrationRecord | undefined> {
    const doc = await this.redis.hget(this.keys.migration(id), 'doc');
    return doc ? (JSON.parse(doc) as MigrationRecord) : undefined;
  }

  async require(id: string): Promise<MigrationRecord> {
    const r = await this.get(id);
    if (!r) throw new AppError('NOT_FOUND', `no migration ${id}`);
    return r;
  }

  /**
   * Applies `change` to the current record and writes it if nobody else wrote meanwhile; retries on a race.
   * `change` must be pure (it may run more than once); throwing NoChange leaves the record untouched.
   */
  async update(id: string, change: (current: MigrationRecord) => MigrationRecord): Promise<MigrationRecord> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const current = await this.require(id);
      let next: MigrationRecord;
      try {
        next = change(current);
      } catch (error) {
        if (error instanceof NoChange) return current;
        throw error;
      }
      if (next === current) return current;
      next = { ...next, version: current.version + 1 };
      const ok = await this.redis.eval(
        CAS,
        2,
        this.keys.migration(id),
        this.keys.active,
        String(current.version),
        String(next.version),
        JSON.stringify(next),
        id,
        isTerminal(next) ? '0' : '1',
      );
      if (ok === 1) {
        await this.replicate();
        return next;
      }
    }
    throw new AppError('CONFLICT', `migration ${id} is being changed by someone else; try again`, { retryable: true });
  }

  async active(): Promise<MigrationRecord[]> {
    const ids = await this.redis.smembers(this.keys.active);
    return this.getMany(ids);
  }

  /** Migrations of a pool, newest first. */
  async forPool(clusterId: string, pool: string, limit = 20): Promise<MigrationRecord[]> {
    const ids = await this.redis.zrevrange(this.keys.poolIndex(clusterId, pool), 0, limit - 1);
    return this.getMany(ids);
  }

  async recent(limit = 20): Promise<MigrationRecord[]> {
    const ids = await this.redis.zrevrange(this.keys.all, 0, limit - 1);
    return this.getMany(ids);
  }

  private async getMany(ids: string[]): Promise<MigrationRecord[]> {
    if (ids.length === 0) return [];
    const multi = this.redis.multi();
    for (const id of ids) multi.hget(this.keys.migration(id), 'doc');
    const results = (await multi.exec()) ?? [];
    const out: MigrationRecord[] = [];
    for (const [, doc] of results) if (typeof doc === 'string') out.push(JSON.parse(doc) as MigrationRecord);
    return out;
  }
}
