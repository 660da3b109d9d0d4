/**
 * A local fake of the Slack Web API over node:http, for tests and benchmarks. Point the adapter at it with
 * SLACK_API_URL=<fake.apiUrl>. It records every call (method, decoded params, headers), keeps the latest text and
 * blocks of every message it "posted" so a test can check the final state a user would see, takes `response_url`
 * posts under /response/…, and serves a minimal Socket Mode WebSocket (apps.connections.open → ws://…/socket).
 * It is strict the way Slack is: a missing or wrong token is `not_authed`/`invalid_auth`, an unknown method
 * `unknown_method`, a scope the app manifest lacks `missing_scope`, a channel the bot was not invited to
 * `not_in_channel`, blocks past Block Kit's limits `invalid_blocks` or `msg_blocks_too_long`, and calls past each
 * method's rate (slack-rate-limits.ts) HTTP 429 with Retry-After.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { parse } from 'yaml';
import { acceptUpgrade, FakeSocket } from './fake-websocket.js';
import { BLOCK_KIT, blockKitErrors, blockTextLength } from './slack-block-kit.js';
import { RateBuckets } from './slack-rate-limits.js';

export interface FakeSlackCall {
  method: string;
  params: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** The HTTP status the fake answered. */
  status: number;
  /** The `ok: false` answer, when the fake refused the call. */
  refused?: Record<string, unknown>;
  at: number;
}

export interface FakeSlackMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  text?: string;
  blocks?: unknown[];
  /** How many times chat.update changed it. */
  updates: number;
  /** Message metadata (`{event_type, event_payload}`) as posted. */
  metadata?: unknown;
}

export interface FakeSlackEphemeral {
  channel: string;
  user: string;
  /** The message_ts the fake answered (same clock as message ts, so they sort together). */
  ts: string;
  threadTs?: string;
  text?: string;
  blocks?: unknown[];
}

export interface FakeSocketEnvelopeAck {
  envelope_id: string;
  payload?: unknown;
}

