/**
 * Kubernetes label selectors (metav1.LabelSelector) and an index that finds, for a pod, the selectors of its
 * namespace that may match it without testing every selector: 150,000 pods × hundreds of PDBs must stay cheap.
 */
import type { LabelSelector } from './snapshot.js';

/** metav1.LabelSelectorAsSelector semantics: an empty selector matches everything; all terms must hold. */
export function matchesSelector(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const expression of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, expression.key);
    const value = labels[expression.key];
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
        if (!has || !values.includes(value as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(value as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

export interface Selectable {
  namespace: string;
  selector: LabelSelector;
}

/**
 * Buckets selectable objects by namespace and by one of their matchLabels pairs; objects with no matchLabels
 * are tested against every pod of their namespace.
 */
export class SelectorIndex<T extends Selectable> {
  /** namespace → label key → label value → items whose (first) matchLabels pair that is. */
  private readonly byPair = new Map<string, Map<string, Map<string, T[]>>>();
  private readonly unkeyed = new Map<string, T[]>();
  private readonly order = new Map<T, number>();

  constructor(items: readonly T[]) {
    items.forEach((item, i) => {
      this.order.set(item, i);
      const first = Object.entries(item.selector.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))[0];
      if (!first) {
        push(this.unkeyed, item.namespace, item);
        return;
      }
      const keys = getOrSet(this.byPair, item.namespace, () => new Map<string, Map<string, T[]>>());
      push(
        getOrSet(keys, first[0], () => new Map<string, T[]>()),
        first[1],
        item,
      );
    });
  }

  /** Every item of the namespace whose selector matches the labels, in construction order. */
  match(namespace: string, labels: Record<string, string>): readonly T[] {
    const candidates: Array<readonly T[]> = [];
    const unkeyed = this.unkeyed.get(namespace);
    if (unkeyed) candidates.push(unkeyed);
    const keys = this.byPair.get(namespace);
    if (keys) {
      for (const key in labels) {
        const items = keys.get(key)?.get(labels[key] as string);
        if (items) candidates.push(items);
      }
    }
    if (candidates.length === 0) return NONE;
    const found = candidates.flat().filter((item) => matchesSelector(item.selector, labels));
    if (found.length > 1) found.sort((a, b) => this.order.get(a)! - this.order.get(b)!);
    return found;
  }
}

const NONE: readonly never[] = Object.freeze([]);

function getOrSet<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
