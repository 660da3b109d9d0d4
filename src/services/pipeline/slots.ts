/**
 * `settings.maxConcurrentMigrations` (docs/contracts.md#configuration): a migration that has not begun waits while
 * its cluster, or the whole deployment, already runs as many migrations as allowed. Every migration that has begun
 * and not ended holds a slot (also while it awaits an approval or is paused: it holds its pool), and so does every
 * waiting one that was started before it, so the queue is first come, first served.
 */
import type { MigrationRecord } from '../../domain/migration/record.js';
import type { MigrationStore } from '../../ports/migration-store.js';

export interface SlotLimits {
  perCluster?: number | undefined;
  total?: number | undefined;
}

/** Why `record` must wait for a slot, or undefined when it may begin. */
export async function queuedReason(
  store: Pick<MigrationStore, 'active'>,
  limits: SlotLimits,
  record: MigrationRecord,
): Promise<string | undefined> {
  if (limits.perCluster === undefined && limits.total === undefined) return undefined;
  const ahead = (await store.active()).filter(
    (r) =>
      r.id !== record.id &&
      (r.state !== 'pending' ||
        r.createdAt < record.createdAt ||
        (r.createdAt === record.createdAt && r.id < record.id)),
  );
  const inCluster = ahead.filter((r) => r.clusterId === record.clusterId).length;
  if (limits.perCluster !== undefined && inCluster >= limits.perCluster)
    return `queued: ${inCluster} migration${inCluster === 1 ? '' : 's'} of cluster ${record.clusterId} before it (limit ${limits.perCluster}); it starts when one ends`;
  if (limits.total !== undefined && ahead.length >= limits.total)
    return `queued: ${ahead.length} migration${ahead.length === 1 ? '' : 's'} before it (limit ${limits.total}); it starts when one ends`;
  return undefined;
}
