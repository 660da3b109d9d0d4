/**
 * The audit log (docs/contracts.md#history-json): every command and decision, with who, from which platform, what,
 * which migration and batch, the outcome and when. A Redis stream, append-only, trimmed only far beyond what anyone
 * reads.
 */
import type { Redis } from 'ioredis';
import type { AuditEntry } from '../../domain/audit/audit-entry.js';
import type { AuditLog } from '../../ports/audit-log.js';
import { type StateKeys, stateKeys } from './state-keys.js';

const MAX_ENTRIES = 100_000;

export class RedisAuditLog implements AuditLog {
  private readonly keys: StateKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.keys = stateKeys(prefix);
  }

  async append(entry: Omit<AuditEntry, 'id' | 'at'>): Promise<AuditEntry> {
    const at = this.now().toISOString();
    const id = await this.redis.xadd(
      this.keys.audit,
      'MAXLEN',
      '~',
      String(MAX_ENTRIES),
      '*',
      'e',
      JSON.stringify({ ...entry, at }),
    );
    return { ...entry, id: id ?? '', at };
  }

  /** Newest first; with a pool, only entries about that pool. */
  async list(pool?: string, limit = 50): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    let end = '+';
    // Read back in pages until enough entries match (a pool's entries are a fraction of the whole log).
    for (let page = 0; page < 50 && out.length < limit; page++) {
      const rows = await this.redis.xrevrange(this.keys.audit, end, '-', 'COUNT', 500);
      if (rows.length === 0) break;
      for (const [id, fields] of rows) {
        const raw = fields[fields.indexOf('e') + 1];
        if (!raw) continue;
        const entry = { ...(JSON.parse(raw) as Omit<AuditEntry, 'id'>), id };
        if (pool === undefined || entry.pool === pool) out.push(entry);
        if (out.length >= limit) break;
      }
      const last = rows[rows.length - 1]![0];
      end = `(${last}`;
      if (rows.length < 500) break;
    }
    return out;
  }
}
