/**
 * Every node of a migration as the cluster has it (docs/architecture.md#stop-the-line-and-resume): one paged list
 * of the pool's nodes from Kubernetes, and ECS (system disk against the before-state, instance status) only for
 * the nodes Kubernetes alone cannot vouch for; then the pure verdicts of src/domain/migration/node-truth.ts. Read
 * when the line stops (to reconcile the record), at abort and at completion (the record's node report).
 */
import type { NodeReport } from '../../domain/migration/events.js';
import {
  buildNodeReport,
  classifyNode,
  migrationNodes,
  plainlyUntouched,
  unreadableReport,
} from '../../domain/migration/node-truth.js';
import type { MigrationRecord, NodeBefore } from '../../domain/migration/record.js';
import type { RunnerDeps } from './context.js';
import { failureOf } from './step-failure.js';

export type TruthDeps = Pick<RunnerDeps, 'cluster' | 'cloud' | 'now' | 'logger'>;

function beforeOf(record: MigrationRecord, name: string): NodeBefore {
  return (
    record.before[name] ?? {
      name,
      instanceId: '',
      privateIp: undefined,
      mac: undefined,
      systemDiskId: undefined,
      runtime: '',
    }
  );
}

export async function readNodeReport(deps: TruthDeps, record: MigrationRecord): Promise<NodeReport> {
  const names = migrationNodes(record);
  if (names.length === 0 || !record.poolId) return buildNodeReport(deps.now(), []);
  const nodes = new Map((await deps.cluster.listPoolNodes(record.poolId)).map((n) => [n.name, n]));
  const rotate = record.mode === 'rotate';
  const ids = rotate
    ? []
    : names
        .filter((n) => !plainlyUntouched(nodes.get(n)))
        .map((n) => record.before[n]?.instanceId)
        .filter((id): id is string => !!id);
  const instances = new Map(
    (ids.length > 0 ? await deps.cloud.describeInstances(ids) : []).map((i) => [i.instanceId, i]),
  );
  const drained = new Set(record.batches.filter((b) => b.state === 'done').flatMap((b) => b.nodes));
  const truths = names.map((name) => {
    const before = beforeOf(record, name);
    return classifyNode(
      before,
      { node: nodes.get(name), instance: instances.get(before.instanceId) },
      { mode: record.mode, drained: drained.has(name) },
    );
  });
  return buildNodeReport(deps.now(), truths);
}

/** As readNodeReport; a cluster or cloud that cannot be read gives a report that says so, never an error. */
export async function readNodeReportSafely(deps: TruthDeps, record: MigrationRecord): Promise<NodeReport> {
  try {
    return await readNodeReport(deps, record);
  } catch (error) {
    const { reason } = failureOf(error);
    deps.logger.warn({ migrationId: record.id, reason }, 'could not read the nodes of the migration');
    return unreadableReport(deps.now(), `the cluster could not be read: ${reason}`);
  }
}
