/**
 * The MigrationService (src/ports/migration-service.ts) over Redis and the job queue: what every chat adapter,
 * the console and the CLI call. It never runs migration work itself; it writes records, answers, audit entries
 * and events, and wakes the worker's parked job.
 */
import { monotonicFactory } from 'ulid';
import { checkRights } from '../domain/approvals/policy.js';
import { POOL_NAME } from '../domain/command-grammar.js';
import { applyDecision, checkDecision, type DecisionInput } from '../domain/migration/decisions.js';
import type { MigrationSummary, Origin } from '../domain/migration/events.js';
import { type Actor, isTerminal, type MigrationRecord, summarize } from '../domain/migration/record.js';
import { decisionRights, resumeRights, whoMayResume } from '../domain/migration/resume-rights.js';
import { AppError } from '../errors.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { DecisionStore } from '../ports/decision-store.js';
import type { EventPublisher } from '../ports/event-stream.js';
import type { MigrationJobs } from '../ports/job-queue.js';
import type { AuditEntry, DecisionRequest, DecisionResult, MigrationService } from '../ports/migration-service.js';
import type { MigrationStore } from '../ports/migration-store.js';
import type { PoolDirectory } from '../ports/pool-directory.js';
import { type CleanupDeps, decideCleanup, type Refuse, requestCleanup } from './cleanup-requests.js';
import { clusterPolicy, type PolicySource, resolveClusterId } from './cluster-policy.js';
import { stateEvent } from './migration-events.js';
import { dedupKeyOf, type StartOptions, startMigration } from './start-migration.js';

export type { StartOptions };

export interface MigrationServiceDeps {
  config: PolicySource;
  store: MigrationStore;
  decisions: DecisionStore;
  audit: AuditLog;
  events: EventPublisher;
  jobs: MigrationJobs;
  pools: PoolDirectory;
  now?: () => Date;
  nonce?: () => string;
  newUlid?: () => string;
}

/** Audit actions that change nothing: read-only lookups, and `command` (a line that did not parse). */
const LOOKUPS = new Set(['status', 'history', 'faq', 'help', 'precheck', 'plan', 'command']);
/** How far back `history` reads to fill its page past the lookups. */
const HISTORY_SCAN_MAX = 25_000;

function actorOf(origin: Origin, at: Date): Actor {
  return { platform: origin.platform, userId: origin.userId, at: at.toISOString() };
}

export class MigrationServiceImpl implements MigrationService {
  private readonly now: () => Date;
  private readonly nonce: () => string;
  private readonly ulid: () => string;

  constructor(private readonly deps: MigrationServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.nonce = deps.nonce ?? (() => globalThis.crypto.randomUUID());
    this.ulid = deps.newUlid ?? monotonicFactory();
  }

  async requestPrecheck(request: Parameters<MigrationService['requestPrecheck']>[0]): Promise<{ jobId: string }> {
    if (!POOL_NAME.test(request.pool)) throw new AppError('BAD_INPUT', `"${request.pool}" is not a pool name`);
    const jobId = await this.deps.jobs.enqueuePrecheck({
      pool: request.pool,
      planOnly: request.planOnly,
      origin: request.origin,
      ...(request.cluster ? { cluster: request.cluster } : {}),
      ...(request.maxParallel !== undefined ? { maxParallel: request.maxParallel } : {}),
    });
    await this.audit({
      platform: request.origin.platform,
      userId: request.origin.userId,
      action: request.planOnly ? 'plan' : 'precheck',
      pool: request.pool,
      outcome: 'ok',
    });
    return { jobId };
  }

  start(request: StartOptions): Promise<{ migration: MigrationSummary; created: boolean }> {
    return startMigration(
      {
        config: this.deps.config,
        store: this.deps.store,
        events: this.deps.events,
        jobs: this.deps.jobs,
        pools: this.deps.pools,
        audit: (entry) => this.audit(entry),
        now: this.now,
        ulid: this.ulid,
      },
      request,
    );
  }

