/**
 * The planner's view of a pool: per node, which spread and budget constraints its pods take part in, as counts
 * per (workload, node) and (PDB, node) so the search never walks pod lists.
 *
 * - Spread: a replicated workload (Deployment, StatefulSet, ReplicaSet) with evicted pods on k ≥ 2 nodes must not
 *   have all k nodes in one batch. Workloads with k larger than the largest batch can never violate it and are left
 *   out.
 * - Budget: a PDB allowing a ≥ 1 disruptions now must not lose more than a pods in one batch, unless all its pods
 *   in that batch sit on a single node (a node holding more than a of its pods overruns the budget whatever the
 *   plan; the drain then waits for replacements). PDBs allowing 0 are `pdb-blocking` findings and are not budget
 *   constraints: no plan can drain their pods by eviction.
 * DaemonSet, mirror and finished pods are not evicted by a drain and count for nothing.
 */
import { isEvicted, isReplicated } from '../cluster/pod-roles.js';
import { pdbCoverage, podsOnPool } from '../cluster/pool-index.js';
import type { ClusterSnapshot, PdbFacts, WorkloadRef } from '../cluster/snapshot.js';
import { WorkloadIndex } from '../cluster/workload-index.js';

export interface PlannedWorkload {
  ref: WorkloadRef;
  /** Evicted pods on the pool. */
  pods: number;
  /** Indices of the pool nodes holding them, ascending. */
  nodes: number[];
  replicas: number | undefined;
}

export interface BudgetedPdb {
  pdb: PdbFacts;
  allowed: number;
  /** [node index, evicted pods of this PDB on that node], ascending by node. */
  nodes: Array<[number, number]>;
}

export interface PlanModel {
  /** Pool node names, sorted; a node is referred to by its index here. */
  nodeNames: string[];
  /** Replicated workloads with at least 2 evicted pods on the pool, sorted by kind/namespace/name. */
  workloads: PlannedWorkload[];
  /** PDBs allowing at least one disruption that select evicted pods on the pool, sorted by namespace/name. */
  budgets: BudgetedPdb[];
  /** Indices into `workloads` that the search must split (2 ≤ k ≤ largest batch). */
  spread: number[];
  /** Indices into `budgets` that some batch could overrun. */
  budgeted: number[];
  /** Per node: positions in `spread` of the constraints it takes part in. */
  nodeSpread: number[][];
  /** Per node: [position in `budgeted`, pods] of the budgets it takes part in. */
  nodeBudget: Array<Array<[number, number]>>;
  /** Per position in `spread`: k, the number of nodes. */
  spreadK: number[];
  /** Per position in `budgeted`: the PDB's disruptionsAllowed. */
  budgetAllowed: number[];
}

export function buildPlanModel(snapshot: ClusterSnapshot, largestBatch: number): PlanModel {
  const nodeNames = snapshot.nodes.map((n) => n.name).sort(compareText);
  const nodeIndex = new Map(nodeNames.map((name, i) => [name, i]));

  // A plain array of node indices per workload, counted once at the end: cheap for 150,000 pods.
  const index = new WorkloadIndex();
  const nodesOf: number[][] = [];
  for (const pod of podsOnPool(snapshot)) {
    if (!isEvicted(pod) || !isReplicated(pod.owner)) continue;
    const id = index.add(pod.owner);
    if (id === nodesOf.length) nodesOf.push([]);
    nodesOf[id]!.push(nodeIndex.get(pod.nodeName as string) as number);
  }
  const replicas = new Map<number, number | undefined>();
  for (const w of snapshot.workloads) {
    const id = index.get(w.ref);
    if (id !== undefined) replicas.set(id, w.replicas);
  }
  const workloads: PlannedWorkload[] = [];
  for (const id of index.sortedIds()) {
    const perPod = nodesOf[id]!;
    if (perPod.length < 2) continue;
    const nodes = countByNode(perPod).map(([node]) => node);
    workloads.push({ ref: index.refs[id]!, pods: perPod.length, nodes, replicas: replicas.get(id) });
  }

  const budgets: BudgetedPdb[] = [];
  const coverage = pdbCoverage(snapshot);
  const pdbs = [...coverage.podsByPdb.keys()].sort(
    (a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name),
  );
  for (const pdb of pdbs) {
    if (pdb.disruptionsAllowed < 1) continue;
    const nodes = countByNode(coverage.podsByPdb.get(pdb)!.map((pod) => nodeIndex.get(pod.nodeName as string)!));
    budgets.push({ pdb, allowed: pdb.disruptionsAllowed, nodes });
  }

  const nodeSpread: number[][] = nodeNames.map(() => []);
  const nodeBudget: Array<Array<[number, number]>> = nodeNames.map(() => []);
  const spread: number[] = [];
  const spreadK: number[] = [];
  workloads.forEach((w, i) => {
    const k = w.nodes.length;
    if (k < 2 || k > largestBatch) return;
    for (const node of w.nodes) nodeSpread[node]!.push(spread.length);
    spread.push(i);
    spreadK.push(k);
  });
  const budgeted: number[] = [];
  const budgetAllowed: number[] = [];
  budgets.forEach((b, i) => {
    const total = b.nodes.reduce((sum, [, pods]) => sum + pods, 0);
    if (b.nodes.length < 2 || total <= b.allowed || largestBatch < 2) return;
    for (const [node, pods] of b.nodes) nodeBudget[node]!.push([budgeted.length, pods]);
    budgeted.push(i);
    budgetAllowed.push(b.allowed);
  });
  return { nodeNames, workloads, budgets, spread, budgeted, nodeSpread, nodeBudget, spreadK, budgetAllowed };
}

/** [node, occurrences] for a list of node indices, ascending by node. */
function countByNode(perPod: number[]): Array<[number, number]> {
  const sorted = [...perPod].sort((a, b) => a - b);
  const counts: Array<[number, number]> = [];
  for (const node of sorted) {
    const last = counts[counts.length - 1];
    if (last && last[0] === node) last[1] += 1;
    else counts.push([node, 1]);
  }
  return counts;
}

/** Plain code-unit order: the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
