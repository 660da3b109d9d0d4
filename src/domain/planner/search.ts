/**
 * Finding an assignment with no violation: greedy first-fit over nodes ordered by constraint pressure, then
 * swap repair, then (for what is still violated) an exact depth-first search with a step budget. The budget
 * keeps a 5,000-node pool fast; on small pools the exact search is complete, so whenever some assignment
 * satisfies every constraint, the plan satisfies them all. Everything iterates in index order: no randomness.
 */
import { Assignment } from './assignment.js';
import type { PlanModel } from './plan-model.js';

/**
 * Open batches the greedy looks at per node. An empty batch always fits, so this only bites when every batch
 * already conflicts (e.g. a PDB spread over more nodes than there are batches), where scanning them all would
 * cost nodes × batches.
 */
export const GREEDY_SCAN = 16;
/** Swap evaluations the repair may spend. */
export const REPAIR_STEPS = 5_000;
/** Placements the exact search may try, and the most constrained nodes it takes on (beyond that it cannot finish). */
export const EXACT_STEPS = 100_000;
export const EXACT_MAX_NODES = 256;

export interface NodeOrder {
  /** Nodes taking part in a constraint, most constrained first (ties by index). */
  constrained: number[];
  /** Nodes with no constraint, ascending. */
  free: number[];
}

/** Pressure: Σ 1/(k−1) over the spread constraints of a node (pairs weigh most) + Σ pods/allowed over budgets. */
export function orderNodes(model: PlanModel): NodeOrder {
  const pressure = model.nodeNames.map((_, node) => {
    let p = 0;
    for (const s of model.nodeSpread[node]!) p += 1 / (model.spreadK[s]! - 1);
    for (const [b, pods] of model.nodeBudget[node]!) p += pods / model.budgetAllowed[b]!;
    return p;
  });
  const constrained: number[] = [];
  const free: number[] = [];
  pressure.forEach((p, node) => {
    (p > 0 ? constrained : free).push(node);
  });
  constrained.sort((a, b) => pressure[b]! - pressure[a]! || a - b);
  return { constrained, free };
}

export function greedy(model: PlanModel, sizes: readonly number[], order: NodeOrder): Assignment {
  const a = new Assignment(model, sizes);
  const open = sizes.map((_, i) => i);
  const put = (node: number, at: number): void => {
    const batch = open[at]!;
    a.place(node, batch);
    if (!a.isOpen(batch)) open.splice(at, 1);
  };
  for (const node of order.constrained) {
    let best = 0;
    let bestCost = Number.POSITIVE_INFINITY;
    const scan = Math.min(open.length, GREEDY_SCAN);
    for (let i = 0; i < scan; i++) {
      const cost = a.placeCost(node, open[i]!, bestCost - 1);
      if (cost < bestCost) {
        best = i;
        bestCost = cost;
        if (cost === 0) break;
      }
    }
    put(node, best);
  }
  for (const node of order.free) put(node, 0);
  return a;
}

/** Swaps a node involved in a violation with a node of another batch whenever that lowers the cost. */
export function repair(a: Assignment, order: NodeOrder, budget: { steps: number }): void {
  const candidates = [...order.free, ...[...order.constrained].sort((x, y) => x - y)];
  let improved = true;
  while (improved && a.cost > 0) {
    improved = false;
    for (const violation of a.violations()) {
      if (swapOut(a, violation, candidates, budget)) improved = true;
      if (budget.steps <= 0) return;
    }
  }
}

function swapOut(
  a: Assignment,
  violation: { batch: number; nodes: number[] },
  candidates: number[],
  budget: { steps: number },
): boolean {
  for (const u of violation.nodes) {
    if (a.batchOf[u] !== violation.batch) continue;
    for (const x of candidates) {
      if (a.batchOf[x] === violation.batch) continue;
      if (--budget.steps < 0) return false;
      if (a.swap(u, x) < 0) return true;
      a.swap(u, x);
    }
  }
  return false;
}

/**
 * Depth-first search over the constrained nodes for an assignment of cost 0; free nodes then fill the remaining
 * places. Two empty batches of the same size are interchangeable, so only the first is tried at each level.
 */
export function exactSearch(
  model: PlanModel,
  sizes: readonly number[],
  order: NodeOrder,
  budget: { steps: number },
): Assignment | undefined {
  if (order.constrained.length > EXACT_MAX_NODES) return undefined;
  const a = new Assignment(model, sizes);
  const nodes = order.constrained;
  const next = new Int32Array(nodes.length + 1);
  const triedEmpty: Array<Set<number>> = [new Set()];
  let level = 0;
  while (level >= 0) {
    if (level === nodes.length) {
      for (const node of order.free) a.place(node, firstOpen(a, sizes.length));
      return a;
    }
    const node = nodes[level]!;
    if (a.batchOf[node]! >= 0) a.unplace(node);
    let placedAt = -1;
    for (let batch = next[level]!; batch < sizes.length; batch++) {
      if (!a.isOpen(batch)) continue;
      if (a.fill[batch] === 0) {
        if (triedEmpty[level]!.has(sizes[batch]!)) continue;
        triedEmpty[level]!.add(sizes[batch]!);
      }
      if (--budget.steps < 0) return undefined;
      a.place(node, batch);
      if (a.cost === 0) {
        placedAt = batch;
        break;
      }
      a.unplace(node);
    }
    if (placedAt < 0) {
      level -= 1;
      continue;
    }
    next[level] = placedAt + 1;
    level += 1;
    next[level] = 0;
    triedEmpty[level] = new Set();
  }
  return undefined;
}

function firstOpen(a: Assignment, batches: number): number {
  for (let b = 0; b < batches; b++) if (a.isOpen(b)) return b;
  throw new Error('no open batch left: batch sizes do not add up to the node count');
}
