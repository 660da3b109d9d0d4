/**
 * DingTalk's HTTP callback mode: `POST /dingtalk/events` on the bot's server takes robot messages and card clicks
 * (docs/architecture.md#chat-platforms), each verified by its `timestamp` and `sign` headers before anything else.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../log/logger.js';
import { verifyDingTalkRequest } from './sign.js';

export interface HttpRouteDeps {
  secret: string;
  logger: Logger;
  now: () => number;
  /** True when this key was seen within the replay window (and remembers it). */
  isReplay(key: string): boolean;
  onCard(body: unknown): Promise<object>;
  onRobot(body: unknown): Promise<void>;
}

export function dingTalkHttpRoute(deps: HttpRouteDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/dingtalk/events') return false;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 256 * 1024) {
        res.writeHead(413).end();
        return true;
      }
      chunks.push(chunk as Buffer);
    }
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const verdict = verifyDingTalkRequest({
      timestamp: header('timestamp'),
      sign: header('sign'),
      secret: deps.secret,
      nowMs: deps.now(),
    });
    // DingTalk's sign covers the timestamp only, not the body: whoever saw one callback's headers could send any
    // body with them for an hour (an approver's click, say). So each signature is accepted once.
    const refusal = !verdict.ok
      ? verdict.reason
      : deps.isReplay(`sign:${header('timestamp')}:${header('sign')}`)
        ? 'signature already used'
        : undefined;
    if (refusal) {
      deps.logger.warn({ reason: refusal }, 'dingtalk callback refused');
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: refusal }));
      return true;
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400).end();
      return true;
    }
    try {
      const isCard = typeof body === 'object' && body !== null && 'outTrackId' in body;
      let answer: object = {};
      if (isCard) answer = await deps.onCard(body);
      else await deps.onRobot(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    } catch (error) {
      deps.logger.warn({ err: error }, 'dingtalk callback failed');
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad callback"}');
    }
    return true;
  };
}
