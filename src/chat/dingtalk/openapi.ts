/**
 * A thin typed fetch layer over the five DingTalk OpenAPI endpoints the bot uses. Lighter than @alicloud/dingtalk
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

  createAndDeliverCard(d: CardDelivery): Promise<unknown> {
    const group = d.openConversationId !== undefined;
    return this.authed('POST', '/v1.0/card/instances/createAndDeliver', 'card.createAndDeliver', {
      cardTemplateId: d.cardTemplateId,
      outTrackId: d.outTrackId,
      callbackType: 'STREAM',
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
    if (res.ok) return json;
    const { code, message } = json as { code?: string; message?: string };
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), this.now());
    throw new AppError(
      'CHAT_API',
      `DingTalk ${name} failed: HTTP ${res.status} ${code ?? ''} ${message ?? ''}`.trim(),
      {
        retryable: res.status === 429 || res.status >= 500,
        details: { status: res.status, code, ...(res.status === 429 ? { retryAfterMs } : {}) },
      },
    );
  }
}
