import { createServer, type Server } from 'node:http';
import {
  callbackRegisterRefusal,
  cardCreateRefusal,
  cardUpdateRefusal,
  type Refusal,
  robotMessageRefusal,
} from './dingtalk-api-rules.js';
import { FakeStreamGateway } from './fake-dingtalk-stream.js';

export interface RecordedCall {
  method: string;
  path: string;
  token: string | undefined;
  body: Record<string, unknown>;
  /** The refusal, when the fake did not accept the call. */
  refused?: { status: number; code: string };
}

export interface FakeDingTalkCredentials {
  appKey: string;
  appSecret: string;
  /** The robot's code; when set, any other robotCode is refused. */
  robotCode?: string;
}

/** DingTalk's throttling errcode for an app past its per-second calls. */
export const THROTTLED_ERRCODE = 90018;

/**
 * A local fake of the DingTalk OpenAPI endpoints the bot uses: it issues access tokens and checks them on every
 * other call, checks each body as DingTalk does (dingtalk-api-rules.ts), and records what was shown so tests can
 * read what a user would see. Tests can make card deliveries fail (`success: false` with deliverResults), throttle
 * calls with DingTalk's errcodes, and read the card callback routes registered. It also serves the Stream
 * gateway (`gateway`, fake-dingtalk-stream.ts) for dingtalk-stream's connect.
 */
export class FakeDingTalkApi {
  readonly calls: RecordedCall[] = [];
  /** Card instances by outTrackId: the latest cardParamMap after create and updates. */
  readonly cards = new Map<
    string,
    { openSpaceId: string; params: Record<string, string>; body: Record<string, unknown> }
  >();
  /** Everything shown, oldest first: cards by outTrackId, robot messages by processQueryKey. */
  readonly shown: Array<{ kind: 'card' | 'markdown'; id: string }> = [];
  /** Card callback routes: callbackRouteKey → callbackUrl, in order of registration. */
  readonly routes = new Map<string, string>();
  readonly gateway: FakeStreamGateway;
  private server: Server | undefined;
  private tokenCounter = 0;
  private readonly validTokens = new Set<string>();
  private deliveryFailure: { errorMsg: string; times: number } | undefined;
  private readonly throttles = new Map<string, number>();
  url = '';

  constructor(private readonly credentials: FakeDingTalkCredentials) {
    this.gateway = new FakeStreamGateway(credentials);
  }

  /** The next `times` card deliveries answer `success: false` with this errorMsg (the card is not shown). */
  failDeliveries(errorMsg: string, times = 1): void {
    this.deliveryFailure = { errorMsg, times };
  }

  /** The next `times` calls to `path` are throttled (errcode 90018). */
  throttle(path: string, times = 1): void {
    this.throttles.set(path, times);
  }

  /** Calls the fake refused, in order. */
  refusals(): RecordedCall[] {
    return this.calls.filter((c) => c.refused);
  }

