/**
 * A (partial) assignment of nodes to batches of fixed sizes, with its violation cost kept up to date on every
 * placement: +1 for each workload whose nodes are all in one batch, + the excess pods for each batch that
 * overruns a PDB budget with pods from two or more nodes. Counts live in typed arrays indexed
 * `constraint × batches + batch` (a 500-node pool with 4,626 PDBs over 15 batches is 70,000 cells): the repair's
 * swap-and-undo churn reads and writes them millions of times, and Map entries cost several times an array cell.
 */
import type { PlanModel } from './plan-model.js';

export class Assignment {
  readonly batchOf: Int32Array;
  readonly fill: number[];
  cost = 0;
  private readonly m: number;
  private readonly spreadCount: Int32Array;
  private readonly budgetLoad: Int32Array;
  private readonly budgetNodes: Int32Array;
  /** Keys of the (constraint, batch) pairs that are violated now, so finding them never scans the maps. */
  private readonly brokenSpread = new Set<number>();
  private readonly brokenBudget = new Set<number>();

  constructor(
    readonly model: PlanModel,
    readonly sizes: readonly number[],
  ) {
    this.m = sizes.length;
    this.spreadCount = new Int32Array(model.spreadK.length * this.m);
    this.budgetLoad = new Int32Array(model.budgetAllowed.length * this.m);
    this.budgetNodes = new Int32Array(model.budgetAllowed.length * this.m);
    this.batchOf = new Int32Array(model.nodeNames.length).fill(-1);
    this.fill = sizes.map(() => 0);
  }

  isOpen(batch: number): boolean {
    return this.fill[batch]! < this.sizes[batch]!;
  }

  place(node: number, batch: number): void {
    this.batchOf[node] = batch;
    this.fill[batch]! += 1;
    this.shift(node, batch, 1);
  }

  unplace(node: number): void {
    const batch = this.batchOf[node]!;
    this.shift(node, batch, -1);
    this.fill[batch]! -= 1;
    this.batchOf[node] = -1;
  }

  /**
   * The cost an unplaced node would add to a batch, read without changing anything; stops counting once the
   * cost passes `limit` (the caller only wants to know whether it beats what it has).
   */
  placeCost(node: number, batch: number, limit = Number.POSITIVE_INFINITY): number {
    const { model } = this;
    let cost = 0;
    for (const s of model.nodeSpread[node]!) {
      if (this.spreadCount[s * this.m + batch]! + 1 === model.spreadK[s]) cost += 1;
      if (cost > limit) return cost;
    }
    for (const [p, pods] of model.nodeBudget[node]!) {
      const key = p * this.m + batch;
      const allowed = model.budgetAllowed[p]!;
      const load = this.budgetLoad[key]!;
      const nodes = this.budgetNodes[key]!;
      cost += this.budgetExcess(load + pods, nodes + 1, allowed) - this.budgetExcess(load, nodes, allowed);
      if (cost > limit) return cost;
    }
    return cost;
  }

  /** Swaps two placed nodes of different batches; returns the cost change. Swapping again undoes it. */
  swap(a: number, b: number): number {
    const before = this.cost;
    const batchA = this.batchOf[a]!;
    const batchB = this.batchOf[b]!;
    this.unplace(a);
    this.unplace(b);
    this.place(a, batchB);
    this.place(b, batchA);
    return this.cost - before;
  }

  /** Batches in which a constraint is violated, with the nodes involved there (for the repair search). */
  violations(): Array<{ batch: number; nodes: number[] }> {
    const { model } = this;
    const members = new Map<number, number[]>();
    const membersOf = (batch: number): number[] => {
      let list = members.get(batch);
      if (!list) {
        list = [];
        members.set(batch, list);
      }
      return list;
    };
    const wanted = new Set<number>();
    for (const key of [...this.brokenSpread, ...this.brokenBudget]) wanted.add(key % this.m);
    this.batchOf.forEach((batch, node) => {
      if (wanted.has(batch)) membersOf(batch).push(node);
    });
    const found: Array<{ batch: number; nodes: number[] }> = [];
    for (const key of this.brokenSpread) {
      const s = Math.floor(key / this.m);
      found.push({ batch: key % this.m, nodes: model.workloads[model.spread[s]!]!.nodes });
    }
    for (const key of this.brokenBudget) {
      const p = Math.floor(key / this.m);
      const batch = key % this.m;
      const nodes = membersOf(batch).filter((node) => model.nodeBudget[node]!.some(([q]) => q === p));
      found.push({ batch, nodes });
    }
    found.sort((x, y) => x.batch - y.batch || x.nodes[0]! - y.nodes[0]!);
    return found;
  }

  private shift(node: number, batch: number, step: 1 | -1): void {
    const { model } = this;
    for (const s of model.nodeSpread[node]!) {
      const key = s * this.m + batch;
      const k = model.spreadK[s]!;
      const before = this.spreadCount[key]!;
      const after = before + step;
      this.spreadCount[key] = after;
      this.cost += (after === k ? 1 : 0) - (before === k ? 1 : 0);
      if (after === k) this.brokenSpread.add(key);
      else if (before === k) this.brokenSpread.delete(key);
    }
    for (const [p, pods] of model.nodeBudget[node]!) {
      const key = p * this.m + batch;
      const allowed = model.budgetAllowed[p]!;
      const loadBefore = this.budgetLoad[key]!;
      const nodesBefore = this.budgetNodes[key]!;
      const loadAfter = loadBefore + step * pods;
      const nodesAfter = nodesBefore + step;
      this.budgetLoad[key] = loadAfter;
      this.budgetNodes[key] = nodesAfter;
      const excess = this.budgetExcess(loadAfter, nodesAfter, allowed);
      this.cost += excess - this.budgetExcess(loadBefore, nodesBefore, allowed);
      if (excess > 0) this.brokenBudget.add(key);
      else this.brokenBudget.delete(key);
    }
  }

  private budgetExcess(load: number, nodes: number, allowed: number): number {
    return nodes >= 2 && load > allowed ? load - allowed : 0;
  }
}
