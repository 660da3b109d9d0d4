/**
 * The batch plan: ACK's batch sizes (1, 2, 4, … up to the max parallelism) and which nodes go into each batch,
 * so that, where possible, no batch holds every replica of a workload and no batch drains more pods than a PDB
 * allows (docs/architecture.md#migration-pipeline). What cannot be split is reported, never hidden.
 */

import { AppError } from '../../errors.js';
import { batchSizes, DEFAULT_MINUTES_PER_BATCH, defaultMaxParallel } from '../batch-schedule.js';
import type { ClusterSnapshot, WorkloadRef } from '../cluster/snapshot.js';
import type { Assignment } from './assignment.js';
import { buildPlanModel, type PlanModel } from './plan-model.js';
import { EXACT_STEPS, exactSearch, greedy, orderNodes, REPAIR_STEPS, repair } from './search.js';

export interface PlanInput {
  snapshot: ClusterSnapshot;
  /** Largest batch; default 10% of the nodes, at least 1, at most 10 (defaultMaxParallel). */
  maxParallel?: number | undefined;
  minutesPerBatch?: number | undefined;
}

/** A replicated workload whose evicted pods on the pool (two or more) all ended up in one batch. */
export interface UnsplittableWorkload extends WorkloadRef {
  /** Evicted pods on the pool. */
  pods: number;
  /** Pool nodes holding them: 1 means they share a node, and no plan can split them. */
  nodes: number;
  /** spec.replicas when known (more than `pods` means other replicas run outside the pool). */
  replicas: number | undefined;
  /** Index of the batch that holds them all. */
  batch: number;
}

/** A batch that evicts more pods of a PDB, from two or more nodes, than the PDB allows now. */
export interface PdbOverrun {
  namespace: string;
  name: string;
  batch: number;
  pods: number;
  allowed: number;
}

export interface BatchPlan {
  /** Node names per batch, in order; names sorted within a batch. */
  batches: string[][];
  maxParallel: number;
  estimatedMinutes: number;
  unsplittable: UnsplittableWorkload[];
  overBudget: PdbOverrun[];
}

export function planBatches(input: PlanInput): BatchPlan {
  const { snapshot } = input;
  const nodeCount = new Set(snapshot.nodes.map((n) => n.name)).size;
  const maxParallel = input.maxParallel ?? defaultMaxParallel(nodeCount);
  const minutesPerBatch = input.minutesPerBatch ?? DEFAULT_MINUTES_PER_BATCH;
  if (!Number.isInteger(maxParallel) || maxParallel < 1)
    throw new AppError('BAD_INPUT', `max parallelism must be a whole number of at least 1, got ${maxParallel}`);
  if (!Number.isFinite(minutesPerBatch) || minutesPerBatch < 0)
    throw new AppError('BAD_INPUT', `minutes per batch must be 0 or more, got ${minutesPerBatch}`);

  const sizes = batchSizes(nodeCount, maxParallel);
  const model = buildPlanModel(dedupeNodes(snapshot), Math.max(0, ...sizes));
  const assignment = assign(model, sizes);

  const batches: string[][] = sizes.map(() => []);
  model.nodeNames.forEach((name, node) => {
    batches[assignment.batchOf[node]!]!.push(name);
  });
  return {
    batches,
    maxParallel,
    estimatedMinutes: sizes.length * minutesPerBatch,
    unsplittable: findUnsplittable(model, assignment),
    overBudget: findOverruns(model, assignment),
  };
}

function assign(model: PlanModel, sizes: number[]): Assignment {
  const order = orderNodes(model);
  const first = greedy(model, sizes, order);
  if (first.cost === 0) return first;
  repair(first, order, { steps: REPAIR_STEPS });
  if (first.cost === 0) return first;
  return exactSearch(model, sizes, order, { steps: EXACT_STEPS }) ?? first;
}

function findUnsplittable(model: PlanModel, a: Assignment): UnsplittableWorkload[] {
  const found: UnsplittableWorkload[] = [];
  for (const w of model.workloads) {
    const batch = a.batchOf[w.nodes[0]!]!;
    if (w.nodes.every((node) => a.batchOf[node] === batch))
      found.push({ ...w.ref, pods: w.pods, nodes: w.nodes.length, replicas: w.replicas, batch });
  }
  return found;
}

function findOverruns(model: PlanModel, a: Assignment): PdbOverrun[] {
  const found: PdbOverrun[] = [];
  for (const { pdb, allowed, nodes } of model.budgets) {
    const perBatch = new Map<number, { pods: number; nodes: number }>();
    for (const [node, pods] of nodes) {
      const batch = a.batchOf[node]!;
      const entry = perBatch.get(batch) ?? { pods: 0, nodes: 0 };
      entry.pods += pods;
      entry.nodes += 1;
      perBatch.set(batch, entry);
    }
    for (const [batch, entry] of [...perBatch].sort((x, y) => x[0] - y[0])) {
      if (entry.nodes >= 2 && entry.pods > allowed)
        found.push({ namespace: pdb.namespace, name: pdb.name, batch, pods: entry.pods, allowed });
    }
  }
  return found;
}

function dedupeNodes(snapshot: ClusterSnapshot): ClusterSnapshot {
  const seen = new Set<string>();
  if (snapshot.nodes.every((n) => !seen.has(n.name) && seen.add(n.name))) return snapshot;
  const unique = new Map(snapshot.nodes.map((n) => [n.name, n]));
  return { ...snapshot, nodes: [...unique.values()] };
}
