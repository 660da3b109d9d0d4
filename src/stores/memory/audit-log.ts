/** AuditLog in memory: append-only, newest first on read (the same contract as the Redis stream). */
import type { AuditEntry } from '../../domain/audit/audit-entry.js';
import type { AuditLog } from '../../ports/audit-log.js';

export class MemoryAuditLog implements AuditLog {
  private readonly entries: AuditEntry[] = [];
  private seq = 0;

  constructor(private readonly now: () => Date = () => new Date()) {}

  async append(entry: Omit<AuditEntry, 'id' | 'at'>): Promise<AuditEntry> {
    const at = this.now();
    const stored: AuditEntry = { ...structuredClone(entry), id: `${at.getTime()}-${this.seq++}`, at: at.toISOString() };
    this.entries.push(stored);
    return structuredClone(stored);
  }

  async list(pool?: string, limit = 50): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0 && out.length < limit; i--) {
      const e = this.entries[i]!;
      if (pool === undefined || e.pool === pool) out.push(structuredClone(e));
    }
    return out;
  }
}
