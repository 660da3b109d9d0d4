/**
 * The audit log as every process writes and reads it (docs/architecture.md#secrets): each entry's
 * text (who, what, pool, detail) goes through the one secret masker (src/log/secret-mask.ts) on the way in, and
 * again on the way out, so an entry written before a secret was known to be one is not shown either.
 */
import type { AuditEntry } from '../domain/audit/audit-entry.js';
import { maskStrings } from '../log/secret-mask.js';
import type { AuditLog } from '../ports/audit-log.js';

export function maskedAuditLog(log: AuditLog, mask: (text: string) => string): AuditLog {
  return {
    append: async (entry) => maskStrings(await log.append(maskStrings(entry, mask)), mask),
    list: async (pool, limit) => (await log.list(pool, limit)).map((e: AuditEntry) => maskStrings(e, mask)),
  };
}
