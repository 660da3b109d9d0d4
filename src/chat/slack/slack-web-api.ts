/**
 * The Slack Web API calls the adapter makes (auth.test, chat.postMessage, chat.update, chat.postEphemeral), with
 * our timing rules instead of the WebClient's:
 * - `rejectRateLimitedCalls: true` everywhere: a 429 becomes a rate-limited AppError at once (with Retry-After as
 *   retryAfterMs) instead of the WebClient pausing its whole queue and retrying for up to 30 minutes. The chat
 *   core's coalescer owns waiting; the default behaviour would also stall every other call behind one 429.
 * - chat.update: no retries at all. A later edit supersedes an earlier one, so only the coalescer may decide to
 *   send again (with the newest content).
 * - chat.postMessage: no blind retries. A post that timed out or got a 5xx may have been posted all the same
 *   (Slack answers late under load): the platform looks for it by its metadata before posting again
 *   (src/chat/slack/slack-platform.ts).
 * - ephemeral / auth.test / reads: two quick retries on network errors and 5xx, then give up.
 */
import { webApi } from '@slack/bolt';
import type { Logger } from '../../log/logger.js';
import type { Metrics } from '../../metrics/metrics.js';
import { slackCallError } from './slack-errors.js';

export type SlackMetrics = Pick<Metrics, 'chatApiCalls' | 'chatApiErrors' | 'chatRateLimited'>;

export interface SlackIdentity {
  botUserId: string;
  botId: string;
  teamId: string | undefined;
}

export interface SlackWebApiOptions {
  token: string;
  /** SLACK_API_URL; default https://slack.com/api/ */
  apiUrl: string | undefined;
  logger: Logger;
  metrics?: SlackMetrics;
  /** Per-request timeout (default 10 s): a hung Slack must not hold the notifier for ever. */
  timeoutMs?: number;
  /** Bolt-compatible logger for the WebClient's own messages. */
  clientLogger: webApi.WebClientOptions['logger'];
}

type Params = Record<string, unknown>;

export class SlackWebApi {
  private readonly client: webApi.WebClient;
  private readonly updateClient: webApi.WebClient;
  private readonly postClient: webApi.WebClient;
  private readonly metrics: SlackMetrics | undefined;

  constructor(private readonly options: SlackWebApiOptions) {
    const common: webApi.WebClientOptions = {
      rejectRateLimitedCalls: true,
      timeout: options.timeoutMs ?? 10_000,
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      ...(options.clientLogger ? { logger: options.clientLogger } : {}),
    };
    this.client = new webApi.WebClient(options.token, {
      ...common,
      retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 },
    });
    this.updateClient = new webApi.WebClient(options.token, { ...common, retryConfig: { retries: 0 } });
    this.postClient = new webApi.WebClient(options.token, { ...common, retryConfig: { retries: 0 } });
    this.metrics = options.metrics;
  }

  /** Options for Bolt's own clients (respond(), Socket Mode's apps.connections.open): same URL, same rules. */
  static boltClientOptions(apiUrl: string | undefined, logger: webApi.WebClientOptions['logger']) {
    return {
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 },
      ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
      ...(logger ? { logger } : {}),
    } satisfies webApi.WebClientOptions;
  }

  async authTest(): Promise<SlackIdentity> {
    const res = await this.call(this.client, 'auth.test', {});
    const botUserId = typeof res.user_id === 'string' ? res.user_id : undefined;
    const botId = typeof res.bot_id === 'string' ? res.bot_id : undefined;
    if (!botUserId || !botId) {
      throw slackCallError('auth.test', new Error('auth.test answered without user_id/bot_id (is this a bot token?)'));
    }
    return { botUserId, botId, teamId: typeof res.team_id === 'string' ? res.team_id : undefined };
  }

  async postMessage(params: Params): Promise<{ channel: string; ts: string }> {
    const res = await this.call(this.postClient, 'chat.postMessage', params);
    const ts = typeof res.ts === 'string' ? res.ts : undefined;
    if (!ts) throw slackCallError('chat.postMessage', new Error('answer without ts'));
    return { channel: typeof res.channel === 'string' ? res.channel : String(params.channel), ts };
  }

  /**
   * The ts of a message this bot posted with `metadata.event_payload.post_id = postId`, looked for in the thread
   * (conversations.replies) or among the channel's newest top-level messages (conversations.history).
   */
  async findPosted(channel: string, threadTs: string | undefined, postId: string): Promise<string | undefined> {
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await this.call(this.client, threadTs ? 'conversations.replies' : 'conversations.history', {
        channel,
        ...(threadTs ? { ts: threadTs } : {}),
        include_all_metadata: true,
        limit: threadTs ? 200 : 50,
        ...(cursor ? { cursor } : {}),
      });
      const messages = Array.isArray(res.messages) ? (res.messages as Params[]) : [];
      for (const m of messages) {
        const payload = (m.metadata as { event_payload?: { post_id?: unknown } } | undefined)?.event_payload;
        if (payload?.post_id === postId && typeof m.ts === 'string') return m.ts;
      }
      const next = (res.response_metadata as { next_cursor?: string } | undefined)?.next_cursor;
      // The channel's history is newest first: the message, if posted, is on the first page.
      if (!threadTs || !next) return undefined;
      cursor = next;
    }
    return undefined;
  }

  async update(params: Params): Promise<void> {
    await this.call(this.updateClient, 'chat.update', params);
  }

  async postEphemeral(params: Params): Promise<void> {
    await this.call(this.client, 'chat.postEphemeral', params);
  }

  private async call(client: webApi.WebClient, method: string, params: Params): Promise<Params> {
    this.metrics?.chatApiCalls.inc({ platform: 'slack', method });
    try {
      return (await client.apiCall(method, params)) as unknown as Params;
    } catch (error) {
      const appError = slackCallError(method, error);
      if (typeof appError.details.retryAfterMs === 'number') {
        this.metrics?.chatRateLimited.inc({ platform: 'slack', method });
      }
      this.metrics?.chatApiErrors.inc({
        platform: 'slack',
        method,
        code: String(appError.details.slackError ?? (appError.details.retryAfterMs ? 'ratelimited' : 'error')),
      });
      this.options.logger.warn({ method, code: appError.code, details: appError.details }, appError.message);
      throw appError;
    }
  }
}
