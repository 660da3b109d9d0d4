/**
 * The cleanup job's work: remove the old Docker directory on each migrated node's data disk through ECS Cloud
 * Assistant (RunCommand, at most 100 instances a call), follow the invocations, and report the bytes freed per
 * node (cleanup.finished). Invocation ids are stored before they are followed, so a resumed job follows them
 * instead of running the script again.
 */
import { cleanupScript, parseCleanupOutput } from '../domain/migration/cleanup.js';
import type { MigrationRecord } from '../domain/migration/record.js';
import type { Logger } from '../log/logger.js';
import type { CloudGateway, InvocationResult } from '../ports/cloud-gateway.js';
import type { ClusterAccess } from '../ports/cluster-access.js';
import type { EventPublisher } from '../ports/event-stream.js';
import type { AuditEntry } from '../ports/migration-service.js';
import type { MigrationStore } from '../ports/migration-store.js';
import { scopedTo } from './scoped-gateways.js';

export interface CleanupRunnerDeps {
  store: MigrationStore;
  cloud: CloudGateway;
  /** A fleet: the migration's own cluster's cloud gateway (docs/architecture.md#fleet). */
  access?: ClusterAccess | undefined;
  events: EventPublisher;
  audit: (entry: Omit<AuditEntry, 'id' | 'at'>) => Promise<void>;
  logger: Logger;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  pollMs: number;
  timeoutMs: number;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function runCleanup(fleet: CleanupRunnerDeps, migrationId: string): Promise<void> {
  let record: MigrationRecord = await fleet.store.require(migrationId);
  const cleanup = record.cleanup;
  if (cleanup?.state !== 'running') return;
  const deps = await scopedTo(fleet, record.clusterId);
  const byInstance = new Map(Object.values(record.before).map((b) => [b.instanceId, b.name]));
  let invokeIds = cleanup.invokeIds;
  if (!invokeIds) {
    invokeIds = [];
    for (const ids of chunks([...byInstance.keys()].filter(Boolean), 100)) {
      invokeIds.push((await deps.cloud.runCommand(ids, cleanupScript())).invokeId);
    }
    const stored = invokeIds;
    record = await deps.store.update(migrationId, (r) => ({ ...r, cleanup: { ...r.cleanup!, invokeIds: stored } }));
  }
  const deadline = deps.now().getTime() + deps.timeoutMs;
  const results: InvocationResult[] = [];
  for (const invokeId of invokeIds) {
    for (;;) {
      const rows = await deps.cloud.describeInvocationResults(invokeId);
      if (rows.length > 0 && rows.every((x) => x.status !== 'running')) {
        results.push(...rows);
        break;
      }
      if (deps.now().getTime() >= deadline) {
        results.push(...rows);
        break;
      }
      await deps.sleep(deps.pollMs);
    }
  }
  const freed: Record<string, number> = {};
  const problems: string[] = [];
  for (const row of results) {
    const node = byInstance.get(row.instanceId) ?? row.instanceId;
    if (row.status === 'running') {
      problems.push(`${node}: still running after ${Math.round(deps.timeoutMs / 1000)} s`);
      continue;
    }
    const outcome = parseCleanupOutput(row.output, row.exitCode);
    if (outcome.ok) freed[node] = outcome.freedBytes;
    else problems.push(`${node}: ${outcome.reason}`);
  }
  const at = deps.now();
  const reason = problems.length ? problems.join('; ') : undefined;
  record = await deps.store.update(migrationId, (r) => {
    const next = {
      ...r.cleanup!,
      state: problems.length ? ('failed' as const) : ('done' as const),
      freedBytesByNode: freed,
    };
    if (reason) next.reason = reason;
    return { ...r, updatedAt: at.toISOString(), cleanup: next };
  });
  const pool = record.poolName ?? record.poolRef;
  const total = Object.values(freed).reduce((a, b) => a + b, 0);
  await deps.events.publish({
    type: 'cleanup.finished',
    at: at.toISOString(),
    origin: cleanup.requestedBy,
    pool,
    freedBytesByNode: freed,
  });
  if (reason) {
    await deps.events.publish({
      type: 'notice',
      at: at.toISOString(),
      origin: cleanup.requestedBy,
      text: `cleanup of ${pool} failed on ${problems.length} node(s): ${reason}`,
    });
  }
  await deps.audit({
    platform: cleanup.requestedBy.platform,
    userId: cleanup.requestedBy.userId,
    action: 'cleanup-finished',
    migrationId,
    pool,
    outcome: reason ? 'refused' : 'ok',
    detail: reason ?? `freed ${total} bytes on ${Object.keys(freed).length} node(s)`,
  });
  deps.logger.info({ migrationId, freed: total, problems: problems.length }, 'cleanup finished');
}
