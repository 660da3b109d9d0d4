/**
 * Builders for the progress events a migration emits (src/domain/migration/events.ts), from its record. Kept
 * in one place so the worker and the bot describe the same moment the same way.
 */
import { type ApprovalSettings, approversFor, type ClusterPolicy } from '../domain/approvals/policy.js';
import type { ApprovalRequest, BatchInfo, BatchResult, ProgressEvent } from '../domain/migration/events.js';
import { batchAt, type MigrationRecord, summarize } from '../domain/migration/record.js';
import { resumeRights } from '../domain/migration/resume-rights.js';

/** Failure questions do not expire; their buttons still need an expiry to show. */
const FAILURE_BUTTON_DAYS = 30;

export function approvalOf(record: MigrationRecord, cluster: ClusterPolicy): ApprovalRequest {
  const p = record.pending;
  if (!p) throw new RangeError(`${record.id} has no open question`);
  const subject: ApprovalRequest['subject'] =
    p.subject === 'failure' || p.subject === 'resume' ? 'batch' : (p.subject as ApprovalRequest['subject']);
  const expiresAt =
    p.expiresAt ?? new Date(Date.parse(p.requestedAt) + FAILURE_BUTTON_DAYS * 24 * 3600 * 1000).toISOString();
  return { nonce: p.nonce, expiresAt, subject, approvers: approversFor(cluster, record.origin.platform) };
}

export function batchInfo(record: MigrationRecord, index: number): BatchInfo {
  const b = batchAt(record, index);
  return { index, nodes: b.nodes, evictions: b.evictions ?? [] };
}

export function stateEvent(record: MigrationRecord, at: Date, by?: string, reason?: string): ProgressEvent {
  const e: ProgressEvent = { type: 'migration.state', at: at.toISOString(), migration: summarize(record) };
  if (by !== undefined) e.by = by;
  const why = reason ?? record.reason;
  if (why !== undefined) e.reason = why;
  return e;
}

/** A worker picks up a step an earlier run began and did not finish (phase `started`): the thread says so. */
export function resumedEvent(record: MigrationRecord, at: Date): ProgressEvent | undefined {
  if (record.state !== 'running' || record.cursor.phase !== 'started') return undefined;
  return { type: 'migration.state', at: at.toISOString(), migration: summarize(record), resumed: true };
}

export function lastResult(record: MigrationRecord, beforeBatch: number): BatchResult | undefined {
  return [...record.results].reverse().find((r) => r.index < beforeBatch);
}

export function awaitingApprovalEvent(record: MigrationRecord, cluster: ClusterPolicy, at: Date): ProgressEvent {
  const p = record.pending!;
  const batch: BatchInfo =
    p.subject === 'batch'
      ? batchInfo(record, p.batch)
      : { index: p.batch, nodes: p.subject === 'cleanup' ? Object.keys(record.before) : [], evictions: [] };
  return {
    type: 'batch.awaiting-approval',
    at: at.toISOString(),
    migration: summarize(record),
    batch,
    approval: approvalOf(record, cluster),
    lastBatch: lastResult(record, p.subject === 'batch' ? p.batch : Number.MAX_SAFE_INTEGER),
  };
}

/** The stop, its Retry / Skip node / Abort question, and who may resume it (resume-rights.ts). */
export function failedEvent(
  record: MigrationRecord,
  cluster: ClusterPolicy,
  at: Date,
  settings: Pick<ApprovalSettings, 'allowSelfApproval'>,
): ProgressEvent {
  const f = record.failure!;
  return {
    type: 'migration.failed',
    at: at.toISOString(),
    migration: summarize(record),
    batch: f.batch > 0 ? f.batch : undefined,
    node: f.node,
    reason: f.reason,
    approval: approvalOf(record, cluster),
    resume: resumeRights(record, cluster, settings),
  };
}

export function finishedEvent(record: MigrationRecord, at: Date): ProgressEvent {
  return {
    type: 'migration.finished',
    at: at.toISOString(),
    migration: summarize(record),
    timeline: record.timeline,
    batches: record.results,
    ...(record.nodeReport ? { nodeReport: record.nodeReport } : {}),
  };
}
