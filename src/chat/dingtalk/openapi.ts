/**
 * A thin typed fetch layer over the DingTalk OpenAPI endpoints the bot uses (token, robot messages, cards, card
 * callback routes, the Stream gateway). Lighter than @alicloud/dingtalk
 * (3 MB, every DingTalk API) and just as testable: DINGTALK_API_URL points it at a local fake.
 */
import { AppError } from '../../errors.js';

export const DEFAULT_DINGTALK_API_URL = 'https://api.dingtalk.com';

export interface DingTalkApiOptions {
  baseUrl?: string;
  clientId: string;
  clientSecret: string;
  /** Injected for tests of token expiry; defaults to Date.now. */
  now?: () => number;
  /** Called with each method name, e.g. for metrics. */
  onCall?: (method: string, status: number) => void;
}

export interface CardDelivery {
  cardTemplateId: string;
  outTrackId: string;
  cardParamMap: Record<string, string>;
  robotCode: string;
  /** openConversationId of a group, or undefined with `userId` for one-to-one. */
  openConversationId?: string;
  userId?: string;
  atUserIds?: Record<string, string>;
  /** HTTP mode: clicks go to the URL registered under this key; else to the Stream connection. */
  callbackRouteKey?: string;
}

/** DingTalk's throttling errcodes: global, per app, per app and org. */
const THROTTLED = new Set(['90002', '90018', '90019']);

function isThrottled(code: unknown): boolean {
  const c = String(code ?? '');
  return THROTTLED.has(c) || /QpsLimit|requestTooFast|Throttl/i.test(c);
}

interface DeliverResult {
  success?: boolean;
  errorMsg?: string;
  spaceId?: string;
}

