/**
 * A fake of DingTalk's Stream gateway, as dingtalk-stream 2.x speaks to it: `POST /v1.0/gateway/connections/open`
 * with the app's clientId and clientSecret answers `{endpoint, ticket}` (wrong credentials: HTTP 401), the
 * WebSocket at `endpoint?ticket=…` takes one connection per ticket, pushes CALLBACK frames and SYSTEM frames
 * (ping, disconnect) and reads the client's acks. Tests can drop a connection, or silence it (half-open: the
 * socket stays up and nothing comes through, pongs included).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { acceptUpgrade, FakeSocket } from './fake-websocket.js';

export interface StreamAck {
  code: number;
  headers: { messageId: string };
  data: string;
}

export class FakeStreamGateway {
  /** The API server's origin (set by FakeDingTalkApi.start). */
  origin = '';
  /** Every connections/open, accepted or not. */
  readonly opens: Array<{ clientId: unknown; ok: boolean; subscriptions: unknown }> = [];
  /** WebSocket connections accepted so far (reconnects count). */
  connections = 0;
  private readonly tickets = new Set<string>();
  private readonly sockets = new Set<FakeSocket>();
  private readonly acks = new Map<string, (ack: StreamAck) => void>();
  private waiters: Array<{ count: number; ok: () => void }> = [];
  private seq = 0;

  constructor(private readonly credentials: { appKey: string; appSecret: string }) {}

  open(body: Record<string, unknown>): { status: number; body: object } {
    const ok = body.clientId === this.credentials.appKey && body.clientSecret === this.credentials.appSecret;
    this.opens.push({ clientId: body.clientId, ok, subscriptions: body.subscriptions });
    if (!ok) return { status: 401, body: { code: 'Unauthorized', message: 'clientId or clientSecret is invalid' } };
    const ticket = randomBytes(8).toString('hex');
    this.tickets.add(ticket);
    return { status: 200, body: { endpoint: `${this.origin.replace(/^http/, 'ws')}/connect`, ticket } };
  }

  upgrade(req: IncomingMessage, socket: Duplex): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/connect' || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    if (!acceptUpgrade(req, socket)) return;
    const ws = new FakeSocket(socket, (text) => {
      const ack = JSON.parse(text) as StreamAck;
      const id = ack.headers?.messageId;
      if (id) {
        this.acks.get(id)?.(ack);
        this.acks.delete(id);
      }
    });
    this.sockets.add(ws);
    socket.on('close', () => this.sockets.delete(ws));
    this.connections += 1;
    const ready = this.waiters.filter((w) => w.count <= this.connections);
    this.waiters = this.waiters.filter((w) => w.count > this.connections);
    for (const w of ready) w.ok();
  }

  /** Resolves once `count` connections (in total, reconnects included) were accepted. */
  untilConnections(count: number): Promise<void> {
    if (this.connections >= count) return Promise.resolve();
    return new Promise((ok) => this.waiters.push({ count, ok }));
  }

  /** Live, answering connections. */
  get live(): number {
    return [...this.sockets].filter((s) => !s.silent).length;
  }

  /** Pushes a CALLBACK frame (a robot message, a card click) and resolves with the client's ack. */
  push(topic: string, data: unknown): Promise<StreamAck> {
    const messageId = `msg-${++this.seq}`;
    const socket = [...this.sockets].filter((s) => !s.silent).at(-1);
    if (!socket) return Promise.reject(new Error('no Stream client connected'));
    return new Promise((ok) => {
      this.acks.set(messageId, ok);
      socket.send(
        JSON.stringify({
          specVersion: '1.0',
          type: 'CALLBACK',
          headers: { topic, messageId, contentType: 'application/json', time: String(Date.now()) },
          data: JSON.stringify(data),
        }),
      );
    });
  }

  /** The connection goes away (a network loss, a gateway restart): the sockets are destroyed. */
  drop(): void {
    for (const s of this.sockets) s.socket.destroy();
  }

  /** The connection stays up but carries nothing any more, pongs included. */
  silence(): void {
    for (const s of this.sockets) s.silent = true;
  }

  closeAll(): void {
    for (const s of this.sockets) s.close();
  }
}
