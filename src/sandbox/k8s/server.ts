/**
 * The sandbox's Kubernetes API over plain HTTP on 127.0.0.1: discovery, nodes (list/get/patch/watch), pods
 * (list/get/delete/evict/watch) and read-only workloads, in the group-versions the cluster's minor serves
 * (resources.ts), enough for real kubectl and @kubernetes/client-node
 * to work unchanged (kubectl accepts plain http in a kubeconfig; see docs/architecture.md#sandbox). Any bearer
 * token is accepted, except one that DescribeClusterUserKubeconfig handed out and that has expired (401).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { minorOf } from '../scenario/served-apis.js';
import type { World } from '../world/index.js';
import { handleNodes, handleObjects, handlePods, type RequestContext } from './handlers.js';
import { BadRequest } from './lists.js';
import { PatchError } from './patch.js';
import { ApiSurface, apiVersions, versionInfo } from './resources.js';
import { sendJson, sendStatus } from './respond.js';
import { WatchHub } from './watch.js';

export interface KubernetesApi {
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface KubernetesApiOptions {
  port?: number;
  /** Temporary tokens handed out for this cluster: token → when it expires (real ms). */
  temporaryTokens?: ReadonlyMap<string, number>;
}

export async function startKubernetesApi(world: World, options: KubernetesApiOptions = {}): Promise<KubernetesApi> {
  const hub = new WatchHub(world);
  const surface = new ApiSurface(minorOf(world.cluster.version));
  const server = createServer((req, res) => {
    const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const expiresAt = token === undefined ? undefined : options.temporaryTokens?.get(token);
    if (expiresAt !== undefined && Date.now() >= expiresAt) {
      sendStatus(res, 401, 'Unauthorized', 'Unauthorized');
      return;
    }
    handle(world, surface, hub, req, res).catch((error: unknown) => {
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

const NOT_FOUND = 'the server could not find the requested resource';

async function handle(
  world: World,
  surface: ApiSurface,
  hub: WatchHub,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const method = req.method ?? 'GET';
  if (method === 'GET') {
    if (path === '/version') return sendJson(res, 200, versionInfo(world.cluster.version));
    if (path === '/api') return sendJson(res, 200, apiVersions());
    if (path === '/apis') return sendJson(res, 200, surface.apiGroupList());
    if (path === '/api/v1') return sendJson(res, 200, surface.resourceList('', 'v1'));
    const gv = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
    if (gv && surface.serves(gv[1]!, gv[2]!)) return sendJson(res, 200, surface.resourceList(gv[1]!, gv[2]!));
    if (path === '/healthz' || path === '/readyz' || path === '/livez') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
  }
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\/(.*)$/.exec(path);
  if (!m) return sendStatus(res, 404, 'NotFound', NOT_FOUND);
  const group = m[2] ?? '';
  const version = m[1] ?? m[3]!;
  let parts = m[4]!.split('/').map(decodeURIComponent);
  let namespace: string | undefined;
  if (parts[0] === 'namespaces' && parts.length >= 3) {
    namespace = parts[1]!;
    parts = parts.slice(2);
  }
  const [plural, name, sub] = parts;
  const resource = plural === undefined ? undefined : surface.findResource(group, version, plural);
  if (!resource || parts.length > 3 || (namespace !== undefined && !resource.namespaced)) {
    return sendStatus(res, 404, 'NotFound', NOT_FOUND);
  }
  if (resource.namespaced && name !== undefined && namespace === undefined) {
    return sendStatus(res, 404, 'NotFound', NOT_FOUND);
  }
  const ctx: RequestContext = { world, surface, hub, req, res, url, method, resource, namespace, name, sub };
  if (resource.kind === 'Node') return handleNodes(ctx);
  if (resource.kind === 'Pod') return handlePods(ctx);
  return handleObjects(ctx);
}
