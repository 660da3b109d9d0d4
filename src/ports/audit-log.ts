/**
 * The audit log (docs/contracts.md#history-json): every command and decision, append-only, newest first on read.
 */
import type { AuditEntry } from '../domain/audit/audit-entry.js';

export interface AuditLog {
  /** Appends the entry, stamped with an id and the time. */
  append(entry: Omit<AuditEntry, 'id' | 'at'>): Promise<AuditEntry>;
  /** Newest first; with a pool, only entries about that pool. */
  list(pool?: string, limit?: number): Promise<AuditEntry[]>;
}
