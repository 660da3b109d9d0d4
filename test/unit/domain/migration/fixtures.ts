import type { Origin } from '../../../../src/domain/migration/events.js';
import {
  type BatchRecord,
  createMigrationRecord,
  type MigrationOptions,
  type MigrationRecord,
} from '../../../../src/domain/migration/record.js';

export const T0 = new Date('2026-05-04T02:00:00Z');
export const requester: Origin = { platform: 'slack', channel: 'C1', userId: 'U_REQ' };

export function options(over: Partial<MigrationOptions> = {}): MigrationOptions {
  return { maxParallel: 2, snapshot: false, soakSeconds: 0, forceBarePods: false, autoApprove: false, ...over };
}

/** A planned migration of pool-a with batches [[n1], [n2, n3]]. */
export function planned(over: Partial<MigrationRecord> = {}, opts: Partial<MigrationOptions> = {}): MigrationRecord {
  const base = createMigrationRecord({
    id: 'mig-pool-a-01h',
    clusterId: 'c-demo',
    poolRef: 'pool-a',
    mode: 'in-place',
    options: options(opts),
    origin: requester,
    production: true,
    now: T0,
  });
  const batches: BatchRecord[] = [
    { index: 1, nodes: ['pool-a-1'], state: 'pending', nodeStates: {} },
    { index: 2, nodes: ['pool-a-2', 'pool-a-3'], state: 'pending', nodeStates: {} },
  ];
  return {
    ...base,
    poolId: 'np-a',
    poolName: 'pool-a',
    state: 'running',
    plan: { maxParallel: 2, batches: batches.map((b) => b.nodes), estimatedMinutes: 16, notes: [] },
    batches,
    cursor: { step: 'plan', batch: 0, phase: 'pending' },
    ...over,
  };
}
