/**
 * First-wins answers to a migration's open question (docs/architecture.md#approvals-and-rights). Each question
 * has a one-time nonce; the first decision written under it is the answer, whoever clicks second is told who
 * was first. Answers outlive the question (30 days) so a late click on an old button is recognised as answered.
 */
import type { DecisionKind } from '../domain/migration/decisions.js';
import type { Actor } from '../domain/migration/record.js';

export interface DecisionRecord {
  migrationId: string;
  nonce: string;
  decision: DecisionKind;
  by: Actor;
  batch?: number;
  node?: string;
  reason?: string;
}

export interface DecisionStore {
  /** True when this decision is the first for its nonce; false when someone answered before. */
  record(decision: DecisionRecord): Promise<boolean>;
  get(migrationId: string, nonce: string): Promise<DecisionRecord | undefined>;
}
