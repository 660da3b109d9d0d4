/** Request handlers per resource: nodes, pods (with the eviction subresource), and the read-only stored kinds. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../scenario/types.js';
import type { NodeRecord, Taint, World } from '../world/index.js';
import {
  continueToken,
  listNodes,
  listPods,
  listStored,
  NODE_FIELDS,
  nodeMatches,
  OBJECT_FIELDS,
  type Page,
  POD_FIELDS,
  parseListQuery,
  podMatches,
  streamList,
} from './lists.js';
import { NOT_ACCEPTABLE_MESSAGE, negotiate, partialObjectMetadataJson } from './media.js';
import { withStatus } from './objects.js';
import { applyPatch, PatchError, patchTypeOf } from './patch.js';
import { patchPdb } from './pdb-patch.js';
import { type ApiSurface, groupVersionOf, type ResourceInfo } from './resources.js';
import { notFound, readBody, sendJson, sendStatus } from './respond.js';
import { nodeObject, podJson, podMetadata } from './serialize.js';
import { type Column, NODE_COLUMNS, nodeRow, objectTable, POD_COLUMNS, podRow } from './tables.js';
import type { WatchHub } from './watch.js';

export interface RequestContext {
  world: World;
  surface: ApiSurface;
  hub: WatchHub;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  method: string;
  resource: ResourceInfo;
  namespace: string | undefined;
  name: string | undefined;
  sub: string | undefined;
}

function apiVersionOf(r: ResourceInfo): string {
  return groupVersionOf(r.group, r.version);
}

function isWatch(url: URL): boolean {
  const w = url.searchParams.get('watch');
  return w === 'true' || w === '1';
}

function watchOptions(url: URL): {
  fromRv: number | undefined;
  timeoutSeconds: number | undefined;
  bookmarks: boolean;
} {
  const rv = url.searchParams.get('resourceVersion');
  const timeout = url.searchParams.get('timeoutSeconds');
  return {
    fromRv: rv && rv !== '0' ? Number(rv) : undefined,
    timeoutSeconds: timeout ? Number(timeout) : undefined,
    bookmarks: url.searchParams.get('allowWatchBookmarks') === 'true',
  };
}

function notAcceptable(ctx: RequestContext): void {
  sendStatus(ctx.res, 406, 'NotAcceptable', NOT_ACCEPTABLE_MESSAGE);
}

async function sendPage<T>(
  ctx: RequestContext,
  page: Page<T>,
  json: (item: T) => string,
  table: { columns: Column[]; row: (item: T) => Record<string, unknown> },
  metadataOf: (item: T) => unknown,
): Promise<void> {
  const wanted = negotiate(ctx.req.headers.accept, true);
  if (!wanted) return notAcceptable(ctx);
  const meta: Record<string, string> = { resourceVersion: String(ctx.world.resourceVersion) };
  if (page.continueKey !== undefined) meta['continue'] = continueToken(ctx.world, page.continueKey);
  const items = page.items;
  if (wanted.as === 'table') {
    const head = `{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":${JSON.stringify(meta)},"columnDefinitions":${JSON.stringify(table.columns)},"rows":`;
    return streamList(ctx.res, head, items.length, (i) => JSON.stringify(table.row(items[i]!)));
  }
  if (wanted.as === 'metadata') {
    const head = `{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/${wanted.metaVersion}","metadata":${JSON.stringify(meta)},"items":`;
    return streamList(ctx.res, head, items.length, (i) =>
      partialObjectMetadataJson(metadataOf(items[i]!), wanted.metaVersion),
    );
  }
  const head = `{"kind":"${ctx.resource.kind}List","apiVersion":"${apiVersionOf(ctx.resource)}","metadata":${JSON.stringify(meta)},"items":`;
  return streamList(ctx.res, head, items.length, (i) => json(items[i]!));
}

function sendOne(
  ctx: RequestContext,
  json: () => string,
  columns: Column[],
  row: () => Record<string, unknown>,
  metadataOf: () => unknown,
): void {
  const wanted = negotiate(ctx.req.headers.accept, false);
  if (!wanted) notAcceptable(ctx);
  else if (wanted.as === 'table') {
    sendJson(ctx.res, 200, {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: String(ctx.world.resourceVersion) },
      columnDefinitions: columns,
      rows: [row()],
    });
  } else if (wanted.as === 'metadata')
    sendJson(ctx.res, 200, partialObjectMetadataJson(metadataOf(), wanted.metaVersion));
  else sendJson(ctx.res, 200, json());
}

/** A watch streams objects or Table rows; metadata-only watches are not served here (406, not full objects). */
function watchTable(ctx: RequestContext, columns: Column[]): { ok: boolean; table: Column[] | undefined } {
  const wanted = negotiate(ctx.req.headers.accept, true);
  if (!wanted || wanted.as === 'metadata') return { ok: false, table: undefined };
  return { ok: true, table: wanted.as === 'table' ? columns : undefined };
}

