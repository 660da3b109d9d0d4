/**
 * Every store port in memory, wired like src/stores/redis/redis-stores.ts: the unit tier runs the pipeline and
 * the MigrationService on these (no Redis, no child process).
 */
import type { HolderAlive } from '../../ports/pool-lease.js';
import { MemoryAuditLog } from './audit-log.js';
import { MemoryDecisionStore } from './decision-store.js';
import { MemoryEventStream } from './event-stream.js';
import { MemoryMigrationStore } from './migration-store.js';
import { MemoryPoolLease } from './pool-lease.js';

export interface MemoryStores {
  migrations: MemoryMigrationStore;
  decisions: MemoryDecisionStore;
  audit: MemoryAuditLog;
  events: MemoryEventStream;
  lease: MemoryPoolLease;
}

export function createMemoryStores(options: { now?: () => Date; holderAlive?: HolderAlive } = {}): MemoryStores {
  const migrations = new MemoryMigrationStore();
  const holderAlive: HolderAlive =
    options.holderAlive ??
    (async (holder) => {
      const r = await migrations.get(holder);
      return r !== undefined && r.state !== 'completed' && r.state !== 'aborted';
    });
  return {
    migrations,
    decisions: new MemoryDecisionStore(),
    audit: new MemoryAuditLog(options.now),
    events: new MemoryEventStream(),
    lease: new MemoryPoolLease(holderAlive),
  };
}
