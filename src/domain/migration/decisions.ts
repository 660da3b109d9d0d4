/**
 * What a person may decide about a migration, and what each decision does to the record. The same rules serve
 * buttons (which carry a nonce and a batch) and typed commands (pause/resume/abort by pool). Rights are checked
 * before this (domain/approvals); here only the record's state and the button's freshness count.
 */
import type { Actor, Cursor, MigrationRecord, Pending } from './record.js';
import { batchAt, isTerminal } from './record.js';
import { abortNow, pauseNow, requestControl } from './state-machine.js';

export type DecisionKind = 'approve' | 'reject' | 'pause' | 'resume' | 'abort' | 'retry' | 'skip-node';

export interface DecisionInput {
  decision: DecisionKind;
  nonce?: string;
  batch?: number;
  node?: string;
  reason?: string;
  actor: Actor;
}

export type DecisionCheck = { ok: true } | { ok: false; code: 'STALE' | 'CONFLICT'; message: string };

const ALLOWED: Record<Pending['kind'], ReadonlySet<DecisionKind>> = {
  approval: new Set(['approve', 'reject', 'pause', 'abort']),
  failure: new Set(['retry', 'skip-node', 'abort', 'resume']),
  paused: new Set(['resume', 'abort']),
};

/** States in which the job is parked (not holding a worker), so a decision applies at once. */
const PARKED = new Set(['awaiting-approval', 'waiting-window', 'soaking', 'paused']);

function refuse(code: 'STALE' | 'CONFLICT', message: string): DecisionCheck {
  return { ok: false, code, message };
}

export function checkDecision(record: MigrationRecord, input: DecisionInput, now: Date): DecisionCheck {
  if (isTerminal(record)) return refuse('CONFLICT', `${record.id} is already ${record.state}`);
  const p = record.pending;
  if (input.nonce !== undefined) {
    if (!p || p.nonce !== input.nonce)
      return refuse('STALE', 'this button is no longer valid: it was already answered or a newer question replaced it');
    if (input.batch !== undefined && input.batch !== p.batch)
      return refuse('STALE', `this button was for batch ${input.batch}; the migration is on batch ${p.batch}`);
    if (p.kind === 'approval' && p.expiresAt && new Date(p.expiresAt).getTime() <= now.getTime())
      return refuse('STALE', `this approval request expired at ${p.expiresAt}`);
    if (!ALLOWED[p.kind].has(input.decision))
      return refuse('CONFLICT', `"${input.decision}" does not answer this question (${p.subject})`);
    if (input.decision === 'skip-node') {
      if (!p.node) return refuse('CONFLICT', 'no single node failed, so there is no node to skip');
      if (input.node !== undefined && input.node !== p.node)
        return refuse('CONFLICT', `only the failed node ${p.node} can be skipped`);
    }
    return { ok: true };
  }
  switch (input.decision) {
    case 'pause':
      if (record.state === 'paused') return refuse('CONFLICT', `${record.id} is already paused`);
      return { ok: true };
    case 'resume':
      if (record.state !== 'paused' || !p) return refuse('CONFLICT', `${record.id} is not paused (${record.state})`);
      return { ok: true };
    case 'abort':
      return { ok: true };
    default:
      return refuse('STALE', `"${input.decision}" needs the button from the migration thread`);
  }
}

export interface DecisionOutcome {
  record: MigrationRecord;
  /** Human summary for the reply and the audit log. */
  message: string;
  /** The job is parked and must be woken to act on the new record. */
  wake: boolean;
}

/** Where a batch starts again after retry/skip: a snapshot failure repeats the snapshot, anything else executes. */
function restartCursor(cursor: Cursor): Cursor {
  const step = cursor.step === 'verify' ? 'execute' : cursor.step;
  return { step, batch: cursor.batch, phase: 'pending' };
}

function clearPending(record: MigrationRecord, now: Date): MigrationRecord {
  const next = { ...record, state: 'running' as const, updatedAt: now.toISOString() };
  delete next.pending;
  delete next.reason;
  return next;
}

/**
 * Applies a decision that passed `checkDecision`. `nonce` is a fresh one, for decisions that leave a new
 * question open (reject and pause leave the migration paused, waiting for resume).
 */
export function applyDecision(
  record: MigrationRecord,
  input: DecisionInput,
  ctx: { now: Date; nonce: string },
): DecisionOutcome {
  const { now } = ctx;
  const who = `${input.actor.userId} (${input.actor.platform})`;
  const p = record.pending;
  const parked = PARKED.has(record.state);
  switch (input.decision) {
    case 'approve': {
      if (!p) throw new RangeError('approve needs a pending approval');
      const next = clearPending(record, now);
      if (p.subject === 'batch') {
        next.batches = record.batches.map((b) => (b.index === p.batch ? { ...b, approvedBy: input.actor } : b));
      } else {
        next.approvals = { ...record.approvals, [p.subject]: input.actor };
      }
      const what = p.subject === 'batch' ? `batch ${p.batch}` : p.subject;
      return { record: next, message: `${what} approved by ${who}`, wake: true };
    }
    case 'reject': {
      const reason = `rejected by ${who}${input.reason ? `: ${input.reason}` : ''}`;
      return { record: pauseNow(record, input.actor, ctx.nonce, reason, now), message: reason, wake: true };
    }
    case 'pause': {
      if (!parked && !p) {
        return {
          record: requestControl(record, 'pause', input.actor, now),
          message: `pause requested by ${who}: it takes effect when the current step ends`,
          wake: false,
        };
      }
      const reason = `paused by ${who}`;
      return { record: pauseNow(record, input.actor, ctx.nonce, reason, now), message: reason, wake: true };
    }
    case 'abort': {
      if (!parked && !p && record.state === 'running') {
        return {
          record: requestControl(record, 'abort', input.actor, now),
          message: `abort requested by ${who}: it takes effect when the current step ends; finished nodes stay migrated`,
          wake: false,
        };
      }
      const next = abortNow(record, input.actor, now);
      // Kept on the ended record until the woken worker has settled our ACK task and read the nodes (runner.ts).
      next.control = { abort: input.actor };
      return { record: next, message: `${next.reason}; finished nodes stay migrated`, wake: true };
    }
    case 'resume':
    case 'retry': {
      const next = clearPending(record, now);
      if (p?.kind === 'failure') {
        next.cursor = restartCursor(record.cursor);
        delete next.failure;
        next.batches = record.batches.map((b) => (b.index === p.batch ? { ...b, state: 'running' as const } : b));
        return { record: next, message: `batch ${p.batch} retried by ${who}`, wake: true };
      }
      return { record: next, message: `resumed by ${who}`, wake: true };
    }
    case 'skip-node': {
      if (!p?.node) throw new RangeError('skip-node needs a failed node');
      const node = p.node;
      const next = clearPending(record, now);
      const batch = batchAt(record, p.batch);
      const state = batch.nodeStates[node];
      next.batches = record.batches.map((b) =>
        b.index === p.batch
          ? {
              ...b,
              state: 'running' as const,
              nodeStates: {
                ...b.nodeStates,
                [node]: {
                  ...(state ?? {}),
                  step: 'skipped' as const,
                  since: now.toISOString(),
                  outcome: 'skipped' as const,
                  detail: `skipped by ${who}`,
                },
              },
            }
          : b,
      );
      next.cursor = restartCursor(record.cursor);
      delete next.failure;
      return { record: next, message: `${node} skipped by ${who}; batch ${p.batch} continues without it`, wake: true };
    }
  }
}
