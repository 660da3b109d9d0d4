/**
 * MigrationStore in memory (the unit tier, benchmarks of the pipeline): the same contract as the Redis store
 * (test/contracts/stores.contract.ts), records copied in and out so no caller shares an object with the store.
 */
import { isTerminal, type MigrationRecord } from '../../domain/migration/record.js';
import { AppError } from '../../errors.js';
import { type MigrationStore, NoChange } from '../../ports/migration-store.js';

const poolKey = (clusterId: string, pool: string) => `${clusterId}\u0000${pool}`;

export class MemoryMigrationStore implements MigrationStore {
  private readonly records = new Map<string, MigrationRecord>();
  /** Insertion order = creation order; every read sorts by createdAt, newest first. */
  private readonly pools = new Map<string, Set<string>>();

  async create(record: MigrationRecord, poolNames: string[]): Promise<void> {
    if (this.records.has(record.id)) throw new AppError('CONFLICT', `migration ${record.id} already exists`);
    this.records.set(record.id, structuredClone(record));
    await this.indexPool(record, poolNames);
  }

  async indexPool(record: MigrationRecord, poolNames: string[]): Promise<void> {
    for (const name of poolNames) {
      const key = poolKey(record.clusterId, name);
      const ids = this.pools.get(key) ?? new Set<string>();
      ids.add(record.id);
      this.pools.set(key, ids);
    }
  }

  async remove(record: MigrationRecord, poolNames: string[]): Promise<void> {
    this.records.delete(record.id);
    for (const name of poolNames) this.pools.get(poolKey(record.clusterId, name))?.delete(record.id);
  }

  async get(id: string): Promise<MigrationRecord | undefined> {
    const r = this.records.get(id);
    return r ? structuredClone(r) : undefined;
  }

  async require(id: string): Promise<MigrationRecord> {
    const r = await this.get(id);
    if (!r) throw new AppError('NOT_FOUND', `no migration ${id}`);
    return r;
  }

  async update(id: string, change: (current: MigrationRecord) => MigrationRecord): Promise<MigrationRecord> {
    // No await from this read to the write below: in one process that is the compare-and-set.
    const stored = this.records.get(id);
    if (!stored) throw new AppError('NOT_FOUND', `no migration ${id}`);
    const current = structuredClone(stored);
    let next: MigrationRecord;
    try {
      next = change(current);
    } catch (error) {
      if (error instanceof NoChange) return current;
      throw error;
    }
    if (next === current) return current;
    next = { ...next, version: current.version + 1 };
    this.records.set(id, structuredClone(next));
    return next;
  }

  async active(): Promise<MigrationRecord[]> {
    return this.sorted([...this.records.values()].filter((r) => !isTerminal(r)));
  }

  async forPool(clusterId: string, pool: string, limit = 20): Promise<MigrationRecord[]> {
    const ids = this.pools.get(poolKey(clusterId, pool)) ?? new Set<string>();
    const found = [...ids].map((id) => this.records.get(id)).filter((r): r is MigrationRecord => r !== undefined);
    return this.sorted(found).slice(0, limit);
  }

  async recent(limit = 20): Promise<MigrationRecord[]> {
    return this.sorted([...this.records.values()]).slice(0, limit);
  }

  private sorted(records: MigrationRecord[]): MigrationRecord[] {
    return records
      .map((r) => structuredClone(r))
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : -1));
  }
}