  async start(): Promise<string> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      const send = (status: number, json: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      let body: Record<string, unknown>;
      try {
        body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      } catch {
        return send(400, { code: 'InvalidJSON', message: 'the body is not JSON' });
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (req.method === 'POST' && path === '/v1.0/gateway/connections/open') {
        const answer = this.gateway.open(body);
        return send(answer.status, answer.body);
      }
      if (req.method === 'POST' && path === '/v1.0/oauth2/accessToken') {
        if (body.appKey !== this.credentials.appKey || body.appSecret !== this.credentials.appSecret) {
          return send(400, { code: 'invalidClientIdOrSecret', message: 'bad app key or secret' });
        }
        const t = `tok-${++this.tokenCounter}`;
        this.validTokens.add(t);
        return send(200, { accessToken: t, expireIn: 7200 });
      }
      const token = req.headers['x-acs-dingtalk-access-token'] as string | undefined;
      if (!token || !this.validTokens.has(token))
        return send(401, { code: 'InvalidAuthentication', message: 'bad token' });
      const call: RecordedCall = { method: req.method ?? '', path, token, body };
      this.calls.push(call);
      const refuse = (r: Refusal) => {
        call.refused = { status: r.status, code: r.code };
        return send(r.status, { code: r.code, message: r.message, requestid: `fake-${this.calls.length}` });
      };
      const throttled = this.throttles.get(path) ?? 0;
      if (throttled > 0) {
        this.throttles.set(path, throttled - 1);
        return refuse({ status: 403, code: String(THROTTLED_ERRCODE), message: '应用调用该接口频率超过限制 (QPS)' });
      }
      const answer = this.answer(req.method ?? '', path, body, refuse);
      if (answer) send(200, answer);
      return undefined;
    });
    this.server.on('upgrade', (req, socket) => this.gateway.upgrade(req, socket));
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', () => ok()));
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    this.gateway.origin = this.url;
    return this.url;
  }

  private answer(
    method: string,
    path: string,
    body: Record<string, unknown>,
    refuse: (r: Refusal) => void,
  ): object | undefined {
    const robot = this.credentials.robotCode;
    if (method === 'POST' && path === '/v1.0/card/callbacks/register') {
      const refused = callbackRegisterRefusal(body);
      if (refused) return void refuse(refused);
      this.routes.set(String(body.callbackRouteKey), String(body.callbackUrl));
      return { success: true, result: { callbackUrl: body.callbackUrl, apiSecret: body.apiSecret ?? '' } };
    }
    if (method === 'POST' && path === '/v1.0/card/instances/createAndDeliver') {
      const refused = cardCreateRefusal(body, robot, new Set(this.routes.keys()));
      if (refused) return void refuse(refused);
      const outTrackId = String(body.outTrackId);
      const spaceId = String(body.openSpaceId).replace(/^dtv1\.card\/\/\w+\./, '');
      const spaceType = String(body.openSpaceId).includes('IM_GROUP.') ? 'IM_GROUP' : 'IM_ROBOT';
      const failure = this.deliveryFailure;
      if (failure && failure.times > 0) {
        failure.times -= 1;
        return {
          success: false,
          result: { outTrackId, deliverResults: [{ spaceType, spaceId, success: false, errorMsg: failure.errorMsg }] },
        };
      }
      const params = (body.cardData as { cardParamMap: Record<string, string> }).cardParamMap;
      this.cards.set(outTrackId, { openSpaceId: String(body.openSpaceId), params: { ...params }, body });
      this.shown.push({ kind: 'card', id: outTrackId });
      return { success: true, result: { outTrackId, deliverResults: [{ spaceType, spaceId, success: true }] } };
    }
    if (method === 'PUT' && path === '/v1.0/card/instances') {
      const refused = cardUpdateRefusal(body);
      if (refused) return void refuse(refused);
      const card = this.cards.get(String(body.outTrackId));
      if (!card) return void refuse({ status: 404, code: 'cardNotFound', message: 'no such card' });
      Object.assign(card.params, (body.cardData as { cardParamMap: Record<string, string> }).cardParamMap);
      return { success: true };
    }
    const oto = path === '/v1.0/robot/oToMessages/batchSend';
    if (method === 'POST' && (path === '/v1.0/robot/groupMessages/send' || oto)) {
      const refused = robotMessageRefusal(body, robot, oto);
      if (refused) return void refuse(refused);
      const key = `pq-${this.calls.length}`;
      this.shown.push({ kind: 'markdown', id: key });
      return { processQueryKey: key };
    }
    return void refuse({ status: 404, code: 'NotFound', message: path });
  }

  /** Revokes every token, as an expiry would. */
  revokeTokens(): void {
    this.validTokens.clear();
  }

  /** A robot message by its processQueryKey. */
  markdownById(key: string): { to: string; title: string; text: string } | undefined {
    const call = this.calls[Number(key.slice(3)) - 1];
    return call?.path.startsWith('/v1.0/robot/') && !call.refused ? this.toMarkdown(call) : undefined;
  }

  private toMarkdown(c: RecordedCall): { to: string; title: string; text: string } {
    const param = JSON.parse(String(c.body.msgParam)) as { title: string; text: string };
    const to = c.body.openConversationId
      ? String(c.body.openConversationId)
      : `oto:${(c.body.userIds as string[]).join(',')}`;
    return { to, ...param };
  }

  /** Markdown messages (group and one-to-one) that were accepted, in order, with their recipients. */
  messages(): Array<{ to: string; title: string; text: string }> {
    return this.calls.filter((c) => c.path.startsWith('/v1.0/robot/') && !c.refused).map((c) => this.toMarkdown(c));
  }

  async stop(): Promise<void> {
    this.gateway.closeAll();
    await new Promise<void>((ok) => {
      if (!this.server) return ok();
      this.server.closeAllConnections();
      this.server.close(() => ok());
    });
  }
}
