/**
 * DingTalk behind the ChatPlatform port. Stream mode (dingtalk-stream: robot messages on TOPIC_ROBOT, card clicks
 * on TOPIC_CARD) or HTTP callbacks (`/dingtalk/events`, signed). DingTalk has no threads: a migration is one
 * interactive card updated in place, plus markdown messages for reports, answers and milestones.
 */
import { randomBytes } from 'node:crypto';
import { type DWClient, type DWClientDownStream, TOPIC_CARD, TOPIC_ROBOT } from 'dingtalk-stream';
import { z } from 'zod';
import type { DingTalkConfig } from '../../config/load-config.js';
import type { Origin } from '../../domain/migration/events.js';
import { AppError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { ChatHandler, ChatPlatform, MessageRef, Reply, Target } from '../core/chat-platform.js';
import type { ButtonPayload, Message } from '../core/message.js';
import { dingTalkHttpRoute } from './http-route.js';
import { DingTalkApi } from './openapi.js';
import {
  buttonParamsOf,
  cardCallbackSchema,
  channelOf,
  isCommandText,
  messageText,
  OTO_PREFIX,
  robotMessageSchema,
} from './payloads.js';
import { toCardParams, toMarkdown } from './render.js';
import { StreamClient } from './stream-client.js';

const buttonPayloadSchema = z.object({
  decision: z.enum(['approve', 'reject', 'pause', 'resume', 'abort', 'retry', 'skip-node']),
  migrationId: z.string().min(1).max(200),
  nonce: z.string().min(1).max(200),
  batch: z.number().int().optional(),
  node: z.string().max(200).optional(),
});

export interface DingTalkPlatformOptions {
  config: DingTalkConfig;
  logger: Logger;
  api?: DingTalkApi;
  /** Stream client; tests pass one whose downstream handler they drive, without connecting. */
  stream?: DWClient;
  /** Connect the stream at start (default: mode === 'stream'). */
  connect?: boolean;
  now?: () => number;
  /** Stream watchdog period (default 10 s). */
  watchdogMs?: number;
  /** Counts chat API errors that are answered rather than thrown (an undelivered card). */
  metrics?: Pick<Metrics, 'chatApiErrors'>;
}

/** The route key card clicks are registered under in HTTP mode, one per app. */
export function callbackRouteKeyOf(clientId: string): string {
  return `ackm-${clientId.replace(/[^\w-]/g, '').slice(0, 40)}`;
}

const CARD_PREFIX = 'card:';
/** A signature stays valid until its timestamp is an hour old, and it may be up to an hour ahead of our clock. */
const REPLAY_TTL_MS = 2 * 60 * 60 * 1000;

/** Card ids carry their conversation, so a click after a restart still knows where it came from. */
function newOutTrackId(channel: string): string {
  return `ackm.${Buffer.from(channel).toString('base64url')}.${randomBytes(6).toString('hex')}`;
}
function channelOfCard(outTrackId: string): string | undefined {
  const part = outTrackId.split('.')[1];
  return part ? Buffer.from(part, 'base64url').toString() : undefined;
}

export class DingTalkPlatform implements ChatPlatform {
  readonly platform = 'dingtalk' as const;
  readonly supportsThreads = false;
  readonly stream: DWClient;
  readonly api: DingTalkApi;
  /** Cards DingTalk did not deliver (each fell back to markdown). */
  undelivered = 0;
  private handler: ChatHandler | undefined;
  /** HTTP mode with cards: the registered route key their clicks come back under. */
  private routeKey: string | undefined;
  private readonly seen = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: DingTalkPlatformOptions) {
    const { config } = options;
    this.now = options.now ?? Date.now;
    this.api =
      options.api ??
      new DingTalkApi({
        baseUrl: config.apiUrl,
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        now: this.now,
      });
    this.stream =
      options.stream ??
      new StreamClient({
        clientId: config.clientId,
        clientSecret: config.clientSecret,
        api: this.api,
        logger: options.logger,
        ...(options.watchdogMs ? { watchdogMs: options.watchdogMs } : {}),
      });
  }

  async start(handler: ChatHandler): Promise<void> {
    const { config } = this.options;
    this.handler = handler;
    this.stream.registerCallbackListener(TOPIC_ROBOT, (res) => void this.onRobotFrame(res));
    this.stream.registerCallbackListener(TOPIC_CARD, (res) => void this.onCardFrame(res));
    if (config.mode === 'http' && config.cardTemplateId) {
      // No Stream connection in HTTP mode: card clicks reach the bot only at a registered callback URL.
      if (!config.callbackUrl) {
        throw new AppError('CONFIG', 'DINGTALK_CALLBACK_URL is required for cards in DingTalk HTTP mode', {
          hint: "set it to the bot's public https://…/dingtalk/events, or use DINGTALK_MODE=stream",
        });
      }
      const key = callbackRouteKeyOf(config.clientId);
      await this.api.registerCardCallback(key, config.callbackUrl);
      this.routeKey = key;
    }
    if (this.options.connect ?? config.mode === 'stream') {
      if (this.stream instanceof StreamClient) await this.stream.start();
      else await this.stream.connect();
    }
  }

  /** Stream mode: whether the connection is up and answering (for /readyz); HTTP mode needs none. */
  connected(): boolean {
    if (!(this.options.connect ?? this.options.config.mode === 'stream')) return true;
    return this.stream instanceof StreamClient ? this.stream.isConnected() : this.stream.connected;
  }

  async stop(): Promise<void> {
    this.stream.disconnect();
  }

  async post(target: Target, message: Message): Promise<MessageRef> {
    const { channel } = target;
    // With a card template every post is a card, so anything can be edited in place later (the notifier edits
    // summaries and batch progress; DingTalk cannot edit a robot message). Without one, markdown it is.
    if (this.options.config.cardTemplateId) {
      const outTrackId = newOutTrackId(channel);
      try {
        await this.api.createAndDeliverCard({
          cardTemplateId: this.options.config.cardTemplateId,
          outTrackId,
          cardParamMap: toCardParams(message),
          robotCode: this.options.config.robotCode,
          ...(channel.startsWith(OTO_PREFIX)
            ? { userId: channel.slice(OTO_PREFIX.length) }
            : { openConversationId: channel }),
          ...(message.mentions?.length ? { atUserIds: Object.fromEntries(message.mentions.map((m) => [m, m])) } : {}),
          ...(this.routeKey ? { callbackRouteKey: this.routeKey } : {}),
        });
        return { platform: 'dingtalk', channel, messageId: `${CARD_PREFIX}${outTrackId}` };
      } catch (error) {
        // A card nobody sees must not be updated for the whole migration: say it in markdown instead.
        if (!(error instanceof AppError && error.details.undelivered)) throw error;
        this.undelivered += 1;
        this.options.metrics?.chatApiErrors.inc({
          platform: 'dingtalk',
          method: 'card.createAndDeliver',
          code: 'undelivered',
        });
        this.options.logger.error({ err: error, channel }, 'dingtalk card not delivered; sent as markdown');
      }
    }
    const answer = (await this.sendMarkdown(channel, message)) as { processQueryKey?: string };
    return {
      platform: 'dingtalk',
      channel,
      messageId: answer.processQueryKey ?? `msg-${randomBytes(6).toString('hex')}`,
    };
  }

  /** Cards are updated in place; a robot message cannot be edited, so its "update" is a new message. */
  async update(ref: MessageRef, message: Message): Promise<void> {
    if (ref.messageId.startsWith(CARD_PREFIX)) {
      await this.api.updateCard(ref.messageId.slice(CARD_PREFIX.length), toCardParams(message));
      return;
    }
    await this.sendMarkdown(ref.channel, message);
  }

  /** DingTalk groups have no ephemeral messages: the bot writes to the person one-to-one instead. */
  async postEphemeral(target: Target & { userId: string }, message: Message): Promise<void> {
    await this.api.sendOneToOne(this.options.config.robotCode, [target.userId], 'sampleMarkdown', toMarkdown(message));
  }

  private sendMarkdown(channel: string, message: Message): Promise<unknown> {
    const param = toMarkdown(message);
    if (channel.startsWith(OTO_PREFIX)) {
      return this.api.sendOneToOne(
        this.options.config.robotCode,
        [channel.slice(OTO_PREFIX.length)],
        'sampleMarkdown',
        param,
      );
    }
    return this.api.sendGroupMessage(this.options.config.robotCode, channel, 'sampleMarkdown', param);
  }

  private requireHandler(): ChatHandler {
    if (!this.handler) throw new AppError('INTERNAL', 'DingTalk platform not started');
    return this.handler;
  }

  /** A robot message (the same JSON in Stream and HTTP mode): a command, or a question to the bot. */
  async handleRobotMessage(raw: unknown): Promise<void> {
    const message = robotMessageSchema.parse(raw);
    if (this.isReplay(`msg:${message.msgId}`)) return;
    const text = messageText(message);
    const origin: Origin = {
      platform: 'dingtalk',
      channel: channelOf(message),
      userId: message.senderStaffId ?? message.senderId ?? 'unknown',
      ...(message.senderNick ? { userName: message.senderNick } : {}),
    };
    const handler = this.requireHandler();
    // In a group the robot only receives messages that @mention it; one-to-one, everything is addressed to it.
    const reply = isCommandText(text)
      ? await handler.onCommand({ origin, text })
      : await handler.onMessage({ origin, text, mentioned: true });
    if (reply) await this.deliver(origin, reply);
  }

  /** A card button click; returns the card update DingTalk applies right away. */
  async handleCardCallback(raw: unknown): Promise<object> {
    const callback = cardCallbackSchema.parse(raw);
    const parsed = buttonPayloadSchema.safeParse(buttonParamsOf(callback));
    const channel = channelOfCard(callback.outTrackId) ?? 'unknown';
    const origin: Origin = { platform: 'dingtalk', channel, userId: callback.userId };
    if (!parsed.success) {
      await this.deliver(origin, {
        ephemeral: true,
        message: { text: 'That button is not one of ours; nothing was done.' },
      });
      return {};
    }
    const reply = await this.requireHandler().onAction({
      origin,
      payload: parsed.data as ButtonPayload,
      source: { platform: 'dingtalk', channel, messageId: `${CARD_PREFIX}${callback.outTrackId}` },
    });
    if (reply.ephemeral) {
      await this.deliver(origin, reply);
      return {};
    }
    return {
      cardUpdateOptions: { updateCardDataByKey: true },
      cardData: { cardParamMap: { context: reply.message.text } },
    };
  }

  private async deliver(origin: Origin, reply: Reply): Promise<void> {
    if (reply.later) {
      // A holding answer: the real one follows when it is ready.
      const later = reply.later;
      void later
        .then((r) => this.deliver(origin, r))
        .catch((error: unknown) => this.options.logger.warn({ err: error }, 'dingtalk late reply not delivered'));
    }
    const group = !origin.channel.startsWith(OTO_PREFIX);
    if (reply.ephemeral && group)
      await this.postEphemeral({ channel: origin.channel, userId: origin.userId }, reply.message);
    else await this.post({ channel: origin.channel }, reply.message);
  }

  /** Stream callbacks are acknowledged at once (else DingTalk pushes them again); a throwing listener is logged. */
  private async onRobotFrame(res: DWClientDownStream): Promise<void> {
    this.stream.socketCallBackResponse(res.headers.messageId, {});
    try {
      await this.handleRobotMessage(JSON.parse(res.data));
    } catch (error) {
      this.options.logger.warn({ err: error }, 'dingtalk robot message failed');
    }
  }

  private async onCardFrame(res: DWClientDownStream): Promise<void> {
    let answer: object = {};
    try {
      answer = await this.handleCardCallback(JSON.parse(res.data));
    } catch (error) {
      this.options.logger.warn({ err: error }, 'dingtalk card callback failed');
    }
    this.stream.socketCallBackResponse(res.headers.messageId, answer);
  }

  private isReplay(key: string): boolean {
    const now = this.now();
    // Insertion order is time order: stop at the first entry still fresh.
    for (const [k, at] of this.seen) {
      if (now - at <= REPLAY_TTL_MS) break;
      this.seen.delete(k);
    }
    if (this.seen.has(key)) return true;
    this.seen.set(key, now);
    return false;
  }

  /** HTTP callback mode: `POST /dingtalk/events`, verified by its `timestamp` and `sign` headers (http-route.ts). */
  httpRoute() {
    return dingTalkHttpRoute({
      secret: this.options.config.clientSecret,
      logger: this.options.logger,
      now: this.now,
      isReplay: (key) => this.isReplay(key),
      onCard: (body) => this.handleCardCallback(body),
      onRobot: (body) => this.handleRobotMessage(body),
    });
  }
}

export function createDingTalkPlatform(options: DingTalkPlatformOptions): DingTalkPlatform {
  return new DingTalkPlatform(options);
}
