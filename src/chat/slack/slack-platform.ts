/**
 * The Slack ChatPlatform on @slack/bolt v5.
 *
 * Transport:
 * - HTTP mode (default): Bolt's HTTPReceiver does the parsing and the signature check (HMAC-SHA256 of
 *   `v0:ts:body`, requests older than 5 minutes refused with 401), but never listens on a port of its own. The
 *   bot's one HTTP server mounts `route` (POST /slack/events) next to /healthz and the console.
 * - Socket Mode when SLACK_APP_TOKEN is set: an outbound WebSocket, no public URL.
 *
 * No auth.test in Bolt's constructor (it would crash the process when Slack is unreachable): the App gets an
 * `authorize` function, and start() calls auth.test itself against SLACK_API_URL to learn the bot ids.
 *
 * The slash command is acknowledged with the handler's Reply as the HTTP answer. If the handler has not answered
 * within `ackBudgetMs` (default 2.7 s: Slack allows 3 s, and the dispatcher answers by 2.5 s on its own), it is
 * acknowledged with a holding note and the Reply follows through response_url. Handlers enqueue; they never do
 * the work inline.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver, type webApi } from '@slack/bolt';
import type { SlackConfig } from '../../config/load-config.js';
import { AppError, asAppError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { ChatHandler, ChatPlatform, MessageRef, Target } from '../core/chat-platform.js';
import type { Message } from '../core/message.js';
import { withRateLimitRetry } from '../core/rate-limit.js';
import { boltLogger, boltLogLevel } from './bolt-logger.js';
import { ChannelNotice, isNotInChannel } from './channel-notice.js';
import { renderPages } from './pages.js';
import { postOnce } from './post-once.js';
import { renderMessage } from './render-blocks.js';
import { registerSlackListeners } from './slack-listeners.js';
import { type SlackIdentity, type SlackMetrics, SlackWebApi } from './slack-web-api.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackPlatformOptions {
  config: SlackConfig;
  logger: Logger;
  metrics?: SlackMetrics;
  /** 'socket' when config.appToken is set, else 'http'. */
  receiver?: 'http' | 'socket';
  /** Time the handler gets before the slash command is acknowledged with a holding note (default 2700 ms). */
  ackBudgetMs?: number;
}

export const SLACK_EDIT_POLICY = { minIntervalMs: 1000, stepIntervalMs: 180_000 } as const;

export interface SlackPlatform extends ChatPlatform {
  readonly platform: 'slack';
  readonly mode: 'http' | 'socket';
  /** The bot's own ids, known after start(). */
  readonly identity: SlackIdentity | undefined;
  /**
   * HTTP mode only: answers one Slack request (signature checked by Bolt) and resolves when the answer was sent.
   * Answers 503 before start() and after stop().
   */
  requestHandler?: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** HTTP mode only: a route for startHttpServer: takes POST /slack/events, returns false for anything else. */
  route?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
}

type BoltClientLogger = webApi.WebClientOptions['logger'];

/**
 * SLACK_API_URL is the Web API base including its path, like https://slack.com/api/ (a fake: http://127.0.0.1:PORT/api/).
 * A bare host:port (which the config accepts) gets http:// in front; the WebClient adds the trailing slash.
 */
export function normaliseApiUrl(apiUrl: string | undefined): string | undefined {
  if (!apiUrl) return undefined;
  return /^https?:\/\//.test(apiUrl) ? apiUrl : `http://${apiUrl}`;
}

