/**
 * The migration state machine: pure transitions over a MigrationRecord. Workers ask `nextAction` what to do,
 * run that step against the world, then record the outcome with one of the transitions below. Nothing here
 * touches Redis, a cluster or a clock: time and nonces come in as arguments.
 */
import type { ApprovalRequest } from './events.js';
import { type PipelineContext, stepAfter } from './pipeline.js';
import type { Actor, Cursor, Failure, MigrationRecord, Pending } from './record.js';
import { batchAt, isTerminal } from './record.js';

export type NextAction =
  /** Completed or aborted: release the lease and end the job. */
  | { type: 'end' }
  /** A person must answer (or a time must pass): park the job until `until` (undefined: until promoted). */
  | { type: 'park'; until: Date | undefined }
  /** An approval request ran out: pause, keeping the migration where it is. */
  | { type: 'expire' }
  /** Typed pause/abort arrived while a step ran: honour it now, at a safe boundary. */
  | { type: 'abort'; by: Actor }
  | { type: 'pause'; by: Actor }
  | { type: 'run'; cursor: Cursor };

export function nextAction(record: MigrationRecord, now: Date): NextAction {
  if (isTerminal(record)) return { type: 'end' };
  if (record.control.abort) return { type: 'abort', by: record.control.abort };
  if (record.pending) {
    const expires = record.pending.expiresAt ? new Date(record.pending.expiresAt) : undefined;
    if (record.pending.kind === 'approval' && expires && expires.getTime() <= now.getTime()) return { type: 'expire' };
    return { type: 'park', until: expires };
  }
  // A batch that ran is verified before a pause takes effect: verification only reads, and tells the person
  // where the pool stands.
  if (record.control.pause && record.cursor.step !== 'verify') return { type: 'pause', by: record.control.pause };
  if (record.parkedUntil && new Date(record.parkedUntil).getTime() > now.getTime())
    return { type: 'park', until: new Date(record.parkedUntil) };
  return { type: 'run', cursor: record.cursor };
}

function touch(record: MigrationRecord, now: Date): MigrationRecord {
  return { ...record, updatedAt: now.toISOString() };
}

/** Write-ahead: the step is about to do something destructive. */
export function markStarted(record: MigrationRecord, now: Date): MigrationRecord {
  return touch({ ...record, state: 'running', cursor: { ...record.cursor, phase: 'started' } }, now);
}

/** The current step is done: move the cursor on. */
export function advance(record: MigrationRecord, ctx: PipelineContext, now: Date): MigrationRecord {
  const next = touch({ ...record, cursor: stepAfter(record, record.cursor, ctx) }, now);
  delete next.parkedUntil;
  if (next.state !== 'running') {
    next.state = 'running';
    delete next.reason;
  }
  return next;
}

export function requestApproval(
  record: MigrationRecord,
  input: {
    subject: ApprovalRequest['subject'];
    batch: number;
    nonce: string;
    ttlSeconds: number;
    now: Date;
    /** Why the question is asked (kept on the record while it waits); without it an earlier reason is cleared. */
    reason?: string;
  },
): MigrationRecord {
  const pending: Pending = {
    nonce: input.nonce,
    kind: 'approval',
    subject: input.subject,
    batch: input.batch,
    requestedAt: input.now.toISOString(),
    expiresAt: new Date(input.now.getTime() + input.ttlSeconds * 1000).toISOString(),
  };
  const next = touch({ ...record, state: 'awaiting-approval', pending }, input.now);
  if (input.reason) next.reason = input.reason;
  else delete next.reason;
  return next;
}

/** Parks on a time (window opening, soak end) with nothing to decide. */
export function parkUntil(
  record: MigrationRecord,
  state: 'waiting-window' | 'soaking',
  until: Date,
  reason: string,
  now: Date,
): MigrationRecord {
  return touch({ ...record, state, parkedUntil: until.toISOString(), reason }, now);
}

/** The line is stopped and a person was asked Retry / Resume (a failure or a pause question is open). */
export function lineStopped(record: Pick<MigrationRecord, 'pending'>): boolean {
  return record.pending !== undefined && record.pending.kind !== 'approval';
}

/** Stop the line: paused, the reason recorded, nothing further touched until a person decides. */
export function stopTheLine(
  record: MigrationRecord,
  failure: Omit<Failure, 'at'>,
  nonce: string,
  now: Date,
): MigrationRecord {
  const at = now.toISOString();
  const pending: Pending = { nonce, kind: 'failure', subject: 'failure', batch: failure.batch, requestedAt: at };
  if (failure.node !== undefined) pending.node = failure.node;
  const batches = record.batches.map((b) => (b.index === failure.batch ? { ...b, state: 'failed' as const } : b));
  const next = touch(
    { ...record, state: 'paused', reason: failure.reason, failure: { ...failure, at }, pending, batches },
    now,
  );
  delete next.parkedUntil;
  return next;
}

export function pauseNow(
  record: MigrationRecord,
  by: Actor,
  nonce: string,
  reason: string,
  now: Date,
): MigrationRecord {
  const pending: Pending = {
    nonce,
    kind: 'paused',
    subject: 'resume',
    batch: record.cursor.batch,
    requestedAt: now.toISOString(),
  };
  const control = { ...record.control };
  delete control.pause;
  const next = touch({ ...record, state: 'paused', reason, pending, control }, now);
  void by;
  delete next.parkedUntil;
  return next;
}

export function expireApproval(record: MigrationRecord, nonce: string, now: Date): MigrationRecord {
  const p = record.pending;
  const what = p?.subject === 'batch' ? `batch ${p.batch}` : (p?.subject ?? 'the request');
  return pauseNow(
    record,
    { platform: 'cli', userId: 'system', at: now.toISOString() },
    nonce,
    `the approval request for ${what} expired at ${p?.expiresAt ?? now.toISOString()}; resume to ask again`,
    now,
  );
}

/** Abort never undoes finished nodes: it only stops the migration where it stands. */
export function abortNow(record: MigrationRecord, by: Actor, now: Date, reason?: string): MigrationRecord {
  const next = touch(
    {
      ...record,
      state: 'aborted',
      reason: reason ?? `aborted by ${by.userId} (${by.platform})`,
      finishedAt: now.toISOString(),
      control: {},
    },
    now,
  );
  delete next.pending;
  delete next.parkedUntil;
  return next;
}

export function complete(record: MigrationRecord, now: Date, reason?: string): MigrationRecord {
  const next = touch({ ...record, state: 'completed', finishedAt: now.toISOString(), control: {} }, now);
  delete next.pending;
  delete next.parkedUntil;
  if (reason === undefined) delete next.reason;
  else next.reason = reason;
  return next;
}

/** A typed pause/abort while the job runs: recorded now, honoured at the next boundary. */
export function requestControl(
  record: MigrationRecord,
  kind: 'pause' | 'abort',
  by: Actor,
  now: Date,
): MigrationRecord {
  return touch({ ...record, control: { ...record.control, [kind]: by } }, now);
}

/** The batch moves to running (approval recorded when there was one). */
export function startBatch(record: MigrationRecord, batch: number, now: Date): MigrationRecord {
  const b = batchAt(record, batch);
  if (b.state === 'running' && b.startedAt) return record;
  const batches = record.batches.map((x) =>
    x.index === batch ? { ...x, state: 'running' as const, startedAt: x.startedAt ?? now.toISOString() } : x,
  );
  return touch({ ...record, batches }, now);
}
