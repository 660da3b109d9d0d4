/**
 * What the bot (every chat adapter, the console and the CLI) may ask of the migration side. Implemented in
 * src/services/ over Redis and BullMQ; the bot never runs migration work inline.
 */

import type { AuditEntry } from '../domain/audit/audit-entry.js';
import type { DecisionKind } from '../domain/migration/decisions.js';
import type { MigrationMode, MigrationSummary, Origin } from '../domain/migration/events.js';

/** What a person decides (a button or a typed command). */
export type Decision = DecisionKind;

export interface DecisionRequest {
  migrationId: string;
  decision: Decision;
  /** The button's one-time nonce; omitted for typed commands (pause/resume/abort by pool). */
  nonce?: string;
  /** Batch number the button was for (stale-button check). */
  batch?: number;
  node?: string;
  reason?: string;
  actor: Origin;
}

export type DecisionResult =
  | { ok: true; migration: MigrationSummary; message: string }
  | { ok: false; code: 'FORBIDDEN' | 'STALE' | 'NOT_FOUND' | 'CONFLICT'; message: string };

export interface StartRequest {
  cluster?: string;
  pool: string;
  maxParallel?: number;
  snapshot: boolean;
  soakSeconds: number;
  mode: MigrationMode;
  origin: Origin;
}

export interface MigrationService {
  /** Enqueues a precheck (or plan-only) job; the report arrives later as a `precheck.finished` event. */
  requestPrecheck(request: {
    cluster?: string;
    pool: string;
    maxParallel?: number;
    planOnly: boolean;
    origin: Origin;
  }): Promise<{ jobId: string }>;
  /** Starts a migration, or returns the one already running for the pool (created: false). */
  start(request: StartRequest): Promise<{ migration: MigrationSummary; created: boolean }>;
  status(pool?: string): Promise<MigrationSummary[]>;
  /** Approvals and controls, with the actor's rights, the nonce and the batch checked. */
  decide(request: DecisionRequest): Promise<DecisionResult>;
  /** Typed pause/resume/abort by pool name. */
  controlByPool(request: {
    pool: string;
    cluster?: string;
    decision: 'pause' | 'resume' | 'abort';
    actor: Origin;
  }): Promise<DecisionResult>;
  /** Newest first; without `all`, lookups (status, history, faq, help, precheck, plan) and malformed commands are left out. */
  history(pool?: string, limit?: number, options?: { all?: boolean }): Promise<AuditEntry[]>;
  requestCleanup(request: { cluster?: string; pool: string; origin: Origin }): Promise<DecisionResult>;
  /** Records a command or a refusal in the audit log. */
  audit(entry: Omit<AuditEntry, 'id' | 'at'>): Promise<void>;
}

export type { AuditEntry };
