/**
 * A local fake of the Slack Web API over node:http, for tests and benchmarks. Point the adapter at it with
 * SLACK_API_URL=<fake.apiUrl>. It records every call (method, decoded params, headers), keeps the latest text and
 * blocks of every message it "posted" so a test can check the final state a user would see, answers 429 with
 * Retry-After for a method while told to, takes `response_url` posts under /response/…, and serves a minimal
 * Socket Mode WebSocket (apps.connections.open → ws://…/socket) so Socket Mode can run offline too.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

export interface FakeSlackCall {
  method: string;
  params: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** The HTTP status the fake answered. */
  status: number;
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
  /** Answer 429 with `Retry-After: retryAfterSeconds` to `method` for the next `times` calls or for `forMs`. */
  rateLimit(method: string, options: { retryAfterSeconds: number; times?: number; forMs?: number }): void;
  /** Answer `{ok:false, error}` to `method` for the next `times` calls (default: every call). */
  failWith(method: string, error: string, times?: number): void;
  /** Socket Mode: push an envelope to every connected client; resolves with the client's ack. */
  pushEnvelope(envelope: Record<string, unknown> & { envelope_id: string }): Promise<FakeSocketEnvelopeAck>;
  /** Resolves once a Socket Mode client is connected (hello sent). */
  socketConnected(): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

export const FAKE_BOT = { userId: 'U00FAKEBOT1', botId: 'B00FAKEBOT1', teamId: 'T00FAKETEAM' } as const;

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

// --- a minimal WebSocket server (RFC 6455): text frames, ping/pong, close. Enough for @slack/socket-mode. ---

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.alloc(2) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  head[0] = 0x80 | opcode;
  if (len < 126) head[1] = len;
  else if (len < 65536) {
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

class FakeSocket {
  private buffer = Buffer.alloc(0);
  constructor(
    readonly socket: Duplex,
    private readonly onText: (text: string) => void,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    socket.on('error', () => socket.destroy());
  }

  send(text: string): void {
    if (!this.socket.destroyed) this.socket.write(frame(0x1, Buffer.from(text)));
  }

  close(): void {
    if (!this.socket.destroyed) this.socket.end(frame(0x8, Buffer.from([0x03, 0xe8])));
    this.socket.destroy();
  }

  private drain(): void {
    for (;;) {
      const b = this.buffer;
      if (b.length < 2) return;
      const opcode = b[0]! & 0x0f;
      const masked = (b[1]! & 0x80) !== 0;
      let len = b[1]! & 0x7f;
      let offset = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        len = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      const maskLen = masked ? 4 : 0;
      if (b.length < offset + maskLen + len) return;
      const mask = b.subarray(offset, offset + maskLen);
      const payload = Buffer.from(b.subarray(offset + maskLen, offset + maskLen + len));
      if (masked) for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ mask[i % 4]!;
      this.buffer = b.subarray(offset + maskLen + len);
      if (opcode === 0x1) this.onText(payload.toString('utf8'));
      else if (opcode === 0x9 && !this.socket.destroyed) this.socket.write(frame(0xa, payload));
      else if (opcode === 0x8) this.close();
    }
  }
}

export async function startFakeSlackApi(): Promise<FakeSlackApi> {
  const calls: FakeSlackCall[] = [];
  const responses: Array<{ path: string; body: Record<string, unknown> }> = [];
  const messages = new Map<string, FakeSlackMessage>();
  const ephemerals: FakeSlackEphemeral[] = [];
  const limits = new Map<string, { retryAfterSeconds: number; times: number; until: number }>();
  const failures = new Map<string, { error: string; times: number }>();
  const sockets = new Set<FakeSocket>();
  const pendingAcks = new Map<string, (ack: FakeSocketEnvelopeAck) => void>();
  let connectedWaiters: Array<() => void> = [];
  let seq = 0;
  let origin = '';

  const nextTs = () => {
    seq += 1;
    return `1700000000.${String(seq).padStart(6, '0')}`;
  };

  function answer(method: string, params: Record<string, unknown>): Record<string, unknown> {
    const channel = String(params.channel ?? '');
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.test/', team: 'fake', user: 'ack-migrate', ...idFields() };
      case 'chat.postMessage': {
        const ts = nextTs();
        const threadTs = typeof params.thread_ts === 'string' ? params.thread_ts : undefined;
        messages.set(ts, { channel, ts, threadTs, text: str(params.text), blocks: arr(params.blocks), updates: 0 });
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
      default:
        return { ok: true };
    }
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
      const limit = limits.get(method);
      if (limit && (limit.times > 0 || limit.until > now)) {
        limit.times -= 1;
        calls.push({ method, params, headers: req.headers, status: 429, at: now });
        res
          .writeHead(429, { 'content-type': 'application/json', 'retry-after': String(limit.retryAfterSeconds) })
          .end('{"ok":false,"error":"ratelimited"}');
        return;
      }
      const failure = failures.get(method);
      let body: Record<string, unknown>;
      if (failure && failure.times !== 0) {
        failure.times -= 1;
        body = { ok: false, error: failure.error };
      } else {
        body = answer(method, params);
      }
      calls.push({ method, params, headers: req.headers, status: 200, at: now });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });

  server.on('upgrade', (req, socket) => {
    const key = req.headers['sec-websocket-key'];
    if (!key || !(req.url ?? '').startsWith('/socket')) {
      socket.destroy();
      return;
    }
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
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