export function createSlackPlatform(options: SlackPlatformOptions): SlackPlatform {
  const { logger } = options;
  const config = { ...options.config, apiUrl: normaliseApiUrl(options.config.apiUrl) };
  const mode = options.receiver ?? (config.appToken ? 'socket' : 'http');
  const ackBudgetMs = options.ackBudgetMs ?? 2700;
  const secrets = [config.botToken, config.signingSecret, config.appToken].filter((s): s is string => !!s);
  const log = logger.child({ component: 'slack' });
  const bLogger = boltLogger(logger, secrets);
  const logLevel = boltLogLevel(logger);

  if (mode === 'http' && !config.signingSecret) {
    throw new AppError('CONFIG', 'SLACK_SIGNING_SECRET is required for Slack in HTTP mode', {
      hint: 'set SLACK_SIGNING_SECRET, or SLACK_APP_TOKEN for Socket Mode',
    });
  }
  if (mode === 'socket' && !config.appToken) {
    throw new AppError('CONFIG', 'SLACK_APP_TOKEN is required for Slack Socket Mode', {
      hint: 'create an app-level token with connections:write',
    });
  }

  const api = new SlackWebApi({
    token: config.botToken,
    apiUrl: config.apiUrl,
    logger: log,
    clientLogger: bLogger as BoltClientLogger,
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });

  let identity: SlackIdentity | undefined;
  let handler: ChatHandler | undefined;
  const notice = new ChannelNotice();
  let running = false;

  const clientOptions = SlackWebApi.boltClientOptions(config.apiUrl, bLogger as BoltClientLogger);
  const authorize = async () => {
    if (!identity) throw new AppError('CHAT_API', 'Slack adapter is not started');
    return { botToken: config.botToken, botId: identity.botId, botUserId: identity.botUserId, teamId: identity.teamId };
  };
  const httpReceiver =
    mode === 'http'
      ? new HTTPReceiver({
          signingSecret: config.signingSecret!,
          endpoints: SLACK_EVENTS_PATH,
          logger: bLogger,
          logLevel,
          // Answer as soon as ack() is called: the Reply is in the ack, the rest happens after.
          processBeforeResponse: false,
        })
      : undefined;
  const app = new App({
    ...(httpReceiver
      ? { receiver: httpReceiver }
      : { socketMode: true, appToken: config.appToken!, installerOptions: { clientOptions } }),
    authorize,
    logger: bLogger,
    logLevel,
    clientOptions,
  });

  registerSlackListeners(app, {
    handler: () => handler,
    botUserId: () => identity?.botUserId,
    outbound: {
      post: (t, m) => platform.post(t, m),
      update: (r, m) => platform.update(r, m),
      postEphemeral: (t, m) => platform.postEphemeral(t, m),
    },
    log,
    ackBudgetMs,
    onCommandFrom: (channel, userId, respond) => notice.note(channel, userId, respond),
  });

  async function requestHandler(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!httpReceiver || !running) {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"slack adapter not running"}');
      return;
    }
    await new Promise<void>((ok) => {
      res.once('close', () => ok());
      try {
        httpReceiver.requestListener(req, res);
      } catch (error) {
        log.warn({ err: asAppError(error).message }, 'slack request not handled');
        if (!res.headersSent) res.writeHead(500);
        res.end();
      }
    });
  }

  const platform: SlackPlatform = {
    platform: 'slack',
    supportsThreads: true,
    // A node moves a step every 20 s to 4 min; editing the batch reply at each would cost ~8 calls a batch.
    // Steps ride along for up to 3 minutes with the next milestone instead (goal: ≤ 6 Slack calls a batch).
    editPolicy: SLACK_EDIT_POLICY,
    mode,
    get identity() {
      return identity;
    },

    async start(h) {
      identity = await api.authTest().catch((error: unknown) => {
        const e = asAppError(error);
        throw new AppError('CHAT_API', `Slack auth.test failed: ${e.message}`, {
          cause: e,
          hint: e.hint ?? 'check SLACK_BOT_TOKEN and SLACK_API_URL',
        });
      });
      handler = h;
      if (mode === 'socket') await app.start();
      running = true;
      log.info({ mode, botUserId: identity.botUserId, teamId: identity.teamId }, 'slack adapter started');
    },

    async stop() {
      const wasRunning = running;
      running = false;
      handler = undefined;
      if (mode === 'socket' && wasRunning) await app.stop();
    },

    async post(target: Target, message: Message): Promise<MessageRef> {
      // A message past one Slack message's limits goes as pages: the rest are replies under the first.
      const [first, ...rest] = renderPages(message);
      const send = (page: typeof first, threadTs: string | undefined, part: number) =>
        postOnce(
          api,
          {
            channel: target.channel,
            text: page!.text,
            blocks: page!.blocks,
            unfurl_links: false,
            unfurl_media: false,
            ...(threadTs ? { thread_ts: threadTs } : {}),
          },
          target.post
            ? { key: part ? `${target.post.key}#${part}` : target.post.key, mayExist: target.post.mayExist }
            : {},
        );
      let res: { channel: string; ts: string };
      try {
        res = await send(first, target.threadId, 0);
      } catch (error) {
        if (isNotInChannel(error)) await notice.tell(target.channel, identity?.botUserId);
        throw error;
      }
      for (const [i, page] of rest.entries())
        await withRateLimitRetry(() => send(page, target.threadId ?? res.ts, i + 1));
      const ref: MessageRef = { platform: 'slack', channel: res.channel, messageId: res.ts };
      if (target.threadId) ref.threadId = target.threadId;
      return ref;
    },

    async update(ref: MessageRef, message: Message): Promise<void> {
      const rendered = renderMessage(message);
      await api.update({ channel: ref.channel, ts: ref.messageId, text: rendered.text, blocks: rendered.blocks });
    },

    async postEphemeral(target, message): Promise<void> {
      const rendered = renderMessage(message);
      await api.postEphemeral({
        channel: target.channel,
        user: target.userId,
        text: rendered.text,
        blocks: rendered.blocks,
        ...(target.threadId ? { thread_ts: target.threadId } : {}),
      });
    },
  };

  if (httpReceiver) {
    platform.requestHandler = requestHandler;
    platform.route = async (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'POST' || path !== SLACK_EVENTS_PATH) return false;
      await requestHandler(req, res);
      return true;
    };
  }
  return platform;
}
