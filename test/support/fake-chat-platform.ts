/**
 * An in-memory ChatPlatform for tests: records every post, update and ephemeral (with each message's versions),
 * can fail calls with a 429 for a while, and delivers inbound commands, clicks and messages to the handler the
 * way an adapter would (replies included). It also provides the contract suite's probe.
 */
import type { ChatHandler, ChatPlatform, MessageRef, Reply, Target } from '../../src/chat/core/chat-platform.js';
import type { ButtonPayload, Message } from '../../src/chat/core/message.js';
import { RateLimitedError } from '../../src/chat/core/rate-limit.js';
import { renderPlainText } from '../../src/chat/core/render-text.js';
import type { Origin, Platform } from '../../src/domain/migration/events.js';
import type { ChatPlatformProbe, SeenMessage } from '../contracts/chat-platform.contract.js';

export interface FakeMessage {
  ref: MessageRef;
  threadId?: string;
  message: Message;
  /** Every version the message had, first post included. */
  versions: Message[];
  visibleTo?: string;
}

export interface FakeCall {
  op: 'post' | 'update' | 'ephemeral';
  at: number;
  ok: boolean;
  ref?: MessageRef;
  message: Message;
}

export interface FakeOptions {
  platform?: Platform;
  supportsThreads?: boolean;
  channel?: string;
  userId?: string;
}

export interface FakeChatPlatform extends ChatPlatform {
  readonly calls: FakeCall[];
  readonly channel: string;
  readonly userId: string;
  handler: ChatHandler | undefined;
  messages(): FakeMessage[];
  message(ref: MessageRef | string): FakeMessage | undefined;
  /** Replies in a thread, oldest first. */
  thread(parentId: string): FakeMessage[];
  /** The next `count` calls of `op` fail with a 429 asking to wait `retryAfterMs`. */
  rateLimit(op: 'post' | 'update', count: number, retryAfterMs: number): void;
  command(text: string, origin?: Partial<Origin>): Promise<Reply>;
  click(payload: ButtonPayload, options?: { userId?: string; source?: MessageRef }): Promise<Reply>;
  say(text: string, options?: { threadId?: string; mentioned?: boolean; userId?: string }): Promise<Reply | undefined>;
  probe(): ChatPlatformProbe;
}

export function createFakeChatPlatform(options: FakeOptions = {}): FakeChatPlatform {
  const platform = options.platform ?? 'slack';
  const supportsThreads = options.supportsThreads ?? true;
  const channel = options.channel ?? 'C-test';
  const userId = options.userId ?? 'U-user';
  const stored: FakeMessage[] = [];
  const calls: FakeCall[] = [];
  const failures = { post: { count: 0, ms: 0 }, update: { count: 0, ms: 0 } };
  let seq = 0;

  function maybeFail(op: 'post' | 'update', message: Message, ref?: MessageRef): void {
    const f = failures[op];
    if (f.count <= 0) return;
    f.count -= 1;
    calls.push({ op, at: Date.now(), ok: false, message, ...(ref ? { ref } : {}) });
    throw new RateLimitedError(f.ms, `fake ${op}: ratelimited`);
  }

  function store(target: Target, message: Message, visibleTo?: string): FakeMessage {
    seq += 1;
    const threadId = supportsThreads ? target.threadId : undefined;
    const ref: MessageRef = {
      platform,
      channel: target.channel,
      messageId: `m${seq}`,
      ...(threadId ? { threadId } : {}),
    };
    const entry: FakeMessage = {
      ref,
      message,
      versions: [message],
      ...(threadId ? { threadId } : {}),
      ...(visibleTo ? { visibleTo } : {}),
    };
    stored.push(entry);
    return entry;
  }

  function showReply(reply: Reply | undefined, origin: Origin, threadId?: string): void {
    if (!reply) return;
    const target: Target = { channel: origin.channel, ...(threadId ? { threadId } : {}) };
    store(target, reply.message, reply.ephemeral ? origin.userId : undefined);
  }

  function origin(partial: Partial<Origin> = {}): Origin {
    return { platform, channel, userId, ...partial };
  }

  function requireHandler(): ChatHandler {
    if (!fake.handler) throw new Error('fake platform not started');
    return fake.handler;
  }

  const find = (ref: MessageRef | string) =>
    stored.find((m) => m.ref.messageId === (typeof ref === 'string' ? ref : ref.messageId));

  const seen = (m: FakeMessage): SeenMessage => ({
    messageId: m.ref.messageId,
    ...(m.threadId ? { threadId: m.threadId } : {}),
    text: renderPlainText(m.message),
    buttons: (m.message.buttons ?? []).map((b) => b.label),
    ...(m.visibleTo ? { visibleTo: m.visibleTo } : {}),
  });

  const fake: FakeChatPlatform = {
    platform,
    supportsThreads,
    channel,
    userId,
    calls,
    handler: undefined,
    async start(handler) {
      fake.handler = handler;
    },
    async stop() {
      fake.handler = undefined;
    },
    async post(target, message) {
      maybeFail('post', message);
      const entry = store(target, message);
      calls.push({ op: 'post', at: Date.now(), ok: true, ref: entry.ref, message });
      return entry.ref;
    },
    async update(ref, message) {
      maybeFail('update', message, ref);
      const entry = find(ref);
      if (!entry) throw new Error(`fake update: no message ${ref.messageId}`);
      entry.message = message;
      entry.versions.push(message);
      calls.push({ op: 'update', at: Date.now(), ok: true, ref, message });
    },
    async postEphemeral(target, message) {
      store(target, message, target.userId);
      calls.push({ op: 'ephemeral', at: Date.now(), ok: true, message });
    },
    messages: () => [...stored],
    message: find,
    thread: (parentId) => stored.filter((m) => m.threadId === parentId),
    rateLimit(op, count, retryAfterMs) {
      failures[op] = { count, ms: retryAfterMs };
    },
    async command(text, partial) {
      const o = origin(partial);
      const reply = await requireHandler().onCommand({ origin: o, text });
      showReply(reply, o);
      return reply;
    },
    async click(payload, clickOptions = {}) {
      const o = origin(clickOptions.userId ? { userId: clickOptions.userId } : {});
      const reply = await requireHandler().onAction({
        origin: o,
        payload,
        ...(clickOptions.source ? { source: clickOptions.source } : {}),
      });
      showReply(reply, o, clickOptions.source?.threadId);
      return reply;
    },
    async say(text, sayOptions = {}) {
      const threadId = supportsThreads ? sayOptions.threadId : undefined;
      const o = origin({
        ...(sayOptions.userId ? { userId: sayOptions.userId } : {}),
        ...(threadId ? { threadId } : {}),
      });
      const reply = await requireHandler().onMessage({
        origin: o,
        text,
        mentioned: sayOptions.mentioned ?? false,
        ...(threadId ? { threadId } : {}),
      });
      showReply(reply, o, threadId);
      return reply;
    },
    probe() {
      return {
        lastMessages: async (limit = 20) => stored.slice(-limit).map(seen),
        messageById: async (ref) => {
          const m = find(ref);
          return m ? seen(m) : undefined;
        },
        sendCommand: async (text) => {
          await fake.command(text);
        },
        clickButton: async (ref, label) => {
          const button = find(ref)?.message.buttons?.find((b) => b.label === label);
          if (!button) throw new Error(`no button "${label}" on ${ref.messageId}`);
          await fake.click(button.payload, { source: ref });
        },
        sendMessage: async (text, sendOptions = {}) => {
          await fake.say(text, sendOptions);
        },
      };
    },
  };
  return fake;
}