export interface FakeSlackApi {
  /** Base URL for SLACK_API_URL / WebClient slackApiUrl, ending in `/api/`. */
  apiUrl: string;
  /** Where a payload's response_url should point: `${origin}/response/<id>`. */
  responseUrl(id?: string): string;
  calls: FakeSlackCall[];
  callsOf(method: string): FakeSlackCall[];
  /** Every `response_url` post, in order (JSON bodies). */
  responses: Array<{ path: string; body: Record<string, unknown> }>;
  /** Messages by ts, with their latest content. */
  messages: Map<string, FakeSlackMessage>;
  /** chat.postEphemeral messages, in order. */
  ephemerals: FakeSlackEphemeral[];
  /** A fresh ts from the fake's clock (for ordering things a test records itself). */
  nextTs(): string;
  /** Calls the fake refused (`ok: false` or 429), in order. */
  refusals(): FakeSlackCall[];
  /** The bot leaves (or was never invited to) a channel: posts there answer `not_in_channel`. */
  removeFromChannel(channel: string): void;
  joinChannel(channel: string): void;
  /** Answer 429 with `Retry-After: retryAfterSeconds` to `method` for the next `times` calls or for `forMs`. */
  rateLimit(method: string, options: { retryAfterSeconds: number; times?: number; forMs?: number }): void;
  /** Answer `{ok:false, error}` to `method` for the next `times` calls (default: every call). */
  failWith(method: string, error: string, times?: number): void;
  /**
   * Do what the next `times` calls of `method` ask at once, but answer each only after `delayMs` (Slack under load:
   * a client that gave up waiting does not know its message was posted).
   */
  answerLate(method: string, delayMs: number, times?: number): void;
  /** Socket Mode: push an envelope to every connected client; resolves with the client's ack. */
  pushEnvelope(envelope: Record<string, unknown> & { envelope_id: string }): Promise<FakeSocketEnvelopeAck>;
  /** Resolves once a Socket Mode client is connected (hello sent). */
  socketConnected(): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

export const FAKE_BOT = { userId: 'U00FAKEBOT1', botId: 'B00FAKEBOT1', teamId: 'T00FAKETEAM' } as const;

export interface FakeSlackOptions {
  /** The bot token the fake accepts (default: any `xoxb-` token). */
  token?: string;
  /** Bot scopes the app has (default: deploy/slack-app-manifest.yaml's). */
  scopes?: string[];
  /** Apply Slack's per-method rates (default true). */
  rateLimits?: boolean;
}

/** Scope each method needs. */
const METHOD_SCOPES: Record<string, string | undefined> = {
  'auth.test': undefined,
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.delete': 'chat:write',
  'apps.connections.open': 'connections:write',
  // Public channels; a private channel (G…) needs groups:history, checked in answer().
  'conversations.history': 'channels:history',
  'conversations.replies': 'channels:history',
};

function manifestScopes(): string[] {
  const text = readFileSync(new URL('../../deploy/slack-app-manifest.yaml', import.meta.url), 'utf8');
  const manifest = parse(text) as { oauth_config?: { scopes?: { bot?: string[] } } };
  return manifest.oauth_config?.scopes?.bot ?? [];
}

/** JSON-encoded fields that WebClient sends as strings in form bodies. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata']);

function decodeParams(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.startsWith('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    out[key] = JSON_FIELDS.has(key) ? safeJson(value) : value;
  }
  return out;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export async function startFakeSlackApi(options: FakeSlackOptions = {}): Promise<FakeSlackApi> {
  const scopes = new Set(options.scopes ?? manifestScopes());
  const buckets = options.rateLimits === false ? undefined : new RateBuckets();
  const notIn = new Set<string>();
  const calls: FakeSlackCall[] = [];
  const responses: Array<{ path: string; body: Record<string, unknown> }> = [];
  const messages = new Map<string, FakeSlackMessage>();
  const ephemerals: FakeSlackEphemeral[] = [];
  const limits = new Map<string, { retryAfterSeconds: number; times: number; until: number }>();
  const failures = new Map<string, { error: string; times: number }>();
  const late = new Map<string, { delayMs: number; times: number }>();
  const sockets = new Set<FakeSocket>();
  const pendingAcks = new Map<string, (ack: FakeSocketEnvelopeAck) => void>();
  let connectedWaiters: Array<() => void> = [];
  let seq = 0;
  let origin = '';

  const nextTs = () => {
    seq += 1;
    return `1700000000.${String(seq).padStart(6, '0')}`;
  };

  /** What Slack checks before it does anything: arguments, membership, blocks. */
  function refusal(method: string, params: Record<string, unknown>): Record<string, unknown> | undefined {
    if (!method.startsWith('chat.')) return undefined;
    const channel = typeof params.channel === 'string' ? params.channel : '';
    if (!channel) return { ok: false, error: 'channel_not_found' };
    // A DM (a user id or a D… channel) needs no invitation; the app's Messages tab is always open to it.
    if (/^[CG]/.test(channel) && notIn.has(channel)) return { ok: false, error: 'not_in_channel' };
    if (method === 'chat.delete') return undefined;
    if (method === 'chat.postEphemeral' && typeof params.user !== 'string')
      return { ok: false, error: 'user_not_found' };
    const text = typeof params.text === 'string' ? params.text : '';
    if (params.blocks === undefined && !text && method !== 'chat.update') return { ok: false, error: 'no_text' };
    if (text.length > BLOCK_KIT.messageText) return { ok: false, error: 'msg_too_long' };
    if (params.blocks !== undefined) {
      const errors = blockKitErrors(params.blocks);
      if (errors.length) return { ok: false, error: 'invalid_blocks', errors, response_metadata: { messages: errors } };
      if (blockTextLength(params.blocks) > BLOCK_KIT.totalText) return { ok: false, error: 'msg_blocks_too_long' };
    }
    return undefined;
  }

