/**
 * Starting a migration (docs/architecture.md#approvals-and-rights). The pool is resolved once, by name or id,
 * from the cloud's answer (PoolDirectory) before anything is enqueued: its environment and approvers come from
 * the pool itself, never from how the command spelled it. An unknown pool is refused naming the pools there
 * are; a pool already on containerd has nothing to do. `--yes` and `--override-blockers` are checked against
 * that answer, and a refusal changes nothing but the audit log.
 */
import { isProduction, mayAutoApprove } from '../domain/approvals/policy.js';
import type { AuditEntry } from '../domain/audit/audit-entry.js';
import type { MigrationSummary } from '../domain/migration/events.js';
import {
  createMigrationRecord,
  isTerminal,
  type MigrationRecord,
  migrationId,
  summarize,
} from '../domain/migration/record.js';
import { AppError } from '../errors.js';
import type { EventPublisher } from '../ports/event-stream.js';
import type { MigrationJobs } from '../ports/job-queue.js';
import type { MigrationService, StartRequest } from '../ports/migration-service.js';
import type { MigrationStore } from '../ports/migration-store.js';
import type { PoolDirectory } from '../ports/pool-directory.js';
import { clusterOrFleet, clusterPolicy, type PolicySource } from './cluster-policy.js';
import { stateEvent } from './migration-events.js';

/** StartRequest plus the CLI's `--yes`, `--override-blockers` and `kubectl drain --force`. */
export interface StartOptions extends StartRequest {
  autoApprove?: boolean;
  overrideBlockers?: boolean;
  forceBarePods?: boolean;
}

export interface StartDeps {
  config: PolicySource;
  store: MigrationStore;
  events: EventPublisher;
  jobs: MigrationJobs;
  pools: PoolDirectory;
  audit: MigrationService['audit'];
  now: () => Date;
  ulid: () => string;
}

/** The queue's deduplication key of a pool's migration: one per pool id, whatever name a command used. */
export function dedupKeyOf(record: Pick<MigrationRecord, 'clusterId' | 'poolId' | 'poolRef'>): string {
  return `${record.clusterId}/${record.poolId ?? record.poolRef}`;
}

async function activeFor(
  store: MigrationStore,
  clusterId: string,
  names: string[],
): Promise<MigrationRecord | undefined> {
  for (const name of names) {
    const running = (await store.forPool(clusterId, name, 5)).find((r) => !isTerminal(r));
    if (running) return running;
  }
  return undefined;
}

function startDetail(request: StartOptions): string {
  const parts = [`mode ${request.mode}`];
  if (request.maxParallel !== undefined) parts.push(`max-parallel ${request.maxParallel}`);
  if (request.snapshot) parts.push('snapshot');
  if (request.soakSeconds > 0) parts.push(`soak ${request.soakSeconds}s`);
  if (request.autoApprove) parts.push('--yes');
  if (request.overrideBlockers) parts.push('--override-blockers');
  return parts.join(', ');
}

export async function startMigration(
  deps: StartDeps,
  request: StartOptions,
): Promise<{ migration: MigrationSummary; created: boolean }> {
  const { origin } = request;
  const named = clusterOrFleet(deps.config, request.cluster);
  const auditBase: Omit<AuditEntry, 'id' | 'at' | 'outcome'> = {
    platform: origin.platform,
    userId: origin.userId,
    action: 'start',
    pool: request.pool,
  };
  const refuse = async (code: 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'BAD_INPUT', message: string, hint?: string) => {
    await deps.audit({ ...auditBase, outcome: 'refused', detail: message });
    return new AppError(code, message, hint ? { hint } : {});
  };
  let found: Awaited<ReturnType<PoolDirectory['findPool']>>;
  try {
    found = await deps.pools.findPool({ ...(named ? { cluster: named } : {}), pool: request.pool });
  } catch (error) {
    if (error instanceof AppError && (error.code === 'NOT_FOUND' || error.code === 'BAD_INPUT'))
      throw await refuse(error.code === 'BAD_INPUT' ? 'BAD_INPUT' : 'NOT_FOUND', error.message, error.hint);
    throw error;
  }
  const clusterId = named ?? found.cluster.id;
  const pool = found.pool;
  const names = [...new Set([pool.name, pool.id, request.pool])];
  const policy = clusterPolicy(deps.config, clusterId);
  const production = isProduction(policy, { name: pool.name, id: pool.id });
  for (const [flag, wanted] of [
    ['--yes', request.autoApprove],
    ['--override-blockers', request.overrideBlockers],
  ] as const) {
    if (!wanted) continue;
    const may = mayAutoApprove(policy, production, origin, flag);
    if (!may.ok) throw await refuse('FORBIDDEN', may.message);
  }
  const running = await activeFor(deps.store, clusterId, names);
  if (running) return { migration: summarize(running), created: false };
  if (pool.runtime === 'containerd') {
    throw await refuse(
      'CONFLICT',
      `pool ${pool.name} already runs containerd: nothing to migrate`,
      `status ${pool.name} shows its last migration`,
    );
  }

  const now = deps.now();
  const record: MigrationRecord = {
    ...createMigrationRecord({
      id: migrationId(pool.name, deps.ulid()),
      clusterId,
      poolRef: request.pool,
      mode: request.mode,
      options: {
        maxParallel: request.maxParallel,
        snapshot: request.snapshot,
        soakSeconds: request.soakSeconds,
        forceBarePods: request.forceBarePods ?? false,
        autoApprove: request.autoApprove ?? false,
        ...(request.overrideBlockers ? { overrideBlockers: true } : {}),
      },
      origin,
      production,
      now,
    }),
    poolId: pool.id,
    poolName: pool.name,
  };
  await deps.store.create(record, names);
  const holder = await deps.jobs.enqueueMigration(record.id, dedupKeyOf(record));
  if (holder !== record.id) {
    // Lost the race to another start for the same pool: ours never ran, the other one is the migration.
    await deps.store.remove(record, names);
    const other = await deps.store.get(holder);
    if (other) return { migration: summarize(other), created: false };
    throw new AppError('CONFLICT', `a migration of ${pool.name} is already queued: ${holder}`);
  }
  await deps.audit({
    ...auditBase,
    pool: pool.name,
    migrationId: record.id,
    outcome: 'ok',
    detail: startDetail(request),
  });
  await deps.events.publish(stateEvent(record, now, origin.userId, 'queued'));
  return { migration: summarize(record), created: true };
}
