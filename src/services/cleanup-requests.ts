/**
 * `/migrate cleanup <pool>`: after a finished in-place migration, ask for an approval to remove the old Docker
 * directory on the pool's data disks; an approval enqueues the cleanup job (jobs/cleanup.ts). Destructive, so
 * it always needs an approval, production or not.
 */
import { approversFor, type ClusterPolicy, checkRights } from '../domain/approvals/policy.js';
import type { Origin, ProgressEvent } from '../domain/migration/events.js';
import { isTerminal, type MigrationRecord, summarize } from '../domain/migration/record.js';
import type { DecisionStore } from '../ports/decision-store.js';
import type { EventPublisher } from '../ports/event-stream.js';
import type { MigrationJobs } from '../ports/job-queue.js';
import type { AuditEntry, DecisionRequest, DecisionResult } from '../ports/migration-service.js';
import type { MigrationStore } from '../ports/migration-store.js';
import { clusterPolicy, type PolicySource, resolveClusterId } from './cluster-policy.js';
import { stateEvent } from './migration-events.js';

export type Refuse = (
  code: 'FORBIDDEN' | 'STALE' | 'NOT_FOUND' | 'CONFLICT',
  message: string,
) => Promise<DecisionResult>;

export interface CleanupDeps {
  config: PolicySource;
  store: MigrationStore;
  decisions: DecisionStore;
  events: EventPublisher;
  jobs: MigrationJobs;
  audit: (entry: Omit<AuditEntry, 'id' | 'at'>) => Promise<void>;
  now: () => Date;
  nonce: () => string;
  findForPool: (clusterId: string, pool: string) => Promise<MigrationRecord[]>;
}

function approvalEvent(record: MigrationRecord, policy: ClusterPolicy, at: Date): ProgressEvent {
  const c = record.cleanup!;
  return {
    type: 'batch.awaiting-approval',
    at: at.toISOString(),
    migration: summarize(record),
    batch: { index: 0, nodes: Object.keys(record.before).sort(), evictions: [] },
    approval: {
      nonce: c.nonce,
      expiresAt: c.expiresAt,
      subject: 'cleanup',
      approvers: approversFor(policy, c.requestedBy.platform),
    },
    lastBatch: undefined,
  };
}

export async function requestCleanup(
  deps: CleanupDeps,
  request: { cluster?: string; pool: string; origin: Origin },
): Promise<DecisionResult> {
  const clusterId = resolveClusterId(deps.config, request.cluster);
  const all = await deps.findForPool(clusterId, request.pool);
  const auditBase = {
    platform: request.origin.platform,
    userId: request.origin.userId,
    action: 'cleanup',
    pool: request.pool,
  };
  const running = all.find((r) => !isTerminal(r));
  const refuse = async (code: 'NOT_FOUND' | 'CONFLICT', message: string): Promise<DecisionResult> => {
    await deps.audit({ ...auditBase, outcome: 'refused', detail: message });
    return { ok: false, code, message };
  };
  if (running) return refuse('CONFLICT', `${running.id} is still ${running.state}: clean up after it finishes`);
  const done = all.find((r) => r.state === 'completed' && r.mode === 'in-place' && Object.keys(r.before).length > 0);
  if (!done) return refuse('NOT_FOUND', `no finished in-place migration of ${request.pool}: nothing to clean up`);
  if (done.cleanup?.state === 'running') return refuse('CONFLICT', `the cleanup of ${request.pool} is already running`);
  const now = deps.now();
  const ttl = deps.config.file.settings.approvalTtl;
  const updated = await deps.store.update(done.id, (r) => ({
    ...r,
    updatedAt: now.toISOString(),
    cleanup: {
      state: 'awaiting-approval',
      requestedBy: request.origin,
      nonce: deps.nonce(),
      expiresAt: new Date(now.getTime() + ttl * 1000).toISOString(),
    },
  }));
  const policy = clusterPolicy(deps.config, updated.clusterId);
  await deps.audit({ ...auditBase, migrationId: done.id, outcome: 'ok', detail: 'awaiting approval' });
  await deps.events.publish(approvalEvent(updated, policy, now));
  return {
    ok: true,
    migration: summarize(updated),
    message: `cleanup of ${request.pool} (${Object.keys(updated.before).length} nodes) awaits an approval`,
  };
}

export async function decideCleanup(
  deps: CleanupDeps,
  record: MigrationRecord,
  request: DecisionRequest,
  refuse: Refuse,
): Promise<DecisionResult> {
  const c = record.cleanup!;
  const policy = clusterPolicy(deps.config, record.clusterId);
  const rights = checkRights({
    cluster: policy,
    production: record.production,
    requester: c.requestedBy,
    actor: request.actor,
    settings: deps.config.file.settings,
    kind: 'approve',
  });
  if (!rights.ok) return refuse('FORBIDDEN', rights.message);
  if (request.decision !== 'approve' && request.decision !== 'reject')
    return refuse('CONFLICT', `"${request.decision}" does not answer a cleanup request`);
  const now = deps.now();
  if (Date.parse(c.expiresAt) <= now.getTime())
    return refuse('STALE', `this cleanup request expired at ${c.expiresAt}`);
  const by = { platform: request.actor.platform, userId: request.actor.userId, at: now.toISOString() };
  const first = await deps.decisions.record({ migrationId: record.id, nonce: c.nonce, decision: request.decision, by });
  if (!first) return refuse('STALE', 'this cleanup request was already answered');
  const approve = request.decision === 'approve';
  const updated = await deps.store.update(record.id, (r) => ({
    ...r,
    updatedAt: now.toISOString(),
    cleanup: approve
      ? { ...c, state: 'running', approvedBy: by }
      : { ...c, state: 'failed', reason: `rejected by ${by.userId}${request.reason ? `: ${request.reason}` : ''}` },
  }));
  const pool = record.poolName ?? record.poolRef;
  const message = approve
    ? `cleanup of ${pool} approved by ${by.userId}: removing the old Docker directory`
    : `cleanup of ${pool} rejected by ${by.userId}`;
  await deps.audit({
    platform: by.platform,
    userId: by.userId,
    action: `cleanup-${request.decision}`,
    migrationId: record.id,
    pool,
    outcome: 'ok',
    detail: message,
  });
  if (approve) await deps.jobs.enqueueCleanup(record.id);
  // The question is answered: its message in the migration's thread (or card) loses its buttons.
  await deps.events.publish(stateEvent(updated, now, by.userId, message));
  await deps.events.publish({ type: 'notice', at: now.toISOString(), origin: c.requestedBy, text: message });
  return { ok: true, migration: summarize(updated), message };
}
