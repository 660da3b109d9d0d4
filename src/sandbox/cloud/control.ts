/**
 * Unsigned test controls on the cloud port, answered only to loopback callers:
 * - `GET /sandbox/stats`: calls served per API action, faults injected per action, operations per instance;
 * - `GET /sandbox/sts-credentials?ttlSeconds=N`: fresh STS credentials valid N seconds (a credentials URI);
 * - `POST /sandbox/reset-stats`;
 * - `GET /sandbox/faults`, `POST /sandbox/faults` with `{"clear": true}` or `{"faults": [...], "checkFailures": [...]}`
 *   (each list given replaces the current one).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { CloudState } from './cloud-state.js';
import { requestId, sendJson } from './wire.js';

const faultsBody = z
  .object({
    clear: z.boolean().optional(),
    faults: z
      .array(
        z
          .object({
            node: z.string().min(1),
            step: z.enum(['drain', 'stop', 'replace-disk', 'init', 'start', 'ready', 'snapshot']),
            error: z.string().min(1),
          })
          .strict(),
      )
      .optional(),
    checkFailures: z
      .array(
        z
          .object({
            pool: z.string().min(1),
            name: z.string().min(1),
            level: z.enum(['error', 'warning']).default('error'),
            message: z.string().min(1),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

export function handleControl(
  state: CloudState,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  body: Buffer,
): void {
  const [status, answer] = control(state, req, pathname, body);
  sendJson(res, status, answer, requestId());
}

function control(state: CloudState, req: IncomingMessage, pathname: string, body: Buffer): [number, unknown] {
  if (!isLoopback(req.socket.remoteAddress)) return [403, { error: 'sandbox controls answer loopback callers only' }];
  const route = `${req.method} ${pathname}`;
  if (route === 'GET /sandbox/stats') return [200, state.stats.snapshot()];
  if (route === 'GET /sandbox/sts-credentials') {
    const ttl = Number(new URL(req.url ?? '/', 'http://sandbox').searchParams.get('ttlSeconds') ?? 3600);
    if (!Number.isFinite(ttl) || ttl <= 0) return [400, { error: 'ttlSeconds must be a positive number' }];
    return [200, state.issueSts(ttl)];
  }
  if (route === 'POST /sandbox/reset-stats') {
    state.stats.reset();
    return [200, { ok: true }];
  }
  if (route === 'GET /sandbox/faults') return [200, { faults: state.faults, checkFailures: state.checkFailures }];
  if (route !== 'POST /sandbox/faults') return [404, { error: `no sandbox control ${route}` }];
  let parsed: z.infer<typeof faultsBody>;
  try {
    parsed = faultsBody.parse(JSON.parse(body.toString('utf8') || '{}'));
  } catch (error) {
    const why =
      error instanceof z.ZodError
        ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
        : 'not JSON';
    return [400, { error: `bad faults body: ${why}` }];
  }
  if (parsed.clear) {
    state.faults = [];
    state.checkFailures = [];
  }
  if (parsed.faults) state.faults = parsed.faults;
  if (parsed.checkFailures) state.checkFailures = parsed.checkFailures;
  return [200, { faults: state.faults, checkFailures: state.checkFailures }];
}
