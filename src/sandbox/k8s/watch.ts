/**
 * `watch=true` for nodes and pods: newline-delimited JSON events in resourceVersion order. Recent changes are
 * kept (serialised when they happen) so a client that lists and then watches from the list's resourceVersion
 * misses nothing; an older resourceVersion gets 410 Expired, as from a compacted etcd.
 */
import type { ServerResponse } from 'node:http';
import type { NodeRecord, PodRecord, World, WorldChange } from '../world/index.js';
import { type ListQuery, nodeMatches, podMatches } from './lists.js';
import { nodeObject, podJson } from './serialize.js';
import { type Column, nodeRow, podRow } from './tables.js';

type PodView = Pick<PodRecord, 'name' | 'namespace' | 'labels' | 'nodeName' | 'phase' | 'ip'>;
type NodeView = Pick<NodeRecord, 'name' | 'labels' | 'unschedulable'>;

interface Recorded {
  rv: number;
  kind: 'Node' | 'Pod';
  type: string;
  json: string;
  /** The meta.k8s.io Table row, for watches that ask for tables (`kubectl get -w`). */
  row: string;
  /** Frozen copies of what selectors look at, after and (when it changed) before the change. */
  pod?: { now: PodView; before: PodView };
  node?: { now: NodeView; before: NodeView };
}

const HISTORY = 20_000;
/** Streams end after this long unless the client asked for a timeoutSeconds (clients re-watch). */
export const DEFAULT_WATCH_SECONDS = 25;
const BOOKMARK_EVERY_MS = 5_000;

export class WatchHub {
  private readonly history: Recorded[] = [];
  private readonly listeners = new Set<(r: Recorded) => void>();
  private readonly streams = new Set<ServerResponse>();
  private readonly unsubscribe: () => void;
  /** resourceVersion below which history is incomplete. */
  private oldestRv: number;

  constructor(private readonly world: World) {
    this.oldestRv = world.resourceVersion;
    this.unsubscribe = world.onChange((c) => this.record(c));
  }

  private record(change: WorldChange): void {
    let r: Recorded;
    if (change.kind === 'Pod') {
      const p = change.pod;
      const now: PodView = {
        name: p.name,
        namespace: p.namespace,
        labels: p.labels,
        nodeName: p.nodeName,
        phase: p.phase,
        ip: p.ip,
      };
      const pod = { now, before: change.previous ? { ...now, ...change.previous } : now };
      const row = JSON.stringify(podRow(this.world, p));
      r = { rv: change.resourceVersion, kind: 'Pod', type: change.type, json: podJson(this.world, p), row, pod };
    } else {
      const n = change.node;
      const now: NodeView = { name: n.name, labels: n.labels, unschedulable: n.unschedulable };
      const node = { now, before: change.previous ? { ...now, ...change.previous } : now };
      r = {
        rv: change.resourceVersion,
        kind: 'Node',
        type: change.type,
        json: JSON.stringify(nodeObject(this.world, n)),
        row: JSON.stringify(nodeRow(this.world, n)),
        node,
      };
    }
    this.history.push(r);
    if (this.history.length > HISTORY) {
      const dropped = this.history.splice(0, this.history.length - HISTORY);
      this.oldestRv = dropped[dropped.length - 1]!.rv;
    }
    for (const l of this.listeners) l(r);
  }

  /**
   * Serves one watch. `initial` are the ADDED events for the current state (resourceVersion unset or "0"),
   * otherwise history after `fromRv` is replayed.
   */
  serve(
    res: ServerResponse,
    options: {
      kind: 'Node' | 'Pod';
      query: ListQuery;
      namespace: string | undefined;
      fromRv: number | undefined;
      /** Current objects as JSON, or as Table rows when `table` is set. */
      initial: (asRows: boolean) => string[];
      /** Column definitions when the client asked for Table events. */
      table: Column[] | undefined;
      timeoutSeconds: number | undefined;
      bookmarks: boolean;
    },
  ): void {
    const { kind, query, namespace } = options;
    const accept = (r: Recorded) => r.kind === kind && eventType(r, query, namespace) !== undefined;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    // Clients wait for the headers before they consider the watch open.
    res.flushHeaders();
    this.streams.add(res);
    const columns = options.table ? JSON.stringify(options.table) : undefined;
    const wrap = (row: string) =>
      `{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"${this.world.resourceVersion}"},"columnDefinitions":${columns},"rows":[${row}]}`;
    const send = (type: string, json: string) => res.write(`{"type":"${type}","object":${json}}\n`);
    const sendRecord = (r: Recorded) => {
      const type = eventType(r, query, namespace)!;
      send(type, columns ? wrap(r.row) : r.json);
    };
    if (options.fromRv !== undefined && options.fromRv < this.oldestRv) {
      send('ERROR', JSON.stringify(expired(options.fromRv, this.oldestRv)));
      res.end();
      this.streams.delete(res);
      return;
    }
    let lastRv = this.world.resourceVersion;
    if (options.fromRv === undefined)
      for (const item of options.initial(columns !== undefined)) send('ADDED', columns ? wrap(item) : item);
    else {
      for (const r of this.history) if (r.rv > options.fromRv && accept(r)) sendRecord(r);
    }
    const listener = (r: Recorded) => {
      lastRv = r.rv;
      if (accept(r)) sendRecord(r);
    };
    this.listeners.add(listener);
    const apiVersion = 'v1';
    const sendBookmark = () =>
      send(
        'BOOKMARK',
        JSON.stringify({
          kind,
          apiVersion,
          metadata: { resourceVersion: String(Math.max(lastRv, this.world.resourceVersion)) },
        }),
      );
    const bookmark = options.bookmarks ? setInterval(sendBookmark, BOOKMARK_EVERY_MS) : undefined;
    const seconds = options.timeoutSeconds ?? DEFAULT_WATCH_SECONDS;
    // A bookmark as the stream ends tells the client where to resume without a relist.
    const timer = setTimeout(() => {
      if (options.bookmarks) sendBookmark();
      res.end();
    }, seconds * 1000);
    const cleanup = () => {
      this.listeners.delete(listener);
      this.streams.delete(res);
      clearTimeout(timer);
      if (bookmark) clearInterval(bookmark);
    };
    res.on('close', cleanup);
    res.on('finish', cleanup);
  }

  close(): void {
    this.unsubscribe();
    for (const res of this.streams) res.end();
    this.streams.clear();
    this.listeners.clear();
  }
}

/**
 * The event a filtered watcher sees: an object that starts matching its selectors is ADDED, one that stops
 * matching is DELETED, as the API server's watch cache reports them.
 */
function eventType(r: Recorded, query: ListQuery, namespace: string | undefined): string | undefined {
  const test = (view: PodView | NodeView) =>
    r.kind === 'Pod' ? podMatches(view as PodRecord, query, namespace) : nodeMatches(view as NodeRecord, query);
  const views = r.pod ?? r.node!;
  const now = test(views.now);
  const before = views.before === views.now ? now : test(views.before);
  if (r.type === 'ADDED') return now ? 'ADDED' : undefined;
  if (r.type === 'DELETED') return now || before ? 'DELETED' : undefined;
  if (now && before) return 'MODIFIED';
  if (now) return 'ADDED';
  return before ? 'DELETED' : undefined;
}

function expired(requested: number, oldest: number): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `too old resource version: ${requested} (${oldest})`,
    reason: 'Expired',
    code: 410,
  };
}