  function answer(method: string, params: Record<string, unknown>): Record<string, unknown> {
    const channel = String(params.channel ?? '');
    const refused = refusal(method, params);
    if (refused) return refused;
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.test/', team: 'fake', user: 'ack-migrate', ...idFields() };
      case 'chat.postMessage': {
        const ts = nextTs();
        const threadTs = typeof params.thread_ts === 'string' ? params.thread_ts : undefined;
        const metadata = params.metadata;
        messages.set(ts, {
          channel,
          ts,
          threadTs,
          text: str(params.text),
          blocks: arr(params.blocks),
          updates: 0,
          ...(metadata !== undefined ? { metadata } : {}),
        });
        return { ok: true, channel, ts, message: { type: 'message', ts, text: params.text, thread_ts: threadTs } };
      }
      case 'chat.update': {
        const ts = String(params.ts ?? '');
        const existing = messages.get(ts);
        if (!existing || existing.channel !== channel) return { ok: false, error: 'message_not_found' };
        existing.text = str(params.text) ?? existing.text;
        if (params.blocks !== undefined) existing.blocks = arr(params.blocks);
        existing.updates += 1;
        return { ok: true, channel, ts, text: existing.text };
      }
      case 'chat.postEphemeral': {
        const ts = nextTs();
        const threadTs = typeof params.thread_ts === 'string' ? params.thread_ts : undefined;
        const user = String(params.user ?? '');
        ephemerals.push({ channel, user, ts, threadTs, text: str(params.text), blocks: arr(params.blocks) });
        return { ok: true, message_ts: ts };
      }
      case 'apps.connections.open':
        return { ok: true, url: `${origin.replace(/^http/, 'ws')}/socket` };
      case 'conversations.history':
      case 'conversations.replies':
        return conversation(method, params);
      case 'chat.delete':
        return messages.delete(String(params.ts ?? ''))
          ? { ok: true, channel, ts: params.ts }
          : { ok: false, error: 'message_not_found' };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /**
   * conversations.history (the channel's top-level messages, newest first) and conversations.replies (a thread,
   * its parent first), `limit` per page with a `next_cursor`; metadata only with `include_all_metadata`.
   */
  function conversation(method: string, params: Record<string, unknown>): Record<string, unknown> {
    const channel = String(params.channel ?? '');
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (channel.startsWith('G') && !scopes.has('groups:history')) return { ok: false, error: 'missing_scope' };
    if (notIn.has(channel)) return { ok: false, error: 'not_in_channel' };
    const all = [...messages.values()].filter((m) => m.channel === channel);
    let list: FakeSlackMessage[];
    if (method === 'conversations.replies') {
      const ts = String(params.ts ?? '');
      const parent = messages.get(ts);
      if (!parent || parent.channel !== channel) return { ok: false, error: 'thread_not_found' };
      list = [parent, ...all.filter((m) => m.threadTs === ts && m.ts !== ts).sort((a, b) => a.ts.localeCompare(b.ts))];
    } else {
      list = all.filter((m) => !m.threadTs || m.threadTs === m.ts).sort((a, b) => b.ts.localeCompare(a.ts));
    }
    const limit = Math.min(1000, Math.max(1, Number(params.limit ?? 100) || 100));
    const start = Number(String(params.cursor ?? '').replace(/^c/, '')) || 0;
    const page = list.slice(start, start + limit);
    const withMetadata = params.include_all_metadata === true || params.include_all_metadata === 'true';
    const more = start + limit < list.length;
    return {
      ok: true,
      messages: page.map((m) => ({
        type: 'message',
        ts: m.ts,
        text: m.text,
        ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
        ...(withMetadata && m.metadata !== undefined ? { metadata: m.metadata } : {}),
      })),
      has_more: more,
      response_metadata: { next_cursor: more ? `c${start + limit}` : '' },
    };
  }

  /** not_authed without a token, invalid_auth for a wrong one, missing_scope for a scope the app lacks. */
  function authError(method: string, header: string | undefined, param: unknown): Record<string, unknown> | undefined {
    if (!(method in METHOD_SCOPES)) return { ok: false, error: 'unknown_method' };
    const token = header?.startsWith('Bearer ') ? header.slice(7) : typeof param === 'string' ? param : undefined;
    if (!token) return { ok: false, error: 'not_authed' };
    if (method === 'apps.connections.open')
      return token.startsWith('xapp-') ? undefined : { ok: false, error: 'not_allowed_token_type' };
    if (options.token ? token !== options.token : !token.startsWith('xoxb-'))
      return { ok: false, error: 'invalid_auth' };
    const needed = METHOD_SCOPES[method];
    if (needed && !scopes.has(needed))
      return { ok: false, error: 'missing_scope', needed, provided: [...scopes].join(',') };
    return undefined;
  }

  function idFields() {
    return { user_id: FAKE_BOT.userId, bot_id: FAKE_BOT.botId, team_id: FAKE_BOT.teamId };
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (path.startsWith('/response/')) {
        responses.push({ path, body: decodeParams(raw, 'application/json') });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      }
      const method = path.replace(/^\/(api\/)?/, '');
      const params = decodeParams(raw, req.headers['content-type']);
      const now = Date.now();
      const reply = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
        calls.push({ method, params, headers: req.headers, status, at: now, ...(body.ok ? {} : { refused: body }) });
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      };
      const denied = authError(method, req.headers.authorization, params.token);
      if (denied) return reply(200, denied);
      const limit = limits.get(method);
      if (limit && (limit.times > 0 || limit.until > now)) {
        limit.times -= 1;
        return reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(limit.retryAfterSeconds) });
      }
      const wait = buckets?.take(method, String(params.channel ?? ''), now);
      if (wait !== undefined) return reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(wait) });
      const failure = failures.get(method);
      let body: Record<string, unknown>;
      if (failure && failure.times !== 0) {
        failure.times -= 1;
        body = { ok: false, error: failure.error };
      } else {
        body = answer(method, params);
      }
      const slow = late.get(method);
      if (slow && slow.times !== 0) {
        slow.times -= 1;
        // Done and recorded now; only the answer waits (and is lost if the client gave up meanwhile).
        calls.push({
          method,
          params,
          headers: req.headers,
          status: 200,
          at: now,
          ...(body.ok ? {} : { refused: body }),
        });
        setTimeout(() => {
          if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        }, slow.delayMs);
        return;
      }
      reply(200, body);
    });
  });

  server.on('upgrade', (req, socket) => {
    if (!(req.url ?? '').startsWith('/socket')) {
      socket.destroy();
      return;
    }
    if (!acceptUpgrade(req, socket)) return;
    const ws = new FakeSocket(socket, (text) => {
      const msg = safeJson(text) as FakeSocketEnvelopeAck | undefined;
      if (msg && typeof msg === 'object' && typeof msg.envelope_id === 'string') {
        pendingAcks.get(msg.envelope_id)?.(msg);
        pendingAcks.delete(msg.envelope_id);
      }
    });
    sockets.add(ws);
    socket.on('close', () => sockets.delete(ws));
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' } }));
    const waiters = connectedWaiters;
    connectedWaiters = [];
    for (const w of waiters) w();
  });

  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

  return {
    apiUrl: `${origin}/api/`,
    responseUrl: (id = 'r1') => `${origin}/response/${id}`,
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method),
    refusals: () => calls.filter((c) => c.status !== 200 || c.refused !== undefined),
    removeFromChannel: (channel) => void notIn.add(channel),
    joinChannel: (channel) => void notIn.delete(channel),
    responses,
    messages,
    ephemerals,
    nextTs,
    rateLimit(method, { retryAfterSeconds, times = 0, forMs = 0 }) {
      limits.set(method, { retryAfterSeconds, times, until: forMs > 0 ? Date.now() + forMs : 0 });
    },
    failWith(method, error, times = -1) {
      failures.set(method, { error, times });
    },
    answerLate(method, delayMs, times = 1) {
      late.set(method, { delayMs, times });
    },
    pushEnvelope(envelope) {
      return new Promise((ok, fail) => {
        if (sockets.size === 0) {
          fail(new Error('no Socket Mode client connected'));
          return;
        }
        pendingAcks.set(envelope.envelope_id, ok);
        for (const s of sockets) s.send(JSON.stringify(envelope));
      });
    },
    socketConnected() {
      if (sockets.size > 0) return Promise.resolve();
      return new Promise((ok) => connectedWaiters.push(ok));
    },
    reset() {
      calls.length = 0;
      responses.length = 0;
      messages.clear();
      ephemerals.length = 0;
      limits.clear();
      failures.clear();
      late.clear();
      buckets?.clear();
      notIn.clear();
    },
    close() {
      for (const s of sockets) s.close();
      return new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      });
    },
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const arr = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);

