/**
 * Where migration records live (docs/architecture.md#stores). Any worker and the bot read and write them;
 * writes are optimistic: `update` applies a pure function to the current record and stores the result only if
 * nobody wrote in between, retrying otherwise. Implemented in src/stores/redis/ and src/stores/memory/, both
 * held to test/contracts/stores.contract.ts.
 */
import type { MigrationRecord } from '../domain/migration/record.js';

/** Thrown by an update function to leave the record as it is. */
export class NoChange extends Error {
  constructor() {
    super('no change');
    this.name = 'NoChange';
  }
}

export interface MigrationStore {
  /** Stores a new record, found under each of `poolNames` (its name and id); CONFLICT when the id exists. */
  create(record: MigrationRecord, poolNames: string[]): Promise<void>;
  /** Adds more names under which the pool's migrations are found (its id and name, once resolved). */
  indexPool(record: MigrationRecord, poolNames: string[]): Promise<void>;
  /** Deletes a record that never ran (a start that lost the race for its pool). */
  remove(record: MigrationRecord, poolNames: string[]): Promise<void>;
  get(id: string): Promise<MigrationRecord | undefined>;
  /** The record, or NOT_FOUND. */
  require(id: string): Promise<MigrationRecord>;
  /**
   * Applies `change` to the current record and writes it (version + 1) if nobody else wrote meanwhile; retries
   * on a race, CONFLICT (retryable) when it keeps losing. `change` must be pure (it may run more than once);
   * throwing NoChange, or returning the record itself, leaves it untouched.
   */
  update(id: string, change: (current: MigrationRecord) => MigrationRecord): Promise<MigrationRecord>;
  /** Records not yet completed or aborted. */
  active(): Promise<MigrationRecord[]>;
  /** Migrations of a pool (by any name it was indexed under), newest first. */
  forPool(clusterId: string, pool: string, limit?: number): Promise<MigrationRecord[]>;
  /** Every migration, newest first. */
  recent(limit?: number): Promise<MigrationRecord[]>;
}
