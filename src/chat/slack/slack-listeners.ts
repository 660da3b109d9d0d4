/**
 * Bolt listeners: Slack traffic in → ChatHandler → the answer back out. Every listener acknowledges Slack first
 * (or within the ack budget for slash commands) and catches everything: a failing handler becomes a one-line
 * ephemeral warning, never a silent 3-second timeout.
 */
import type { App, RespondFn } from '@slack/bolt';
import { asAppError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import type { ChatHandler, ChatPlatform, InboundAction, Reply } from '../core/chat-platform.js';
import { actionToInbound, type BlockActionFields, commandToInbound, messageToInbound } from './inbound.js';
import { ACTION_ID_PREFIX, renderMessage } from './render-blocks.js';

export interface SlackListenerDeps {
  handler(): ChatHandler | undefined;
  botUserId(): string | undefined;
  outbound: Pick<ChatPlatform, 'post' | 'update' | 'postEphemeral'>;
  log: Logger;
  /** Slack allows 3 s; past this budget the command is acknowledged with a holding note instead. */
  ackBudgetMs: number;
  /** A slash command came from this channel (so a refused post there can be explained to its author). */
  onCommandFrom?(channel: string, userId: string, respond: RespondFn): void;
}

export function errorReply(error: unknown): Reply {
  const e = asAppError(error);
  const text = e.code === 'INTERNAL' ? 'Something went wrong on our side; it has been logged.' : e.toLine();
  return { ephemeral: true, message: { text: `:warning: ${text}` } };
}

/** A Reply as a slash command answer (the ack body, or a response_url post). */
export function responseBody(reply: Reply) {
  const rendered = renderMessage(reply.message);
  const responseType: 'ephemeral' | 'in_channel' = reply.ephemeral ? 'ephemeral' : 'in_channel';
  return { response_type: responseType, text: rendered.text, blocks: rendered.blocks };
}

function timeout(ms: number): { promise: Promise<undefined>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<undefined>((ok) => {
    timer = setTimeout(() => ok(undefined), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

export function registerSlackListeners(app: App, deps: SlackListenerDeps): void {
  const { log, outbound } = deps;

  app.error(async (error) => {
    log.error({ err: { message: error.message, code: (error as { code?: string }).code } }, 'slack listener failed');
  });

  async function handle(kind: string, fn: (h: ChatHandler) => Promise<Reply>): Promise<Reply> {
    const handler = deps.handler();
    if (!handler) return { ephemeral: true, message: { text: 'ack-migrate is starting; try again in a moment.' } };
    try {
      return await fn(handler);
    } catch (error) {
      log.error({ err: error, kind }, 'chat handler failed');
      return errorReply(error);
    }
  }

  async function deliverQuietly(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (error) {
      log.warn({ err: asAppError(error).message }, 'could not deliver a reply to Slack');
    }
  }

  // Any slash command configured for this app is ours (the manifest names /migrate; a staging app may rename it).
  app.command(/^\/.+/, async ({ command, ack, respond }) => {
    const inbound = commandToInbound(command);
    deps.onCommandFrom?.(command.channel_id, command.user_id, respond);
    const work = handle('command', (h) => h.onCommand(inbound));
    const budget = timeout(deps.ackBudgetMs);
    const quick = await Promise.race([work, budget.promise]);
    budget.cancel();
    if (quick) {
      await ack(responseBody(quick));
      // A holding answer: the real one follows through response_url when it is ready.
      if (quick.later) {
        const late = await quick.later.catch((error: unknown) => errorReply(error));
        await deliverQuietly(() => respond({ ...responseBody(late), replace_original: false }));
      }
      return;
    }
    log.warn({ ackBudgetMs: deps.ackBudgetMs }, 'slash command handler slower than the ack budget; using response_url');
    await ack({ response_type: 'ephemeral', text: 'Working on it…' });
    const reply = await work;
    await deliverQuietly(() => respond(responseBody(reply)));
  });

  /**
   * An ephemeral Reply goes to the clicker only; any other Reply replaces the message the button was on (so the
   * buttons go away and everyone sees the decision), or is posted in its thread when there is no such message.
   */
  async function deliverActionReply(action: InboundAction, reply: Reply): Promise<void> {
    const { origin, source } = action;
    const thread = origin.threadId ? { threadId: origin.threadId } : {};
    if (reply.ephemeral) {
      await outbound.postEphemeral({ channel: origin.channel, userId: origin.userId, ...thread }, reply.message);
    } else if (source) {
      await outbound.update(source, reply.message);
    } else {
      await outbound.post({ channel: origin.channel, ...thread }, reply.message);
    }
  }

  app.action(
    { type: 'block_actions', action_id: new RegExp(`^${ACTION_ID_PREFIX}`) },
    async ({ ack, body, action }) => {
      await ack();
      const fields = body as unknown as BlockActionFields;
      const value = 'value' in action && typeof action.value === 'string' ? action.value : undefined;
      const inbound = actionToInbound(fields, value);
      if (!inbound) {
        const channel = fields.channel?.id ?? fields.container?.channel_id;
        log.warn({ actionId: 'action_id' in action ? action.action_id : undefined }, 'unrecognised button value');
        if (channel) {
          await deliverQuietly(() =>
            outbound.postEphemeral(
              { channel, userId: fields.user.id },
              { text: 'This button is not recognised (an old or altered message); nothing was changed.' },
            ),
          );
        }
        return;
      }
      const reply = await handle('action', (h) => h.onAction(inbound));
      await deliverQuietly(() => deliverActionReply(inbound, reply));
    },
  );

  async function onMessageEvent(event: unknown): Promise<void> {
    const handler = deps.handler();
    const parsed = messageToInbound(event, deps.botUserId());
    if (!parsed || !handler) return;
    const { inbound, replyThreadTs } = parsed;
    let reply: Reply | undefined;
    try {
      reply = await handler.onMessage(inbound);
    } catch (error) {
      log.error({ err: error }, 'chat handler failed on a message');
      reply = errorReply(error);
    }
    if (!reply) return;
    const target = { channel: inbound.origin.channel, threadId: replyThreadTs };
    const answer = reply;
    await deliverQuietly(() =>
      answer.ephemeral
        ? outbound.postEphemeral({ ...target, userId: inbound.origin.userId }, answer.message)
        : outbound.post(target, answer.message),
    );
  }
  app.event('app_mention', async ({ event }) => onMessageEvent(event));
  app.event('message', async ({ event }) => onMessageEvent(event));
}