/** Retry-After in seconds or as an HTTP date (RFC 9110); one second when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number {
  if (!value) return 1000;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? 1000 : Math.max(0, at - nowMs);
}

export class DingTalkApi {
  private token: { value: string; expiresAt: number } | undefined;
  private readonly baseUrl: string;
  private readonly now: () => number;

  constructor(private readonly options: DingTalkApiOptions) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_DINGTALK_API_URL).replace(/\/$/, '');
    this.now = options.now ?? Date.now;
  }

  /** Access token, refreshed five minutes before it expires (DingTalk gives 7,200 s). */
  async accessToken(force = false): Promise<string> {
    if (!force && this.token && this.token.expiresAt - 5 * 60_000 > this.now()) return this.token.value;
    const body = await this.request('POST', '/v1.0/oauth2/accessToken', 'accessToken', {
      appKey: this.options.clientId,
      appSecret: this.options.clientSecret,
    });
    const { accessToken, expireIn } = body as { accessToken?: string; expireIn?: number };
    if (!accessToken)
      throw new AppError('CHAT_API', 'DingTalk accessToken: no token in the answer', {
        hint: 'check DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET',
      });
    this.token = { value: accessToken, expiresAt: this.now() + (expireIn ?? 7200) * 1000 };
    return accessToken;
  }

  sendGroupMessage(robotCode: string, openConversationId: string, msgKey: string, msgParam: object): Promise<unknown> {
    return this.authed('POST', '/v1.0/robot/groupMessages/send', 'groupMessages.send', {
      robotCode,
      openConversationId,
      msgKey,
      msgParam: JSON.stringify(msgParam),
    });
  }

  sendOneToOne(robotCode: string, userIds: string[], msgKey: string, msgParam: object): Promise<unknown> {
    return this.authed('POST', '/v1.0/robot/oToMessages/batchSend', 'oToMessages.batchSend', {
      robotCode,
      userIds,
      msgKey,
      msgParam: JSON.stringify(msgParam),
    });
  }

  /**
   * Creates and delivers a card. DingTalk answers HTTP 200 even when nothing was delivered (`success: false`, or
   * a deliverResults entry with `success: false`, e.g. the robot is not in the group): that is an error here.
   */
  async createAndDeliverCard(d: CardDelivery): Promise<unknown> {
    const answer = (await this.createCard(d)) as { success?: boolean; result?: { deliverResults?: DeliverResult[] } };
    const failed = (answer.result?.deliverResults ?? []).filter((r) => r.success === false);
    if (answer.success === false || failed.length > 0) {
      const why =
        failed
          .map((r) => r.errorMsg)
          .filter(Boolean)
          .join('; ') || 'success: false';
      throw new AppError('CHAT_API', `DingTalk card.createAndDeliver: the card was not delivered (${why})`, {
        details: { method: 'card.createAndDeliver', undelivered: true },
        hint: 'check that the robot is in the group and the card template is published',
      });
    }
    return answer;
  }

  /** Registers where DingTalk sends the clicks of cards created with `callbackRouteKey` (HTTP mode). */
  registerCardCallback(callbackRouteKey: string, callbackUrl: string): Promise<unknown> {
    return this.authed('POST', '/v1.0/card/callbacks/register', 'card.callbacks.register', {
      callbackRouteKey,
      callbackUrl,
      forceUpdate: true,
    });
  }

  /** The Stream gateway's `{endpoint, ticket}` for these credentials (what dingtalk-stream's connect asks). */
  openStreamConnection(subscriptions: unknown, ua: string): Promise<unknown> {
    return this.request('POST', '/v1.0/gateway/connections/open', 'gateway.connections.open', {
      clientId: this.options.clientId,
      clientSecret: this.options.clientSecret,
      subscriptions,
      ua,
    });
  }

  private createCard(d: CardDelivery): Promise<unknown> {
    const group = d.openConversationId !== undefined;
    return this.authed('POST', '/v1.0/card/instances/createAndDeliver', 'card.createAndDeliver', {
      cardTemplateId: d.cardTemplateId,
      outTrackId: d.outTrackId,
      ...(d.callbackRouteKey
        ? { callbackType: 'HTTP', callbackRouteKey: d.callbackRouteKey }
        : { callbackType: 'STREAM' }),
      cardData: { cardParamMap: d.cardParamMap },
      openSpaceId: group ? `dtv1.card//IM_GROUP.${d.openConversationId}` : `dtv1.card//IM_ROBOT.${d.userId}`,
      ...(group
        ? {
            imGroupOpenDeliverModel: { robotCode: d.robotCode, ...(d.atUserIds ? { atUserIds: d.atUserIds } : {}) },
            imGroupOpenSpaceModel: { supportForward: true },
          }
        : { imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT' }, imRobotOpenSpaceModel: { supportForward: true } }),
    });
  }

  updateCard(outTrackId: string, cardParamMap: Record<string, string>): Promise<unknown> {
    return this.authed('PUT', '/v1.0/card/instances', 'card.update', {
      outTrackId,
      cardData: { cardParamMap },
      cardUpdateOptions: { updateCardDataByKey: true },
    });
  }

  private async authed(method: string, path: string, name: string, body: object): Promise<unknown> {
    const token = await this.accessToken();
    try {
      return await this.request(method, path, name, body, token);
    } catch (error) {
      // An expired or revoked token: fetch a new one once, then give up.
      if (error instanceof AppError && error.details.status === 401) {
        return this.request(method, path, name, body, await this.accessToken(true));
      }
      throw error;
    }
  }

  private async request(method: string, path: string, name: string, body: object, token?: string): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { 'x-acs-dingtalk-access-token': token } : {}) },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw new AppError('CHAT_API', `DingTalk ${name}: ${(error as Error).message}`, {
        cause: error,
        retryable: true,
      });
    }
    this.options.onCall?.(name, res.status);
    const text = await res.text();
    let json: unknown = {};
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = { message: text.slice(0, 200) };
    }
    const { code, errcode, message } = json as { code?: string; errcode?: number; message?: string };
    // Throttling comes as an errcode (sometimes in a 200), or as an HTML page for an IP banned for 5 minutes.
    const throttled = res.status === 429 || isThrottled(code) || isThrottled(errcode) || /^\s*</.test(text);
    if (res.ok && !throttled) return json;
    const retryAfterMs = res.headers.get('retry-after')
      ? parseRetryAfter(res.headers.get('retry-after'), this.now())
      : /^\s*</.test(text)
        ? 300_000
        : 1000;
    throw new AppError(
      'CHAT_API',
      `DingTalk ${name} failed: HTTP ${res.status} ${code ?? errcode ?? ''} ${throttled ? 'throttled' : (message ?? '')}`.trim(),
      {
        retryable: throttled || res.status >= 500,
        details: { status: res.status, code: code ?? errcode, ...(throttled ? { retryAfterMs } : {}) },
      },
    );
  }
}
