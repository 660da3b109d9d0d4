/**
 * Listing with selectors and limit/continue over the world's nodes, pods and stored objects, and streaming
 * the result: a page is written in chunks with backpressure, so an unpaginated list of 150,000 pods never
 * becomes one giant string.
 */
import type { ServerResponse } from 'node:http';
import type { KubeObject } from '../scenario/types.js';
import type { NodeRecord, PodRecord, World } from '../world/index.js';
import { matches, parseFieldSelector, parseSelector, type Requirement } from '../world/labels.js';

export class BadRequest extends Error {}

export interface ListQuery {
  labels: Requirement[];
  fields: Array<{ field: string; equal: boolean; value: string }>;
  limit: number | undefined;
  continueKey: string | undefined;
}

export function parseListQuery(params: URLSearchParams, allowedFields: string[]): ListQuery {
  let labels: Requirement[];
  let fields: ListQuery['fields'];
  try {
    labels = parseSelector(params.get('labelSelector') ?? undefined);
    fields = parseFieldSelector(params.get('fieldSelector') ?? undefined);
  } catch (error) {
    throw new BadRequest((error as Error).message);
  }
  for (const f of fields) {
    if (!allowedFields.includes(f.field)) throw new BadRequest(`field label not supported: ${f.field}`);
  }
  const limitText = params.get('limit');
  const limit = limitText ? Number(limitText) : undefined;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0))
    throw new BadRequest(`invalid limit ${limitText}`);
  const token = params.get('continue');
  let continueKey: string | undefined;
  if (token) {
    try {
      const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { start?: unknown };
      if (typeof parsed.start !== 'string') throw new Error('no start');
      continueKey = parsed.start;
    } catch {
      throw new BadRequest('continue key is not valid');
    }
  }
  return { labels, fields, limit: limit === 0 ? undefined : limit, continueKey };
}

export function continueToken(world: World, lastKey: string): string {
  return Buffer.from(
    JSON.stringify({ v: 'meta.k8s.io/v1', rv: world.resourceVersion, start: lastKey }),
    'utf8',
  ).toString('base64url');
}

/** First index in a sorted array whose value is greater than `key`. */
function after(sorted: readonly string[], key: string | undefined): number {
  if (key === undefined) return 0;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The `namespace/…` keys of a sorted key list (all of them without a namespace). */
function namespaceRange(sorted: readonly string[], namespace: string | undefined): readonly string[] {
  if (namespace === undefined) return sorted;
  const prefix = `${namespace}/`;
  const start = after(sorted, prefix);
  let end = start;
  while (end < sorted.length && sorted[end]!.startsWith(prefix)) end++;
  return sorted.slice(start, end);
}

export interface Page<T> {
  items: T[];
  continueKey: string | undefined;
}

function paginate<T>(
  keys: readonly string[],
  get: (key: string) => T | undefined,
  keep: (item: T) => boolean,
  q: ListQuery,
): Page<T> {
  const items: T[] = [];
  let i = after(keys, q.continueKey);
  for (; i < keys.length; i++) {
    const item = get(keys[i]!);
    if (item === undefined || !keep(item)) continue;
    if (q.limit !== undefined && items.length === q.limit) {
      return { items, continueKey: keys[i - 1] ?? keys[i]! };
    }
    items.push(item);
  }
  return { items, continueKey: undefined };
}

function fieldValue(pod: PodRecord, field: string): string {
  switch (field) {
    case 'metadata.name':
      return pod.name;
    case 'metadata.namespace':
      return pod.namespace;
    case 'spec.nodeName':
      return pod.nodeName ?? '';
    case 'status.phase':
      return pod.phase;
    default:
      return pod.ip ?? '';
  }
}

export const POD_FIELDS = ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'status.phase', 'status.podIP'];
export const NODE_FIELDS = ['metadata.name', 'spec.unschedulable'];
export const OBJECT_FIELDS = ['metadata.name', 'metadata.namespace'];

export function podMatches(pod: PodRecord, q: ListQuery, namespace: string | undefined): boolean {
  if (namespace !== undefined && pod.namespace !== namespace) return false;
  for (const f of q.fields) if ((fieldValue(pod, f.field) === f.value) !== f.equal) return false;
  return matches(q.labels, pod.labels);
}

export function listPods(world: World, q: ListQuery, namespace: string | undefined): Page<PodRecord> {
  const store = world.workloads.pods;
  const onNode = q.fields.find((f) => f.field === 'spec.nodeName' && f.equal && f.value !== '');
  let keys: readonly string[];
  if (onNode) keys = [...store.onNode(onNode.value)].map((p) => p.key).sort();
  else keys = namespaceRange(store.sortedKeys(), namespace);
  return paginate(
    keys,
    (k) => store.byKeyOf(k),
    (p) => podMatches(p, q, namespace),
    q,
  );
}

export function nodeMatches(node: NodeRecord, q: ListQuery): boolean {
  for (const f of q.fields) {
    const value = f.field === 'metadata.name' ? node.name : String(node.unschedulable);
    if ((value === f.value) !== f.equal) return false;
  }
  return matches(q.labels, node.labels);
}

export function listNodes(world: World, q: ListQuery): Page<NodeRecord> {
  const byName = new Map(world.listNodes().map((n) => [n.name, n]));
  const keys = [...byName.keys()].sort();
  return paginate(
    keys,
    (k) => byName.get(k),
    (n) => nodeMatches(n, q),
    q,
  );
}

export function listStored(world: World, kind: string, q: ListQuery, namespace: string | undefined): Page<KubeObject> {
  const keys = namespaceRange(world.workloads.objectKeys(kind), namespace);
  const keep = (o: KubeObject) => {
    for (const f of q.fields) {
      const value = f.field === 'metadata.name' ? o.metadata.name : (o.metadata.namespace ?? '');
      if ((value === f.value) !== f.equal) return false;
    }
    return matches(q.labels, o.metadata.labels);
  };
  return paginate(keys, (k) => world.workloads.objectAt(kind, k), keep, q);
}

/**
 * Writes `{…head…,"items":[` + items + `]}` in chunks of about 256 KiB, waiting for the socket to drain
 * between chunks (a 150,000-pod list is hundreds of megabytes).
 */
export async function streamList(
  res: ServerResponse,
  head: string,
  count: number,
  item: (i: number) => string,
  tail = ']}',
): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  let buffer = `${head}[`;
  for (let i = 0; i < count; i++) {
    buffer += (i > 0 ? ',' : '') + item(i);
    if (buffer.length > 262_144) {
      if (!res.write(buffer)) await drained(res);
      buffer = '';
      if (res.destroyed) return;
    }
  }
  res.end(buffer + tail);
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
