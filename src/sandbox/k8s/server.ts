/**
 * The sandbox's Kubernetes API over plain HTTP on 127.0.0.1: discovery, nodes (list/get/patch/watch), pods
 * (list/get/delete/evict/watch) and read-only workloads, enough for real kubectl and @kubernetes/client-node
 * to work unchanged (kubectl accepts plain http in a kubeconfig; see docs/architecture.md#sandbox). Any bearer
 * token is accepted.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { World } from '../world/index.js';
import { handleNodes, handleObjects, handlePods, type RequestContext } from './handlers.js';
import { BadRequest } from './lists.js';
import { PatchError } from './patch.js';
import { apiGroupList, apiVersions, findResource, GROUPS, resourceList, versionInfo } from './resources.js';
import { sendJson, sendStatus } from './respond.js';
import { WatchHub } from './watch.js';

export interface KubernetesApi {
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startKubernetesApi(world: World, options: { port?: number } = {}): Promise<KubernetesApi> {
  const hub = new WatchHub(world);
  const server = createServer((req, res) => {
    handle(world, hub, req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof BadRequest) sendStatus(res, 400, 'BadRequest', error.message);
      else if (error instanceof PatchError) sendStatus(res, 422, 'Invalid', error.message);
      else if (error instanceof SyntaxError) sendStatus(res, 400, 'BadRequest', `invalid JSON body: ${error.message}`);
      else sendStatus(res, 500, 'InternalError', (error as Error).message);
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(world: World, hub: WatchHub, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const method = req.method ?? 'GET';
  if (method === 'GET') {
    if (path === '/version') return sendJson(res, 200, versionInfo(world.cluster.version));
    if (path === '/api') return sendJson(res, 200, apiVersions());
    if (path === '/apis') return sendJson(res, 200, apiGroupList());
    if (path === '/api/v1') return sendJson(res, 200, resourceList(''));
    const gv = /^\/apis\/([^/]+)\/v1$/.exec(path);
    if (gv && GROUPS.includes(gv[1]!)) return sendJson(res, 200, resourceList(gv[1]!));
    if (path === '/healthz' || path === '/readyz' || path === '/livez') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
  }
  const m = /^\/(?:api\/v1|apis\/([^/]+)\/v1)\/(.*)$/.exec(path);
  if (!m) return sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
  const group = m[1] ?? '';
  let parts = m[2]!.split('/').map(decodeURIComponent);
  let namespace: string | undefined;
  if (parts[0] === 'namespaces' && parts.length >= 3) {
    namespace = parts[1]!;
    parts = parts.slice(2);
  }
  const [plural, name, sub] = parts;
  const resource = plural === undefined ? undefined : findResource(group, plural);
  if (!resource || parts.length > 3 || (namespace !== undefined && !resource.namespaced)) {
    return sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
  }
  if (resource.namespaced && name !== undefined && namespace === undefined) {
    return sendStatus(res, 404, 'NotFound', 'the server could not find the requested resource');
  }
  const ctx: RequestContext = { world, hub, req, res, url, method, resource, namespace, name, sub };
  if (resource.kind === 'Node') return handleNodes(ctx);
  if (resource.kind === 'Pod') return handlePods(ctx);
  return handleObjects(ctx);
}
