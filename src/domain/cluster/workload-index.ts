/**
 * Small integer ids for workloads, looked up by kind, namespace and name through nested maps: no key string is
 * built per pod, which matters at 150,000 pods.
 */
import type { WorkloadRef } from './snapshot.js';

export class WorkloadIndex {
  private readonly byKind = new Map<string, Map<string, Map<string, number>>>();
  readonly refs: WorkloadRef[] = [];

  get(ref: WorkloadRef): number | undefined {
    return this.byKind.get(ref.kind)?.get(ref.namespace)?.get(ref.name);
  }

  /** The id of the workload, assigning the next one if it is new. */
  add(ref: WorkloadRef): number {
    let namespaces = this.byKind.get(ref.kind);
    if (!namespaces) {
      namespaces = new Map();
      this.byKind.set(ref.kind, namespaces);
    }
    let names = namespaces.get(ref.namespace);
    if (!names) {
      names = new Map();
      namespaces.set(ref.namespace, names);
    }
    let id = names.get(ref.name);
    if (id === undefined) {
      id = this.refs.length;
      names.set(ref.name, id);
      this.refs.push(ref);
    }
    return id;
  }

  /** Every id, ordered by kind, namespace and name (code-unit order: the same everywhere). */
  sortedIds(): number[] {
    return this.refs.map((_, id) => id).sort((a, b) => compareRefs(this.refs[a]!, this.refs[b]!));
  }
}

export function compareRefs(a: WorkloadRef, b: WorkloadRef): number {
  return compare(a.kind, b.kind) || compare(a.namespace, b.namespace) || compare(a.name, b.name);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
