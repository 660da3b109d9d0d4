/** The console's HTTP routes: the static page, the SSE stream, the state for reloads, and the user's POSTs. */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { isAppError } from '../../errors.js';
import type { ChatHandler } from '../core/chat-platform.js';
import type { ButtonPayload } from '../core/message.js';
import type { ConsoleStore } from './console-store.js';

export interface ConsoleRoutes {
  defaultUser: string;
  /** Host header values (without port) the console answers; others get 403 (DNS-rebinding defence). */
  allowedHosts: readonly string[];
  allowUserSwitch: boolean;
  store: ConsoleStore;
  handler(): ChatHandler | undefined;
  command(user: string, text: string): Promise<void>;
  action(user: string, payload: ButtonPayload, messageId: string | undefined): Promise<void>;
  message(user: string, text: string, threadId: string | undefined): Promise<void>;
}

const MAX_BODY = 16 * 1024;
const USER = z.string().regex(/^[\w.@-]{1,64}$/);
const TEXT = z.string().trim().min(1).max(4000);
const ID = z.string().regex(/^c\d{1,12}$/);

const commandBody = z.object({ text: TEXT, user: USER.optional() });
const messageBody = z.object({ text: TEXT, threadId: ID.optional(), user: USER.optional() });
const actionBody = z.object({
  payload: z.object({
    decision: z.enum(['approve', 'reject', 'pause', 'resume', 'abort', 'retry', 'skip-node']),
    migrationId: z.string().min(1).max(200),
    nonce: z.string().min(1).max(200),
    batch: z.number().int().min(0).optional(),
    node: z.string().min(1).max(200).optional(),
  }),
  messageId: ID.optional(),
  user: USER.optional(),
});

const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/console/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/console/dom.js': { file: 'dom.js', type: 'text/javascript; charset=utf-8' },
  '/console/threads.js': { file: 'threads.js', type: 'text/javascript; charset=utf-8' },
  '/console/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};
const staticDir = new URL('./static/', import.meta.url);
const cache = new Map<string, Buffer>();

function staticFile(name: string): Buffer {
  let body = cache.get(name);
  if (!body) {
    body = readFileSync(new URL(name, staticDir));
    cache.set(name, body);
  }
  return body;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) throw new HttpError(415, 'send application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, `body over ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new HttpError(400, `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

export function handleConsoleRequest(req: IncomingMessage, res: ServerResponse, routes: ConsoleRoutes): boolean {
  const url = new URL(req.url ?? '/', 'http://console.local');
  const path = url.pathname;
  if (path !== '/' && path !== '/index.html' && !path.startsWith('/console/')) return false;
  // Whoever reaches the page acts as the console user (an approver in the demo): a web page that rebinds its
  // own DNS name to 127.0.0.1 must not get that far.
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  if (!routes.allowedHosts.includes(host)) {
    json(res, 403, { error: `the console answers ${routes.allowedHosts.join(', ')} only` });
    return true;
  }

  const userFrom = (requested: string | null | undefined): string => {
    if (!routes.allowUserSwitch || !requested) return routes.defaultUser;
    return USER.safeParse(requested).success ? requested : routes.defaultUser;
  };

  if (req.method === 'GET' || req.method === 'HEAD') {
    const file = STATIC[path];
    if (file) {
      const body = staticFile(file.file);
      res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache', 'content-length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    }
    if (path === '/console/events') {
      routes.store.attach(res, userFrom(url.searchParams.get('user')));
      return true;
    }
    if (path === '/console/state') {
      const user = userFrom(url.searchParams.get('user'));
      json(res, 200, { userId: user, started: routes.handler() !== undefined, messages: routes.store.visibleTo(user) });
      return true;
    }
  }

  if (req.method === 'POST') {
    const run = async (): Promise<void> => {
      const raw = await readJson(req);
      switch (path) {
        case '/console/command': {
          const body = parse(commandBody, raw);
          await routes.command(userFrom(body.user), body.text);
          break;
        }
        case '/console/message': {
          const body = parse(messageBody, raw);
          await routes.message(userFrom(body.user), body.text, body.threadId);
          break;
        }
        case '/console/action': {
          const body = parse(actionBody, raw);
          await routes.action(userFrom(body.user), body.payload as ButtonPayload, body.messageId);
          break;
        }
        default:
          throw new HttpError(404, 'no such console route');
      }
      json(res, 200, { ok: true });
    };
    run().catch((error: unknown) => {
      if (error instanceof HttpError) json(res, error.status, { ok: false, error: error.message });
      else if (isAppError(error) && error.code === 'NOT_AVAILABLE') json(res, 503, { ok: false, error: error.message });
      else json(res, 500, { ok: false, error: 'internal error' });
    });
    return true;
  }

  json(res, 404, { ok: false, error: 'no such console route' });
  return true;
}
