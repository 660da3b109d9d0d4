import { createServer, type Server } from 'node:http';

export interface RecordedCall {
  method: string;
  path: string;
  token: string | undefined;
  body: Record<string, unknown>;
}

/**
 * A local fake of the DingTalk OpenAPI endpoints the bot uses: it issues access tokens, checks them on every
 * other call, and records what was sent so tests can read what a user would see.
 */
export class FakeDingTalkApi {
  readonly calls: RecordedCall[] = [];
  /** Card instances by outTrackId: the latest cardParamMap after create and updates. */
  readonly cards = new Map<string, { openSpaceId: string; params: Record<string, string> }>();
  /** Everything shown, oldest first: cards by outTrackId, robot messages by processQueryKey. */
  readonly shown: Array<{ kind: 'card' | 'markdown'; id: string }> = [];
  private server: Server | undefined;
  private tokenCounter = 0;
  private readonly validTokens = new Set<string>();
  url = '';

  constructor(private readonly credentials: { appKey: string; appSecret: string }) {}

  async start(): Promise<string> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      const path = req.url ?? '/';
      const token = req.headers['x-acs-dingtalk-access-token'] as string | undefined;
      const send = (status: number, json: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      if (req.method === 'POST' && path === '/v1.0/oauth2/accessToken') {
        if (body.appKey !== this.credentials.appKey || body.appSecret !== this.credentials.appSecret) {
          return send(400, { code: 'invalidClientIdOrSecret', message: 'bad app key or secret' });
        }
        const t = `tok-${++this.tokenCounter}`;
        this.validTokens.add(t);
        return send(200, { accessToken: t, expireIn: 7200 });
      }
      if (!token || !this.validTokens.has(token))
        return send(401, { code: 'InvalidAuthentication', message: 'bad token' });
      this.calls.push({ method: req.method ?? '', path, token, body });
      if (req.method === 'POST' && path === '/v1.0/card/instances/createAndDeliver') {
        const params = (body.cardData as { cardParamMap: Record<string, string> }).cardParamMap;
        this.cards.set(String(body.outTrackId), { openSpaceId: String(body.openSpaceId), params: { ...params } });
        this.shown.push({ kind: 'card', id: String(body.outTrackId) });
        return send(200, { success: true, result: { outTrackId: body.outTrackId } });
      }
      if (req.method === 'PUT' && path === '/v1.0/card/instances') {
        const card = this.cards.get(String(body.outTrackId));
        if (!card) return send(404, { code: 'cardNotFound', message: 'no such card' });
        Object.assign(card.params, (body.cardData as { cardParamMap: Record<string, string> }).cardParamMap);
        return send(200, { success: true });
      }
      if (
        req.method === 'POST' &&
        (path === '/v1.0/robot/groupMessages/send' || path === '/v1.0/robot/oToMessages/batchSend')
      ) {
        const key = `pq-${this.calls.length}`;
        this.shown.push({ kind: 'markdown', id: key });
        return send(200, { processQueryKey: key });
      }
      return send(404, { code: 'NotFound', message: path });
    });
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', () => ok()));
    const addr = this.server.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    return this.url;
  }

  /** Revokes every token, as an expiry would. */
  revokeTokens(): void {
    this.validTokens.clear();
  }

  /** A robot message by its processQueryKey. */
  markdownById(key: string): { to: string; title: string; text: string } | undefined {
    const call = this.calls[Number(key.slice(3)) - 1];
    return call?.path.startsWith('/v1.0/robot/') ? this.toMarkdown(call) : undefined;
  }

  private toMarkdown(c: RecordedCall): { to: string; title: string; text: string } {
    const param = JSON.parse(String(c.body.msgParam)) as { title: string; text: string };
    const to = c.body.openConversationId
      ? String(c.body.openConversationId)
      : `oto:${(c.body.userIds as string[]).join(',')}`;
    return { to, ...param };
  }

  /** Markdown messages (group and one-to-one) in order, with their recipients. */
  messages(): Array<{ to: string; title: string; text: string }> {
    return this.calls
      .filter((c) => c.path.startsWith('/v1.0/robot/'))
      .map((c) => {
        const param = JSON.parse(String(c.body.msgParam)) as { title: string; text: string };
        const to = c.body.openConversationId
          ? String(c.body.openConversationId)
          : `oto:${(c.body.userIds as string[]).join(',')}`;
        return { to, ...param };
      });
  }

  async stop(): Promise<void> {
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
  }
}
