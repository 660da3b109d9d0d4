/**
 * One HTTP server on loopback for both simulated Alibaba Cloud APIs, told apart the way the SDK sends them:
 * ECS (RPC) is `POST /` with the action in `x-acs-action`; CS (ROA) carries the resource in the path. Every
 * call must carry a valid ACS3-HMAC-SHA256 signature for the configured AccessKey. Unsigned control endpoints
 * under /sandbox/ (loopback only) serve tests: stats, faults, reset.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import type { World } from '../world/index.js';
import { faultMessage } from './api-faults.js';
import { type CloudScenario, CloudState } from './cloud-state.js';
import { handleControl } from './control.js';
import { CS_ROUTES, CS_VERSION } from './cs-routes.js';
import { ECS_ACTIONS, ECS_VERSION } from './ecs-actions.js';
import { matchRoute } from './roa.js';
import { csStateFor, ecsStateFor } from './route-state.js';
import { createNonceMemory, verifyAcs3 } from './signature.js';
import { ApiError, gatewayError, RpcParams, requestId, roaError, sendJson } from './wire.js';

export interface CloudServerOptions {
  world: World;
  /** A fleet: every cluster's world, `world` first (docs/contracts.md#scenario-file-format). */
  worlds?: World[];
  accessKeyId: string;
  accessKeySecret: string;
  /** 0 or absent: any free port. */
  port?: number;
  /** API faults, their seed and the version metadata (docs/contracts.md#scenario-file-format). */
  scenario?: CloudScenario;
}

export interface CloudServer {
  port: number;
  /** `127.0.0.1:PORT`, the form @alicloud/openapi-client wants as `endpoint` (with protocol 'http'). */
  endpoint: string;
  /** The first cluster's state (the control endpoints act on it). */
  state: CloudState;
  /** One per cluster, `state` first. */
  states: CloudState[];
  close(): Promise<void>;
}

const MAX_BODY = 2 * 1024 * 1024;

/** Answered in the POP gateway's shape, as throttling and gateway failures are. */
class InjectedFault extends ApiError {}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function flatQuery(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parseQuery(raw))) out[k] = Array.isArray(v) ? v.join(',') : (v ?? '');
  return out;
}

export async function startCloudServer(options: CloudServerOptions): Promise<CloudServer> {
  const state = new CloudState(options.world, options.scenario);
  const others = (options.worlds ?? []).filter((w) => w !== options.world);
  const states = [state, ...others.map((w) => new CloudState(w, options.scenario, state.stats))];
  for (const s of states) s.fleet = states;

  /** A scenario API fault for this call: an error the POP gateway answers with, or a held answer. */
  async function injectFault(action: string): Promise<void> {
    const verdict = state.apiFaults.roll(action);
    if (!verdict) return;
    state.stats.fault(action);
    if (verdict.kind === 'delay') {
      await new Promise((r) => setTimeout(r, verdict.ms));
      return;
    }
    throw new InjectedFault(verdict.status, verdict.code, faultMessage(verdict.code, verdict.status));
  }
  const useNonce = createNonceMemory();
  const secretFor = (ak: string) => (ak === options.accessKeyId ? options.accessKeySecret : state.sts.get(ak)?.secret);
  /** STS credentials are good with their own token until they expire, as the POP gateway checks them. */
  const tokenError = (ak: string, token: string | undefined): ApiError | undefined => {
    const sts = state.sts.get(ak);
    if (!sts) return undefined;
    if (token !== sts.token)
      return new ApiError(400, 'InvalidSecurityToken.Mismatch', 'Specified SecurityToken mismatch with the AccessKey.');
    if (Date.now() >= sts.expiresAt)
      return new ApiError(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
    return undefined;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const id = requestId();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q === -1 ? url : url.slice(0, q);
    const rawQuery = q === -1 ? '' : url.slice(q + 1);
    const body = await readBody(req);
    if (body === undefined)
      return sendJson(res, 413, gatewayError('RequestTooLarge', 'The request body is too large.', id, '', 'Ecs'), id);
    if (pathname.startsWith('/sandbox/')) return handleControl(state, req, res, pathname, body);

    const rpc = pathname === '/';
    const product = rpc ? 'Ecs' : 'CS';
    const host = String(req.headers.host ?? '');
    const fail = (e: ApiError) =>
      rpc || e instanceof InjectedFault || (e.status === 404 && e.code.startsWith('InvalidAction'))
        ? sendJson(res, e.status, gatewayError(e.code, e.message, id, host, product), id)
        : sendJson(res, e.status, roaError(e.status, e.code, e.message, id), id);

    const verdict = verifyAcs3(
      { method: req.method ?? 'GET', url, headers: req.headers, body },
      { secretFor, now: Date.now(), useNonce },
    );
    if (!verdict.ok) {
      return sendJson(res, verdict.status, gatewayError(verdict.code, verdict.message, id, host, product), id);
    }
    const ak = /Credential=([^,]+)/.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
    const expired = tokenError(ak, req.headers['x-acs-security-token'] as string | undefined);
    if (expired)
      return sendJson(res, expired.status, gatewayError(expired.code, expired.message, id, host, product), id);
    const version = String(req.headers['x-acs-version'] ?? '');
    const wantVersion = rpc ? ECS_VERSION : CS_VERSION;
    if (version !== wantVersion) {
      const e = new ApiError(
        400,
        'InvalidVersion',
        `Specified parameter Version is not valid. (${product} is ${wantVersion})`,
      );
      return sendJson(res, e.status, gatewayError(e.code, e.message, id, host, product), id);
    }
    try {
      let result: unknown;
      if (rpc) {
        const action = String(req.headers['x-acs-action'] ?? '');
        const handler = ECS_ACTIONS[action];
        if (!handler)
          throw new ApiError(
            404,
            'InvalidAction.NotFound',
            `Specified api is not found, please check your url and method. (${action})`,
          );
        const form = String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
          ? flatQuery(body.toString('utf8'))
          : {};
        await injectFault(action);
        state.stats.action(action);
        const params = new RpcParams({ ...flatQuery(rawQuery), ...form });
        result = await handler(ecsStateFor(states, params), params);
      } else {
        const match = matchRoute(CS_ROUTES, req.method ?? 'GET', pathname);
        if (match === undefined || match === 'method') {
          throw new ApiError(
            404,
            'InvalidAction.NotFound',
            `Specified api is not found, please check your url and method. (${req.method} ${pathname})`,
          );
        }
        let json: unknown = {};
        if (body.length > 0) {
          try {
            json = JSON.parse(body.toString('utf8'));
          } catch {
            throw new ApiError(400, 'ErrorParameterInvalid', 'the request body is not valid JSON');
          }
          if (typeof json !== 'object' || json === null || Array.isArray(json)) {
            throw new ApiError(400, 'ErrorParameterInvalid', 'the request body must be a JSON object');
          }
        }
        await injectFault(match.route.action);
        state.stats.action(match.route.action);
        const query = flatQuery(rawQuery);
        result = await match.route.handler(csStateFor(states, match.path, query), {
          path: match.path,
          query,
          body: json as Record<string, unknown>,
        });
      }
      sendJson(res, 200, result, id);
    } catch (error) {
      if (error instanceof ApiError) return fail(error);
      fail(
        new ApiError(
          500,
          'InternalError',
          `The request processing has failed due to some unknown error. (${(error as Error).message})`,
        ),
      );
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { Code: 'InternalError', Message: String(error) }, requestId());
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    endpoint: `127.0.0.1:${port}`,
    state,
    states,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
