/**
 * One line of the audit log: who did what, from which platform, to which migration and batch, with what
 * outcome and when. The log is append-only (src/ports/audit-log.ts); docs/contracts.md#history-json.
 */
import type { Platform } from '../migration/events.js';

export interface AuditEntry {
  id: string;
  at: string;
  platform: Platform;
  userId: string;
  action: string;
  migrationId?: string;
  pool?: string;
  batch?: number;
  outcome: 'ok' | 'refused';
  detail?: string;
}
