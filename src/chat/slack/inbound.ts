/**
 * Slack wire payloads → the chat core's Inbound* types. Pure, so the mapping is unit-tested on scrubbed fixtures.
 * Anything Slack sends that we cannot trust or do not understand becomes `undefined` (ignored), never a throw.
 */
import { z } from 'zod';
import type { Origin } from '../../domain/migration/events.js';
import type { InboundAction, InboundCommand, InboundMessage, MessageRef } from '../core/chat-platform.js';
import type { ButtonPayload } from '../core/message.js';

const DECISIONS = ['approve', 'reject', 'pause', 'resume', 'abort', 'retry', 'skip-node'] as const;

const buttonPayloadSchema = z.object({
  decision: z.enum(DECISIONS),
  migrationId: z.string().min(1).max(200),
  nonce: z.string().min(1).max(200),
  batch: z.number().int().positive().optional(),
  node: z.string().min(1).max(253).optional(),
});

/** A button's `value` back into the ButtonPayload it was rendered from; undefined when it is not ours. */
export function parseButtonValue(value: string | undefined): ButtonPayload | undefined {
  if (!value) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(value);
  } catch {
    return undefined;
  }
  const parsed = buttonPayloadSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const p = parsed.data;
  const out: ButtonPayload = { decision: p.decision, migrationId: p.migrationId, nonce: p.nonce };
  if (p.batch !== undefined) out.batch = p.batch;
  if (p.node !== undefined) out.node = p.node;
  return out;
}

export interface SlashCommandFields {
  channel_id: string;
  user_id: string;
  user_name?: string;
  text?: string;
}

export function commandToInbound(command: SlashCommandFields): InboundCommand {
  return {
    origin: withName({ platform: 'slack', channel: command.channel_id, userId: command.user_id }, command.user_name),
    text: (command.text ?? '').trim(),
  };
}

/** The fields of a block_actions body we read (Bolt's BlockAction type, loosened: Slack may omit any of them). */
export interface BlockActionFields {
  user: { id: string; username?: string; name?: string };
  channel?: { id: string };
  container?: { channel_id?: string; message_ts?: string; thread_ts?: string; is_ephemeral?: boolean };
  message?: { ts?: string; thread_ts?: string };
}

export function actionToInbound(body: BlockActionFields, value: string | undefined): InboundAction | undefined {
  const payload = parseButtonValue(value);
  const channel = body.channel?.id ?? body.container?.channel_id;
  if (!payload || !channel || !body.user?.id) return undefined;
  const threadId = body.message?.thread_ts ?? body.container?.thread_ts;
  const origin = withName({ platform: 'slack', channel, userId: body.user.id }, body.user.username ?? body.user.name);
  if (threadId) origin.threadId = threadId;
  const action: InboundAction = { origin, payload };
  const messageTs = body.message?.ts ?? body.container?.message_ts;
  // Ephemeral messages cannot be edited with chat.update, so they are no source to update.
  if (messageTs && !body.container?.is_ephemeral) {
    const source: MessageRef = { platform: 'slack', channel, messageId: messageTs };
    if (threadId) source.threadId = threadId;
    action.source = source;
  }
  return action;
}

const messageEventSchema = z.object({
  type: z.enum(['message', 'app_mention']),
  subtype: z.string().optional(),
  channel: z.string().min(1),
  user: z.string().min(1),
  text: z.string().default(''),
  ts: z.string().min(1),
  thread_ts: z.string().optional(),
  bot_id: z.string().optional(),
});

/** Message subtypes that are still a person talking; edits, joins, bot posts and the like are not. */
const HUMAN_SUBTYPES = new Set(['thread_broadcast', 'file_share']);

export interface SlackMessageInbound {
  inbound: InboundMessage;
  /** Where an answer goes: the thread the message sits in, or a new thread under it. */
  replyThreadTs: string;
}

/**
 * A `message` or `app_mention` event → InboundMessage. A `message` that mentions the bot is dropped, because Slack
 * sends the same text as `app_mention` too and answering both would answer twice.
 */
export function messageToInbound(event: unknown, botUserId: string | undefined): SlackMessageInbound | undefined {
  const parsed = messageEventSchema.safeParse(event);
  if (!parsed.success) return undefined;
  const e = parsed.data;
  if (e.bot_id || (e.subtype && !HUMAN_SUBTYPES.has(e.subtype))) return undefined;
  if (botUserId && e.user === botUserId) return undefined;
  const botMention = botUserId ? `<@${botUserId}>` : undefined;
  const mentioned = e.type === 'app_mention' || (botMention !== undefined && e.text.includes(botMention));
  if (e.type === 'message' && mentioned) return undefined;
  const text = (botMention ? e.text.split(botMention).join(' ') : e.text).replace(/\s+/g, ' ').trim();
  const origin: InboundMessage['origin'] = { platform: 'slack', channel: e.channel, userId: e.user };
  const inbound: InboundMessage = { origin, text, mentioned };
  if (e.thread_ts) {
    inbound.threadId = e.thread_ts;
    origin.threadId = e.thread_ts;
  }
  return { inbound, replyThreadTs: e.thread_ts ?? e.ts };
}

function withName(origin: Origin, name: string | undefined): Origin {
  if (name) origin.userName = name;
  return origin;
}
