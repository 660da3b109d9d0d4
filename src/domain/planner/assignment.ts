/**
 * A (partial) assignment of nodes to batches of fixed sizes, with its violation cost kept up to date on every
 * placement: +1 for each workload whose nodes are all in one batch, + the excess pods for each batch that
 * overruns a PDB budget with pods from two or more nodes. Counts live in maps keyed `constraint × batches + batch`.
 */
import type { PlanModel } from './plan-model.js';

export class Assignment {
  readonly batchOf: Int32Array;
  readonly fill: number[];
  cost = 0;
  private readonly m: number;
  private readonly spreadCount = new Map<number, number>();
  private readonly budgetLoad = new Map<number, number>();
  private readonly budgetNodes = new Map<number, number>();

  constructor(
    readonly model: PlanModel,
    readonly sizes: readonly number[],
  ) {
    this.m = sizes.length;
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

  /** The cost change of placing an unplaced node into a batch, leaving the assignment as it was. */
  placeDelta(node: number, batch: number): number {
    const before = this.cost;
    this.place(node, batch);
    const delta = this.cost - before;
    this.unplace(node);
    return delta;
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
    const found: Array<{ batch: number; nodes: number[] }> = [];
    const { model } = this;
    for (const [key, count] of this.spreadCount) {
      const s = Math.floor(key / this.m);
      if (count !== model.spreadK[s]) continue;
      found.push({ batch: key % this.m, nodes: model.workloads[model.spread[s]!]!.nodes });
    }
    for (const [key, load] of this.budgetLoad) {
      const p = Math.floor(key / this.m);
      const batch = key % this.m;
      if (!this.budgetViolated(load, this.budgetNodes.get(key) ?? 0, model.budgetAllowed[p]!)) continue;
      const budget = model.budgets[model.budgeted[p]!]!;
      found.push({ batch, nodes: budget.nodes.map(([n]) => n).filter((n) => this.batchOf[n] === batch) });
    }
    found.sort((x, y) => x.batch - y.batch || x.nodes[0]! - y.nodes[0]!);
    return found;
  }

  private shift(node: number, batch: number, step: 1 | -1): void {
    const { model } = this;
    for (const s of model.nodeSpread[node]!) {
      const key = s * this.m + batch;
      const k = model.spreadK[s]!;
      const before = this.spreadCount.get(key) ?? 0;
      const after = before + step;
      if (after === 0) this.spreadCount.delete(key);
      else this.spreadCount.set(key, after);
      this.cost += (after === k ? 1 : 0) - (before === k ? 1 : 0);
    }
    for (const [p, pods] of model.nodeBudget[node]!) {
      const key = p * this.m + batch;
      const allowed = model.budgetAllowed[p]!;
      const loadBefore = this.budgetLoad.get(key) ?? 0;
      const nodesBefore = this.budgetNodes.get(key) ?? 0;
      const loadAfter = loadBefore + step * pods;
      const nodesAfter = nodesBefore + step;
      if (nodesAfter === 0) {
        this.budgetLoad.delete(key);
        this.budgetNodes.delete(key);
      } else {
        this.budgetLoad.set(key, loadAfter);
        this.budgetNodes.set(key, nodesAfter);
      }
      this.cost +=
        this.budgetExcess(loadAfter, nodesAfter, allowed) - this.budgetExcess(loadBefore, nodesBefore, allowed);
    }
  }

  private budgetViolated(load: number, nodes: number, allowed: number): boolean {
    return nodes >= 2 && load > allowed;
  }

  private budgetExcess(load: number, nodes: number, allowed: number): number {
    return this.budgetViolated(load, nodes, allowed) ? load - allowed : 0;
  }
}
