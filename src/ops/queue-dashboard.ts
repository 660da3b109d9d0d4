/**
 * The optional queue dashboard (bull-board) for SREs: read-only, behind HTTP basic auth, and off unless
 * BULL_BOARD_USER / BULL_BOARD_PASSWORD are set (config.dashboard). It is a Route for the process's node:http
 * server (src/http/http-server.ts), served by a small express app because express already ships with @slack/bolt.
 *
 * Read-only twice over: every queue is given to bull-board with `readOnlyMode: true` (its UI hides the buttons and
 * its API refuses them), and this route answers 405 to anything but GET and HEAD before bull-board sees it, so no
 * future bull-board route that forgets the read-only flag can change a queue either.
 *
 * The Queue objects come in as parameters: bullmq itself is imported only under src/queue/ and jobs/.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express from 'express';
import type { Route } from '../http/http-server.js';

/** A BullMQ Queue, typed through bull-board so this file need not import bullmq. */
export type DashboardQueue = ConstructorParameters<typeof BullMQAdapter>[0];

export interface DashboardCredentials {
  user: string;
  password: string;
}

export interface QueueDashboardOptions {
  /** From config.dashboard; undefined means the dashboard is off. */
  credentials: DashboardCredentials | undefined;
  queues: readonly DashboardQueue[];
  /** Where it is mounted (default /admin/queues). */
  basePath?: string;
}

export const DASHBOARD_PATH = '/admin/queues';
const REALM = 'ack-migrate queues';
const READ_METHODS = new Set(['GET', 'HEAD']);

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time comparison of the Authorization header with the configured user and password. */
export function basicAuthMatches(header: string | undefined, credentials: DashboardCredentials): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m?.[1]) return false;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both halves are always compared (and hashed to equal lengths) so timing says nothing about which one failed.
  const userOk = timingSafeEqual(digest(decoded.slice(0, colon)), digest(credentials.user));
  const passwordOk = timingSafeEqual(digest(decoded.slice(colon + 1)), digest(credentials.password));
  return userOk && passwordOk;
}

function underBase(url: string | undefined, base: string): boolean {
  const path = (url ?? '/').split('?')[0] ?? '/';
  return path === base || path.startsWith(`${base}/`);
}

/**
 * The dashboard Route, or undefined when no credentials are configured (the dashboard is off: mount nothing, and
 * /admin/queues answers 404 like any unknown path).
 */
export function createQueueDashboard(options: QueueDashboardOptions): Route | undefined {
  const { credentials } = options;
  if (!credentials) return undefined;
  const base = (options.basePath ?? DASHBOARD_PATH).replace(/\/+$/, '');

  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(base);
  createBullBoard({
    queues: options.queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true, allowRetries: false })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'ack-migrate' } },
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(base, serverAdapter.getRouter());

  return (req: IncomingMessage, res: ServerResponse) => {
    if (!underBase(req.url, base)) return false;
    if (!basicAuthMatches(req.headers.authorization, credentials)) {
      res
        .writeHead(401, {
          'content-type': 'application/json',
          'www-authenticate': `Basic realm="${REALM}", charset="UTF-8"`,
        })
        .end('{"error":"authentication required"}');
      return true;
    }
    if (!READ_METHODS.has(req.method ?? 'GET')) {
      res
        .writeHead(405, { 'content-type': 'application/json', allow: 'GET, HEAD' })
        .end('{"error":"the queue dashboard is read-only"}');
      return true;
    }
    return new Promise<boolean>((resolve) => {
      res.once('finish', () => resolve(true));
      res.once('close', () => resolve(true));
      // Express calls this only when no dashboard route matched (or one failed).
      app(req as express.Request, res as express.Response, (error?: unknown) => {
        if (!res.headersSent) {
          res
            .writeHead(error ? 500 : 404, { 'content-type': 'application/json' })
            .end(error ? '{"error":"internal error"}' : '{"error":"not found"}');
        }
        resolve(true);
      });
    });
  };
}
