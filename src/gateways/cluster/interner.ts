/**
 * Shares structurally equal plain values (objects, arrays, strings, numbers, booleans): the pods of one ReplicaSet
 * carry the same trimmed spec, so 150,000 pods cost a few thousand templates instead of 150,000. Values are found
 * by a structural hash and confirmed by a structural comparison, so no key text is built per value (a JSON key of
 * every pod's spec was most of the garbage of a 15,000-pod read, and the retained keys as big as the specs).
 */
type Plain = unknown;

const SEED = 0x811c9dc5;

function mix(h: number, x: number): number {
  return Math.imul(h ^ x, 0x01000193);
}

function hashString(h: number, s: string): number {
  let out = mix(h, s.length);
  for (let i = 0; i < s.length; i++) out = mix(out, s.charCodeAt(i));
  return out;
}

function hashOf(value: Plain, h: number): number {
  switch (typeof value) {
    case 'string':
      return hashString(mix(h, 1), value);
    case 'number':
      return hashString(mix(h, 2), String(value));
    case 'boolean':
      return mix(h, value ? 3 : 4);
    case 'undefined':
      return mix(h, 5);
    case 'object': {
      if (value === null) return mix(h, 6);
      if (Array.isArray(value)) {
        let out = mix(mix(h, 7), value.length);
        for (const v of value) out = hashOf(v, out);
        return out;
      }
      let out = mix(h, 8);
      for (const k in value) out = hashOf((value as Record<string, Plain>)[k], hashString(out, k));
      return out;
    }
    default:
      return mix(h, 9);
  }
}

/** Same shape, same keys in the same order, same leaves (stricter than JSON equality, never looser). */
function same(a: Plain, b: Plain): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as Plain[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], bb[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!;
    if (k !== kb[i] || !same((a as Record<string, Plain>)[k], (b as Record<string, Plain>)[k])) return false;
  }
  return true;
}

export class Interner {
  private readonly buckets = new Map<number, Plain[]>();
  private count = 0;

  /** The first value seen that is structurally equal to `value`, or `value` itself when it is new. */
  intern<T>(value: T): T {
    const h = hashOf(value, SEED);
    const bucket = this.buckets.get(h);
    if (bucket) {
      for (const v of bucket) if (same(v, value)) return v as T;
      bucket.push(value);
    } else this.buckets.set(h, [value]);
    this.count++;
    return value;
  }

  /** Distinct values kept. */
  get size(): number {
    return this.count;
  }
}
