/**
 * Pods with the indexes the API and the controllers need: by key (`ns/name`), by node, unscheduled ones, and a
 * sorted key array for paginated lists (rebuilt only after pods come or go, so 300 pages of 500 cost one sort).
 */
import type { PodRecord } from './types.js';

export class PodStore {
  private readonly byKey = new Map<string, PodRecord>();
  private readonly byNode = new Map<string, Set<PodRecord>>();
  readonly unscheduled = new Set<PodRecord>();
  private sorted: string[] | undefined;

  get size(): number {
    return this.byKey.size;
  }

  get(namespace: string, name: string): PodRecord | undefined {
    return this.byKey.get(`${namespace}/${name}`);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  add(pod: PodRecord): void {
    this.byKey.set(pod.key, pod);
    this.index(pod);
    this.sorted = undefined;
  }

  remove(pod: PodRecord): void {
    if (this.byKey.get(pod.key) !== pod) return;
    this.byKey.delete(pod.key);
    this.unindex(pod);
    this.sorted = undefined;
  }

  /** Moves a pod to a node (or off every node) keeping the indexes right. */
  bind(pod: PodRecord, nodeName: string | undefined): void {
    this.unindex(pod);
    pod.nodeName = nodeName;
    this.index(pod);
  }

  onNode(nodeName: string): ReadonlySet<PodRecord> {
    return this.byNode.get(nodeName) ?? EMPTY;
  }

  countOnNode(nodeName: string): number {
    return this.byNode.get(nodeName)?.size ?? 0;
  }

  all(): IterableIterator<PodRecord> {
    return this.byKey.values();
  }

  /** Every pod key in `namespace/name` order (the order a real API server lists them in). */
  sortedKeys(): string[] {
    if (!this.sorted) this.sorted = [...this.byKey.keys()].sort();
    return this.sorted;
  }

  byKeyOf(key: string): PodRecord | undefined {
    return this.byKey.get(key);
  }

  private index(pod: PodRecord): void {
    if (pod.nodeName === undefined) {
      this.unscheduled.add(pod);
      return;
    }
    let set = this.byNode.get(pod.nodeName);
    if (!set) {
      set = new Set();
      this.byNode.set(pod.nodeName, set);
    }
    set.add(pod);
  }

  private unindex(pod: PodRecord): void {
    if (pod.nodeName === undefined) {
      this.unscheduled.delete(pod);
      return;
    }
    const set = this.byNode.get(pod.nodeName);
    set?.delete(pod);
    if (set && set.size === 0) this.byNode.delete(pod.nodeName);
  }
}

const EMPTY: ReadonlySet<PodRecord> = new Set();