function methodNotAllowed(ctx: RequestContext): void {
  sendStatus(ctx.res, 405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
}

// ---- nodes -------------------------------------------------------------------------------------------------

export async function handleNodes(ctx: RequestContext): Promise<void> {
  const { world, url, method, name } = ctx;
  const nodeJson = (n: NodeRecord) => JSON.stringify(nodeObject(world, n));
  const table = { columns: NODE_COLUMNS, row: (n: NodeRecord) => nodeRow(world, n) };
  if (name === undefined) {
    if (method !== 'GET') return methodNotAllowed(ctx);
    const query = parseListQuery(url.searchParams, NODE_FIELDS);
    if (isWatch(url)) {
      const watch = watchTable(ctx, NODE_COLUMNS);
      if (!watch.ok) return notAcceptable(ctx);
      return ctx.hub.serve(ctx.res, {
        kind: 'Node',
        query,
        namespace: undefined,
        initial: (asRows) =>
          world
            .listNodes()
            .filter((n) => nodeMatches(n, query))
            .map((n) => (asRows ? JSON.stringify(nodeRow(world, n)) : nodeJson(n))),
        table: watch.table,
        ...watchOptions(url),
      });
    }
    return sendPage(ctx, listNodes(world, query), nodeJson, table, (n) => nodeObject(world, n)['metadata']);
  }
  if (ctx.sub !== undefined && ctx.sub !== 'status') return notFound(ctx.res, 'nodes', name);
  const node = world.getNode(name);
  if (!node) return notFound(ctx.res, 'nodes', name);
  if (method === 'GET')
    return sendOne(
      ctx,
      () => nodeJson(node),
      NODE_COLUMNS,
      () => nodeRow(world, node),
      () => nodeObject(world, node)['metadata'],
    );
  if (method !== 'PATCH' && method !== 'PUT') return methodNotAllowed(ctx);
  const body = JSON.parse(await readBody(ctx.req)) as unknown;
  let updated: unknown = body;
  if (method === 'PATCH') {
    const type = patchTypeOf(ctx.req.headers['content-type']);
    if (!type) {
      return sendStatus(
        ctx.res,
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`,
      );
    }
    updated = applyPatch(nodeObject(world, node), body, type);
  }
  const changes = nodeChanges(updated);
  if (url.searchParams.get('dryRun') === 'All') {
    return sendJson(ctx.res, 200, { ...nodeObject(world, node), ...(updated as object) });
  }
  world.updateNode(name, changes);
  sendJson(ctx.res, 200, nodeJson(node));
}

const DERIVED_TAINTS = new Set(['node.kubernetes.io/unschedulable', 'node.kubernetes.io/not-ready']);

function nodeChanges(object: unknown): {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  taints: Taint[];
  unschedulable: boolean;
} {
  const o = (object ?? {}) as { metadata?: Record<string, unknown>; spec?: Record<string, unknown> };
  const strings = (v: unknown, what: string): Record<string, string> => {
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) {
      throw new PatchError(`metadata.${what} must map strings to strings`);
    }
    return v as Record<string, string>;
  };
  const taints = o.spec?.['taints'] ?? [];
  if (!Array.isArray(taints)) throw new PatchError('spec.taints must be a list');
  for (const t of taints as Taint[]) {
    if (!t || typeof t.key !== 'string' || !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) {
      throw new PatchError(
        'spec.taints: each taint needs a key and an effect of NoSchedule, PreferNoSchedule or NoExecute',
      );
    }
  }
  return {
    labels: strings(o.metadata?.['labels'], 'labels'),
    annotations: strings(o.metadata?.['annotations'], 'annotations'),
    taints: (taints as Taint[]).filter((t) => !DERIVED_TAINTS.has(t.key)),
    unschedulable: o.spec?.['unschedulable'] === true,
  };
}

// ---- pods --------------------------------------------------------------------------------------------------

export async function handlePods(ctx: RequestContext): Promise<void> {
  const { world, url, method, name, namespace } = ctx;
  const store = world.workloads.pods;
  const table = { columns: POD_COLUMNS, row: (p: Parameters<typeof podRow>[1]) => podRow(world, p) };
  if (name === undefined) {
    if (method !== 'GET') return methodNotAllowed(ctx);
    const query = parseListQuery(url.searchParams, POD_FIELDS);
    if (isWatch(url)) {
      const watch = watchTable(ctx, POD_COLUMNS);
      if (!watch.ok) return notAcceptable(ctx);
      return ctx.hub.serve(ctx.res, {
        kind: 'Pod',
        query,
        namespace,
        initial: (asRows) => {
          const out: string[] = [];
          for (const p of store.all()) {
            if (podMatches(p, query, namespace))
              out.push(asRows ? JSON.stringify(podRow(world, p)) : podJson(world, p));
          }
          return out;
        },
        table: watch.table,
        ...watchOptions(url),
      });
    }
    return sendPage(ctx, listPods(world, query, namespace), (p) => podJson(world, p), table, podMetadata);
  }
  const pod = store.get(namespace!, name);
  if (ctx.sub === 'eviction') {
    if (method !== 'POST') return methodNotAllowed(ctx);
    return evict(ctx, namespace!, name);
  }
  if (ctx.sub !== undefined && ctx.sub !== 'status') return notFound(ctx.res, 'pods', name);
  if (!pod) return notFound(ctx.res, 'pods', name);
  if (method === 'GET')
    return sendOne(
      ctx,
      () => podJson(world, pod),
      POD_COLUMNS,
      () => podRow(world, pod),
      () => podMetadata(pod),
    );
  if (method === 'DELETE') {
    if (url.searchParams.get('dryRun') !== 'All') world.workloads.deletePod(pod);
    return sendJson(ctx.res, 200, podJson(world, pod));
  }
  return methodNotAllowed(ctx);
}

async function evict(ctx: RequestContext, namespace: string, name: string): Promise<void> {
  const text = await readBody(ctx.req);
  const body = (text ? JSON.parse(text) : {}) as {
    apiVersion?: string;
    kind?: string;
    metadata?: { name?: string; namespace?: string };
    deleteOptions?: { dryRun?: string[] };
  };
  // The eviction subresource decodes the body in the Eviction versions this minor serves (resources.ts).
  const accepted = ctx.surface.evictionVersions.map((v) => `policy/${v}`);
  if (body.apiVersion !== undefined && !accepted.includes(body.apiVersion)) {
    return sendStatus(
      ctx.res,
      400,
      'BadRequest',
      `the API version in the data (${body.apiVersion}) does not match the expected API version (${accepted[0]})`,
    );
  }
  if (body.kind !== undefined && body.kind !== 'Eviction') {
    return sendStatus(ctx.res, 400, 'BadRequest', `the kind in the data (${body.kind}) is not Eviction`);
  }
  if (body.metadata?.name !== undefined && body.metadata.name !== name) {
    return sendStatus(ctx.res, 400, 'BadRequest', 'name in URL does not match name in Eviction object');
  }
  const dryRun = ctx.url.searchParams.get('dryRun') === 'All' || (body.deleteOptions?.dryRun ?? []).includes('All');
  const result = ctx.world.evictPod(namespace, name, { dryRun });
  switch (result.code) {
    case 201:
      return sendJson(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    case 404:
      return notFound(ctx.res, 'pods', name);
    case 429:
      return sendStatus(ctx.res, 429, 'TooManyRequests', result.message, {
        causes: [{ reason: 'DisruptionBudget', message: result.cause }],
      });
    case 500:
      return sendStatus(ctx.res, 500, 'InternalError', result.message, { causes: [{ message: result.message }] });
    default:
      return sendStatus(ctx.res, 400, 'BadRequest', result.message);
  }
}

// ---- everything else (read-only) ---------------------------------------------------------------------------

export async function handleObjects(ctx: RequestContext): Promise<void> {
  const { world, url, method, name, namespace, resource } = ctx;
  if (method === 'PATCH' && resource.kind === 'PodDisruptionBudget' && name !== undefined && ctx.sub === undefined)
    return patchStoredPdb(ctx, name);
  if (method !== 'GET') return methodNotAllowed(ctx);
  const { columns, row } = objectTable(world, resource.kind);
  // One stored object, shown in whichever served version it is read through.
  const apiVersion = apiVersionOf(resource);
  const json = (o: KubeObject) => JSON.stringify({ ...withStatus(world, o), apiVersion });
  if (name === undefined) {
    if (isWatch(url)) return methodNotAllowed(ctx);
    const query = parseListQuery(url.searchParams, OBJECT_FIELDS);
    return sendPage(ctx, listStored(world, resource.kind, query, namespace), json, { columns, row }, (o) => o.metadata);
  }
  if (ctx.sub !== undefined) return notFound(ctx.res, resource.plural, name, resource.group);
  const object = world.workloads.getObject(resource.kind, resource.namespaced ? namespace : undefined, name);
  if (!object) return notFound(ctx.res, resource.plural, name, resource.group);
  sendOne(
    ctx,
    () => json(object),
    columns,
    () => row(object),
    () => object.metadata,
  );
}

async function patchStoredPdb(ctx: RequestContext, name: string): Promise<void> {
  const { world, resource } = ctx;
  const object = world.workloads.getObject(resource.kind, ctx.namespace, name);
  if (!object) return notFound(ctx.res, resource.plural, name, resource.group);
  const type = patchTypeOf(ctx.req.headers['content-type']);
  if (!type)
    return sendStatus(ctx.res, 415, 'UnsupportedMediaType', 'the body of the request was in an unknown format');
  const body = JSON.parse(await readBody(ctx.req)) as unknown;
  if (!patchPdb(ctx.res, object, body, type)) return;
  sendJson(ctx.res, 200, { ...withStatus(world, object), apiVersion: apiVersionOf(resource) });
}
