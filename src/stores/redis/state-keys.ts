/**
 * Redis keys of the migration state, under the same prefix as the BullMQ queues (so a `{hash-tag}` prefix keeps
 * everything in one Redis Cluster slot), but in their own `state:` namespace so queue maintenance
 * (obliterate, clean) never touches them.
 */
export function stateKeys(prefix: string) {
  const base = `${prefix}:state`;
  return {
    migration: (id: string) => `${base}:migration:${id}`,
    poolIndex: (clusterId: string, pool: string) => `${base}:pool:${clusterId}:${pool}`,
    /** zset of every migration id by creation time. */
    all: `${base}:migrations`,
    /** set of migrations not yet completed or aborted. */
    active: `${base}:active`,
    decision: (migrationId: string, nonce: string) => `${base}:decision:${migrationId}:${nonce}`,
    lease: (clusterId: string, poolId: string) => `${base}:lease:${clusterId}:${poolId}`,
    audit: `${base}:audit`,
    events: `${base}:events`,
    eventCursor: (consumer: string) => `${base}:events-cursor:${consumer}`,
    /** Lease of one partition of a shared event source (src/stores/redis/event-group.ts). */
    eventGroupLease: (group: string, partition: number) => `${base}:events-group:${group}:lease:${partition}`,
    /** zset of a shared source's live replicas by heartbeat time. */
    eventGroupReplicas: (group: string) => `${base}:events-group:${group}:replicas`,
    /** The chat message posted for one event (src/stores/redis/post-ledger.ts). */
    posted: (key: string) => `${base}:posted:${key}`,
  };
}

export type StateKeys = ReturnType<typeof stateKeys>;