  async status(pool?: string): Promise<MigrationSummary[]> {
    if (pool === undefined) {
      const active = await this.deps.store.active();
      return active.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((r) => summarize(r));
    }
    const found = await this.newestFor(pool);
    return found ? [summarize(found)] : [];
  }

  /** The full record (CLI `status --json` and tests); undefined for an unknown id. */
  record(migrationIdValue: string): Promise<MigrationRecord | undefined> {
    return this.deps.store.get(migrationIdValue);
  }

  async decide(request: DecisionRequest): Promise<DecisionResult> {
    const record = await this.deps.store.get(request.migrationId);
    const actor = request.actor;
    const auditBase = {
      platform: actor.platform,
      userId: actor.userId,
      action: request.decision,
      migrationId: request.migrationId,
      ...(request.batch !== undefined ? { batch: request.batch } : {}),
    };
    if (!record) {
      await this.audit({ ...auditBase, outcome: 'refused', detail: 'unknown migration' });
      return { ok: false, code: 'NOT_FOUND', message: `no migration ${request.migrationId}` };
    }
    const pool = record.poolName ?? record.poolRef;
    const refuse = async (code: 'FORBIDDEN' | 'STALE' | 'NOT_FOUND' | 'CONFLICT', message: string) => {
      await this.audit({ ...auditBase, pool, outcome: 'refused', detail: message });
      return { ok: false as const, code, message };
    };
    if (record.cleanup?.state === 'awaiting-approval' && request.nonce === record.cleanup.nonce) {
      return this.cleanupRequests().decide(record, request, refuse);
    }
    const policy = clusterPolicy(this.deps.config, record.clusterId);
    const settings = this.deps.config.file.settings;
    // Retry, or a resume that answers a failure question, re-runs the failed batch: approve rights; with
    // nothing left to migrate (only verify and finish remain) it needs control rights, as pause and abort do.
    const kind = decisionRights(request.decision, record);
    const rights = checkRights({
      cluster: policy,
      production: record.production,
      requester: record.origin,
      actor,
      settings,
      kind,
    });
    if (!rights.ok) {
      const resume = resumeRights(record, policy, settings);
      const reRuns = kind === 'approve' && (request.decision === 'resume' || request.decision === 'retry');
      if (!reRuns || !resume.needsApproval) return refuse('FORBIDDEN', rights.message);
      return refuse('FORBIDDEN', `${rights.message}; ${whoMayResume(resume, record.origin.userId)}`);
    }
    const now = this.now();
    const input: DecisionInput = {
      decision: request.decision,
      actor: actorOf(actor, now),
      ...(request.nonce !== undefined ? { nonce: request.nonce } : {}),
      ...(request.batch !== undefined ? { batch: request.batch } : {}),
      ...(request.node !== undefined ? { node: request.node } : {}),
      ...(request.reason !== undefined ? { reason: request.reason } : {}),
    };
    const check = checkDecision(record, input, now);
    if (!check.ok) return refuse(check.code, check.message);
    if (input.nonce !== undefined) {
      const first = await this.deps.decisions.record({
        migrationId: record.id,
        nonce: input.nonce,
        decision: input.decision,
        by: input.actor,
        ...(input.batch !== undefined ? { batch: input.batch } : {}),
        ...(input.node !== undefined ? { node: input.node } : {}),
        ...(input.reason !== undefined ? { reason: input.reason } : {}),
      });
      if (!first) {
        const earlier = await this.deps.decisions.get(record.id, input.nonce);
        const who = earlier
          ? `${earlier.by.userId} (${earlier.by.platform}) already answered: ${earlier.decision}`
          : '';
        return refuse('STALE', who || 'this button was already answered');
      }
    }
    let message = '';
    let wake = false;
    let refusal: { code: 'STALE' | 'CONFLICT'; message: string } | undefined;
    const updated = await this.deps.store.update(record.id, (current) => {
      refusal = undefined;
      const again = checkDecision(current, input, now);
      if (!again.ok) {
        refusal = again;
        return current;
      }
      const out = applyDecision(current, input, { now, nonce: this.nonce() });
      message = out.message;
      wake = out.wake;
      return out.record;
    });
    if (refusal) return refuse(refusal.code, refusal.message);
    await this.audit({ ...auditBase, pool, outcome: 'ok', detail: message });
    await this.deps.events.publish(stateEvent(updated, now, actor.userId, message));
    if (wake) await this.deps.jobs.wake(updated.id, dedupKeyOf(updated));
    return { ok: true, migration: summarize(updated), message };
  }

