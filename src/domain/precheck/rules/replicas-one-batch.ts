import { isContainerd } from '../../cluster/container-runtime.js';
import type { ClusterSnapshot } from '../../cluster/snapshot.js';
import { type BatchPlan, planBatches } from '../../planner/plan-batches.js';
import { finding, listText, plural } from '../findings.js';
import { effectiveMaxParallel, type PrecheckInput } from '../input.js';
import type { Finding } from '../report.js';

/**
 * What the planner could not split: replicated workloads whose pods on the pool (two or more) all fall into one
 * batch, and PDBs whose budget a batch overruns. A workload with more replicas than run on the pool is left
 * out: its other replicas keep serving while the batch drains.
 */
export function replicasOneBatch(input: PrecheckInput, plan: BatchPlan = planForPrecheck(input)): Finding[] {
  const findings: Finding[] = [];
  for (const w of plan.unsplittable) {
    if (w.replicas !== undefined && w.replicas > w.pods) continue;
    const { kind, namespace, name } = w;
    const message =
      w.nodes === 1
        ? `its ${plural(w.pods, 'replica')} on the pool all run on one node, so batch ${w.batch + 1} takes them all down at once`
        : `its ${plural(w.pods, 'replica')} on the pool (on ${w.nodes} nodes) all fall into batch ${w.batch + 1}: the batch sizes and other constraints leave no way to split them`;
    findings.push(
      finding(
        'replicas-one-batch',
        'warning',
        { kind, namespace, name },
        message,
        'Spread the replicas over nodes (podAntiAffinity or topologySpreadConstraints), add replicas, or lower --max-parallel.',
      ),
    );
  }
  const overruns = new Map<string, BatchPlan['overBudget']>();
  for (const o of plan.overBudget) {
    const key = `${o.namespace}/${o.name}`;
    overruns.set(key, [...(overruns.get(key) ?? []), o]);
  }
  for (const list of overruns.values()) {
    const first = list[0]!;
    const batches = listText(list.map((o) => `${o.batch + 1} (${o.pods} pods)`));
    findings.push(
      finding(
        'replicas-one-batch',
        'warning',
        { kind: 'PodDisruptionBudget', namespace: first.namespace, name: first.name },
        `${list.length === 1 ? 'batch' : 'batches'} ${batches} ${list.length === 1 ? 'evicts' : 'evict'} more pods covered by this PDB than the ${first.allowed} it allows now: the planner could not spread them further`,
        "Lower --max-parallel or raise the PDB's budget; otherwise that batch's drain waits for replacements to become Ready.",
      ),
    );
  }
  return findings;
}

/** The plan the precheck reports: the nodes still to migrate, at the parallelism the precheck settles on. */
export function planForPrecheck(input: PrecheckInput, minutesPerBatch?: number): BatchPlan {
  return planBatches({
    snapshot: nodesToMigrate(input.snapshot),
    maxParallel: effectiveMaxParallel(input),
    minutesPerBatch,
  });
}

/** Nodes already on containerd (a resumed or partial migration) are not upgraded again. */
export function nodesToMigrate(snapshot: ClusterSnapshot): ClusterSnapshot {
  if (!snapshot.nodes.some((n) => isContainerd(n.runtimeVersion))) return snapshot;
  return { ...snapshot, nodes: snapshot.nodes.filter((n) => !isContainerd(n.runtimeVersion)) };
}