/** X-Slack-Signature v0: HMAC-SHA256 of `v0:<ts>:<raw body>` keyed with the signing secret, hex. */
export function slackSignature(signingSecret: string, timestamp: number | string, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedPostOptions {
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  /** Override the computed signature (forgeries). */
  signature?: string;
}

export interface SignedAnswer {
  status: number;
  body: string;
  json: unknown;
}

/**
 * POSTs to a Slack endpoint the way Slack does, signed with the secret. A form (slash commands; block actions as
 * `{ payload: JSON.stringify(body) }`) goes as `application/x-www-form-urlencoded` with no charset, because Bolt
 * compares the content type exactly; an Events API callback goes as JSON (use postSignedEvent).
 */
export function postSigned(url: string, secret: string, form: Record<string, string>, options: SignedPostOptions = {}) {
  return postSignedRaw(url, secret, new URLSearchParams(form).toString(), 'application/x-www-form-urlencoded', options);
}

export function postSignedEvent(url: string, secret: string, event: unknown, options: SignedPostOptions = {}) {
  return postSignedRaw(url, secret, JSON.stringify(event), 'application/json', options);
}

export async function postSignedRaw(
  url: string,
  secret: string,
  body: string,
  contentType: string,
  options: SignedPostOptions = {},
): Promise<SignedAnswer> {
  const ts = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = options.signature ?? slackSignature(secret, ts, body);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text, json: text.startsWith('{') ? safeJson(text) : undefined };
}
