/** Deterministic ids and names: the same scenario yields the same instance ids, disk ids and pod names. */

export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }
  /** mulberry32: fast, good enough for names and spreads. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }
  chars(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
}

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Kubernetes' name suffix alphabet (no vowels, no confusable digits). */
const KUBE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function hashSeed(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export class IdFactory {
  private readonly rng: Rng;
  private uidCounter = 0;
  private readonly uidPrefix: string;
  constructor(seed: string) {
    this.rng = new Rng(hashSeed(seed));
    this.uidPrefix = this.rng.chars(8, '0123456789abcdef');
  }
  /** RFC 4122-shaped, unique within the world. */
  uid(): string {
    const n = (this.uidCounter++).toString(16).padStart(12, '0');
    return `${this.uidPrefix}-${n.slice(0, 4)}-4${n.slice(4, 7)}-8${n.slice(7, 10)}-${this.rng.chars(10, '0123456789abcdef')}${n.slice(10)}`;
  }
  /** ECS ids look like `i-bp1…` (20 characters after the prefix in cn-hangzhou). */
  instanceId(): string {
    return `i-bp${this.rng.chars(18, LOWER_ALNUM)}`;
  }
  diskId(): string {
    return `d-bp${this.rng.chars(18, LOWER_ALNUM)}`;
  }
  /** Pod name suffix as the ReplicaSet/DaemonSet/Job controllers generate it. */
  podSuffix(): string {
    return this.rng.chars(5, KUBE_ALPHABET);
  }
  /** pod-template-hash of a Deployment's ReplicaSet. */
  templateHash(): string {
    return this.rng.chars(10, KUBE_ALPHABET);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.rng.int(items.length)]!;
  }
}

export function ipv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Alibaba Cloud ENIs use the 00:16:3e OUI. */
export function macOf(n: number): string {
  const hex = (v: number) => v.toString(16).padStart(2, '0');
  return `00:16:3e:${hex((n >>> 16) & 255)}:${hex((n >>> 8) & 255)}:${hex(n & 255)}`;
}
