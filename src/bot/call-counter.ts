/**
 * Counts chat API calls per migration and batch, so the cost of a batch is measured (the Slack goal is at most
 * six calls a batch) and exposed to metrics and tests.
 */
export type ChatOp = 'post' | 'update' | 'ephemeral';

export interface MigrationCalls {
  total: number;
  byOp: Record<ChatOp, number>;
  /** Batch number (0 = before the first batch) → calls made while that batch was current. */
  byBatch: Record<number, number>;
  /** Calls rejected with a rate limit (429), included in the totals. */
  rateLimited: number;
}

export interface CallCounter {
  record(migrationId: string, batch: number | undefined, op: ChatOp, rateLimited?: boolean): void;
  get(migrationId: string): MigrationCalls | undefined;
  all(): Record<string, MigrationCalls>;
  forget(migrationId: string): void;
}

export function createCallCounter(limit = 1000): CallCounter {
  const calls = new Map<string, MigrationCalls>();
  return {
    record(migrationId, batch, op, rateLimited = false) {
      let entry = calls.get(migrationId);
      if (!entry) {
        entry = { total: 0, byOp: { post: 0, update: 0, ephemeral: 0 }, byBatch: {}, rateLimited: 0 };
        calls.set(migrationId, entry);
        // Oldest first: a long-running bot keeps the most recent migrations only.
        if (calls.size > limit) calls.delete(calls.keys().next().value as string);
      }
      entry.total += 1;
      entry.byOp[op] += 1;
      const key = batch ?? 0;
      entry.byBatch[key] = (entry.byBatch[key] ?? 0) + 1;
      if (rateLimited) entry.rateLimited += 1;
    },
    get(migrationId) {
      const entry = calls.get(migrationId);
      return entry ? structuredClone(entry) : undefined;
    },
    all() {
      return Object.fromEntries([...calls].map(([k, v]) => [k, structuredClone(v)]));
    },
    forget(migrationId) {
      calls.delete(migrationId);
    },
  };
}
