/**
 * The web console: a third ChatPlatform, served as a small page by the bot's HTTP server. One channel with
 * threads; the bot's messages are rendered in the browser from the same Message model as Slack and DingTalk;
 * buttons, a command box and a reply box per thread talk back over plain POSTs; live updates use SSE.
 *
 * There is no login: whoever reaches the page acts as the configured console user (console approvers are listed
 * under `approvers.console`, docs/contracts.md#config-file-ack_migrate_config), so bind the bot to loopback or put
 * it behind your own proxy auth.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../../errors.js';
import { secretMasker } from '../../log/secret-mask.js';
import type { ChatHandler, ChatPlatform, EditPolicy, MessageRef, Reply } from '../core/chat-platform.js';
import { type ConsoleStore, createConsoleStore } from './console-store.js';
import { handleConsoleRequest } from './http-routes.js';

export interface ConsoleOptions {
  /** The console user's id (default "operator"). */
  userId?: string;
  /** The channel id used in origins and refs (default "console"). */
  channel?: string;
  /** Messages kept in memory (default 1000); the oldest threads go first. */
  maxMessages?: number;
  /**
   * Let a page act as another user with `?user=NAME` (demos of requester ≠ approver). Off by default: with it on,
   * anyone reaching the page can claim to be an approver.
   */
  allowUserSwitch?: boolean;
  /** Keep the channel in this JSON file across restarts (the demo's ./.data/console.json). */
  stateFile?: string;
  /** Host names the page may be reached by (default: loopback only; add yours when serving it behind a proxy). */
  allowedHosts?: readonly string[];
  /**
   * The process's own secrets (config.secrets). What people type is shown in the channel and kept in `stateFile`,
   * so it goes through the one secret masker first (token shapes always, these by value).
   */
  secrets?: readonly string[];
}

export const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'] as const;

export interface ConsolePlatform extends ChatPlatform {
  readonly userId: string;
  readonly channel: string;
  /** What a (re)loading page is shown: every message the user may see. */
  state(userId?: string): ReturnType<ConsoleStore['visibleTo']>;
}

export interface ConsoleServer {
  platform: ConsolePlatform;
  /** Serves `/`, `/console/*`; returns false for any other path so the host server can route it. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

const LATE_FAILED = { text: 'That command failed after its first answer; see `/migrate status`.' };

/** The local console has no rate limits: edits show nearly live. */
const CONSOLE_EDITS: EditPolicy = { minIntervalMs: 250, stepIntervalMs: 750 };

export function createConsolePlatform(options: ConsoleOptions = {}): ConsoleServer {
  const userId = options.userId ?? 'operator';
  const channel = options.channel ?? 'console';
  const store = createConsoleStore(options.maxMessages ?? 1000, options.stateFile);
  let handler: ChatHandler | undefined;
  const mask = secretMasker(options.secrets);

  const refOf = (id: string, threadId?: string): MessageRef => ({
    platform: 'console',
    channel,
    messageId: id,
    ...(threadId ? { threadId } : {}),
  });

  /** A thread hangs off a top-level message; replying to a reply lands in the same thread. */
  function rootOf(threadId: string | undefined): string | undefined {
    if (!threadId) return undefined;
    const parent = store.get(threadId);
    return parent?.threadId ?? threadId;
  }

  const platform: ConsolePlatform = {
    platform: 'console',
    supportsThreads: true,
    editPolicy: CONSOLE_EDITS,
    userId,
    channel,
    async start(h) {
      handler = h;
    },
    async stop() {
      handler = undefined;
      store.closeAll();
    },
    async post(target, message) {
      const threadId = rootOf(target.threadId);
      const entry = store.add({
        channel: target.channel,
        author: { kind: 'bot' },
        message,
        ...(threadId ? { threadId } : {}),
      });
      return refOf(entry.id, entry.threadId);
    },
    async update(ref, message) {
      if (!store.replace(ref.messageId, message)) {
        throw new AppError('CHAT_API', `console message ${ref.messageId} no longer exists`, { retryable: false });
      }
    },
    async postEphemeral(target, message) {
      const threadId = rootOf(target.threadId);
      store.add({
        channel: target.channel,
        author: { kind: 'bot' },
        message,
        visibleTo: target.userId,
        ...(threadId ? { threadId } : {}),
      });
    },
    state: (user = userId) => store.visibleTo(user),
  };

  function showReply(reply: Reply | undefined, user: string, threadId: string | undefined): void {
    if (!reply) return;
    // A holding answer ("still working"): the real one is shown where it would have been, once it is ready.
    reply.later?.then(
      (late) => showReply(late, user, threadId),
      () => showReply({ ephemeral: true, message: LATE_FAILED }, user, threadId),
    );
    store.add({
      channel,
      author: { kind: 'bot' },
      message: reply.message,
      ...(reply.ephemeral ? { visibleTo: user } : {}),
      ...(threadId ? { threadId } : {}),
    });
  }

  function userEntry(user: string, text: string, threadId: string | undefined): void {
    store.add({
      channel,
      author: { kind: 'user', userId: user },
      message: { text },
      ...(threadId ? { threadId } : {}),
    });
  }

  const handle = (req: IncomingMessage, res: ServerResponse): boolean =>
    handleConsoleRequest(req, res, {
      defaultUser: userId,
      allowedHosts: options.allowedHosts ?? LOOPBACK_HOSTS,
      allowUserSwitch: options.allowUserSwitch ?? false,
      store,
      handler: () => handler,
      async command(user, typed) {
        const h = requireHandler(handler);
        const text = mask(typed);
        userEntry(user, text, undefined);
        showReply(await h.onCommand({ origin: { platform: 'console', channel, userId: user }, text }), user, undefined);
      },
      async action(user, payload, messageId) {
        const h = requireHandler(handler);
        const source = messageId ? store.get(messageId) : undefined;
        const reply = await h.onAction({
          origin: { platform: 'console', channel, userId: user },
          payload,
          ...(source ? { source: refOf(source.id, source.threadId) } : {}),
        });
        showReply(reply, user, source?.threadId ?? source?.id);
      },
      async message(user, typed, threadId) {
        const h = requireHandler(handler);
        const text = mask(typed);
        const thread = rootOf(threadId);
        userEntry(user, text, thread);
        const reply = await h.onMessage({
          origin: { platform: 'console', channel, userId: user, ...(thread ? { threadId: thread } : {}) },
          text,
          mentioned: /(^|\s)@(bot|ack-migrate)\b/i.test(text),
          ...(thread ? { threadId: thread } : {}),
        });
        showReply(reply, user, thread);
      },
    });

  return { platform, handle };
}

function requireHandler(handler: ChatHandler | undefined): ChatHandler {
  if (!handler) throw new AppError('NOT_AVAILABLE', 'the console is not started yet');
  return handler;
}