  async controlByPool(request: Parameters<MigrationService['controlByPool']>[0]): Promise<DecisionResult> {
    const clusterId = resolveClusterId(this.deps.config, request.cluster);
    const record = await this.activeFor(clusterId, request.pool);
    if (!record) {
      await this.audit({
        platform: request.actor.platform,
        userId: request.actor.userId,
        action: request.decision,
        pool: request.pool,
        outcome: 'refused',
        detail: 'no migration in progress',
      });
      return { ok: false, code: 'NOT_FOUND', message: `no migration of ${request.pool} is in progress` };
    }
    return this.decide({
      migrationId: record.id,
      decision: request.decision,
      actor: request.actor,
      // A typed resume answers the open question the way the Resume (or Retry) button would.
      ...(request.decision === 'resume' && record.pending ? { nonce: record.pending.nonce } : {}),
    });
  }

  /**
   * What changed and who decided (docs/contracts.md#history-json): lookups and malformed commands stay in the
   * audit log but are left out unless `all`; the limit counts the entries shown.
   */
  async history(pool?: string, limit = 50, options: { all?: boolean } = {}): Promise<AuditEntry[]> {
    if (options.all) return this.deps.audit.list(pool, limit);
    for (let asked = limit; ; asked *= 4) {
      const listed = await this.deps.audit.list(pool, asked);
      const shown = listed.filter((e) => !LOOKUPS.has(e.action));
      if (shown.length >= limit || listed.length < asked || asked >= HISTORY_SCAN_MAX) return shown.slice(0, limit);
    }
  }

  requestCleanup(request: Parameters<MigrationService['requestCleanup']>[0]): Promise<DecisionResult> {
    return this.cleanupRequests().request(request);
  }

  async audit(entry: Omit<AuditEntry, 'id' | 'at'>): Promise<void> {
    await this.deps.audit.append(entry);
  }

  /** The newest migration of a pool that is not finished, in one cluster. */
  private async activeFor(clusterId: string, pool: string): Promise<MigrationRecord | undefined> {
    const list = await this.deps.store.forPool(clusterId, pool, 5);
    return list.find((r) => !isTerminal(r));
  }

  private async newestFor(pool: string): Promise<MigrationRecord | undefined> {
    const ids = new Set<string>(this.deps.config.file.clusters.map((c) => c.id));
    if (this.deps.config.defaultClusterId) ids.add(this.deps.config.defaultClusterId);
    const found: MigrationRecord[] = [];
    for (const id of ids) found.push(...(await this.deps.store.forPool(id, pool, 5)));
    return found.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  }

  private cleanupRequests() {
    const deps: CleanupDeps = {
      config: this.deps.config,
      store: this.deps.store,
      decisions: this.deps.decisions,
      events: this.deps.events,
      jobs: this.deps.jobs,
      audit: (e) => this.audit(e),
      now: this.now,
      nonce: this.nonce,
      findForPool: (cluster, pool) => this.deps.store.forPool(cluster, pool, 10),
    };
    return {
      request: (r: Parameters<MigrationService['requestCleanup']>[0]) => requestCleanup(deps, r),
      decide: (record: MigrationRecord, r: DecisionRequest, refuse: Refuse) => decideCleanup(deps, record, r, refuse),
    };
  }
}
