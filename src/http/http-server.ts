import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../log/logger.js';
import type { Metrics } from '../metrics/metrics.js';

/** A mounted handler answers the request and returns true, or returns false to let the next one try. */
export type Route = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

export interface HttpServerOptions {
  port: number;
  host?: string;
  routes: Route[];
  readiness: ReadinessCheck[];
  metrics: Metrics;
  logger: Logger;
}

export interface RunningHttpServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

async function readiness(checks: ReadinessCheck[]): Promise<{ ok: boolean; checks: Record<string, boolean> }> {
  const results = await Promise.all(
    checks.map(async (c) => {
      try {
        return [c.name, await c.check()] as const;
      } catch {
        return [c.name, false] as const;
      }
    }),
  );
  return { ok: results.every(([, ok]) => ok), checks: Object.fromEntries(results) };
}

/**
 * The process's one HTTP server: /healthz (alive), /readyz (Redis reachable, chat connected), /metrics, then the
 * mounted routes (Slack, DingTalk callbacks, the web console) in order.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (req.method === 'GET' && path === '/healthz') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        return;
      }
      if (req.method === 'GET' && path === '/readyz') {
        const r = await readiness(options.readiness);
        res.writeHead(r.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(r));
        return;
      }
      if (req.method === 'GET' && path === '/metrics') {
        const body = await options.metrics.registry.metrics();
        res.writeHead(200, { 'content-type': options.metrics.registry.contentType }).end(body);
        return;
      }
      for (const route of options.routes) if (await route(req, res)) return;
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    } catch (error) {
      options.logger.error({ err: error, path }, 'http handler failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"internal error"}');
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host ?? '0.0.0.0', () => ok());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : options.port;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}
