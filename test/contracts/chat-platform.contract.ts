/**
 * The shared contract every ChatPlatform adapter passes (fake, console, Slack, DingTalk).
 *
 * Usage, in a test file of your adapter:
 *
 *   import { chatPlatformContract } from '../../contracts/chat-platform.contract.js';
 *   chatPlatformContract('slack', async (handler) => {
 *     const platform = createMyPlatform(...);
 *     await platform.start(handler);               // the factory returns a STARTED platform
 *     return { platform, channel: 'C1', userId: 'U1', probe: myProbe, close: () => platform.stop() };
 *   });
 *
 * The factory is called once per test with the contract's recording handler. `probe` reads back what a user of
 * `channel` would see and injects inbound traffic exactly as the platform delivers it (a signed slash command,
 * a block_actions click, a robot message, a console POST …), acting as `userId`. Probe calls may be
 * asynchronous; the suite polls `lastMessages` / `messageById` for up to 5 s, so adapters that show things
 * late (SSE, a fake Web API) are fine.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type {
  ChatHandler,
  ChatPlatform,
  InboundAction,
  InboundCommand,
  InboundMessage,
  MessageRef,
  Reply,
} from '../../src/chat/core/chat-platform.js';
import type { Message } from '../../src/chat/core/message.js';

/** One message as a user sees it. */
export interface SeenMessage {
  messageId: string;
  /** The thread (parent message id) it sits in; undefined at channel level. */
  threadId?: string;
  /** All readable text of the message (header, fields, body, timeline, context), in any layout. */
  text: string;
  /** Labels of its buttons, in order. */
  buttons: string[];
  /** Set when only this user can see it (ephemeral, or a private 1:1 message). */
  visibleTo?: string;
}

export interface ChatPlatformProbe {
  /** The newest messages of the channel and its threads, oldest first (at least the last `limit`). */
  lastMessages(limit?: number): Promise<SeenMessage[]>;
  messageById(ref: MessageRef): Promise<SeenMessage | undefined>;
  /** The user types the command (the full text, e.g. "/migrate status pool-a") at channel level. */
  sendCommand(text: string): Promise<void>;
  /** The user clicks the button with this label on that message (confirm dialogs answered with yes). */
  clickButton(ref: MessageRef, label: string): Promise<void>;
  /** The user writes a plain message, in a thread when threadId is given, @mentioning the bot when asked. */
  sendMessage(text: string, options?: { threadId?: string; mentioned?: boolean }): Promise<void>;
}

export interface ContractSubject {
  platform: ChatPlatform;
  probe: ChatPlatformProbe;
  channel: string;
  userId: string;
  close(): Promise<void>;
}

export type ContractFactory = (handler: ChatHandler) => Promise<ContractSubject>;

class RecordingHandler implements ChatHandler {
  commands: InboundCommand[] = [];
  actions: InboundAction[] = [];
  messages: InboundMessage[] = [];

  async onCommand(command: InboundCommand): Promise<Reply> {
    this.commands.push(command);
    return { ephemeral: true, message: { text: `reply-${command.text.split(' ').pop()}` } };
  }

  async onAction(action: InboundAction): Promise<Reply> {
    this.actions.push(action);
    return { ephemeral: true, message: { text: `clicked-${action.payload.nonce}` } };
  }

  async onMessage(message: InboundMessage): Promise<Reply | undefined> {
    this.messages.push(message);
    return { ephemeral: false, message: { text: `answer-${message.text.split(' ').pop()}` } };
  }
}

/** Reads until `ok` holds (vi.waitFor, 5 s); a timeout names what was awaited and the last value read. */
function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await read();
      if (!ok(value)) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(value)}`);
      return value;
    },
    { timeout: 5_000, interval: 25 },
  );
}

let counter = 0;
const token = (what: string) => `${what}${Date.now().toString(36)}${(counter++).toString(36)}`;

export function chatPlatformContract(name: string, factory: ContractFactory): void {
  describe(`ChatPlatform contract: ${name}`, () => {
    let subject: ContractSubject | undefined;
    let handler: RecordingHandler;

    async function setUp(): Promise<ContractSubject> {
      handler = new RecordingHandler();
      subject = await factory(handler);
      return subject;
    }

    afterEach(async () => {
      await subject?.close();
      subject = undefined;
    });

    it('post returns a ref and the message is shown in the channel', async () => {
      const { platform, probe, channel } = await setUp();
      const t = token('hello');
      const ref = await platform.post({ channel }, { text: t, header: 'Header', body: [`body ${t}`] });
      expect(ref.platform).toBe(platform.platform);
      expect(ref.channel).toBe(channel);
      expect(ref.messageId).toBeTruthy();
      const seen = await eventually(
        () => probe.messageById(ref),
        (m) => !!m?.text.includes(t),
        'the posted message',
      );
      expect(seen?.threadId).toBeUndefined();
      expect(seen?.visibleTo).toBeUndefined();
    });

    it('a message longer than one platform message is shown whole (every paragraph readable)', async () => {
      const { platform, probe, channel } = await setUp();
      const t = token('long');
      const body = Array.from(
        { length: 60 },
        (_, i) => `${t}-p${i}: ${'every finding must reach the reader '.repeat(10)}`,
      );
      await platform.post({ channel }, { text: `${t} report`, header: 'Long report', body });
      await eventually(
        () => probe.lastMessages(20),
        (seen) => {
          const all = seen.map((m) => m.text).join('\n');
          return body.every((_, i) => all.includes(`${t}-p${i}:`));
        },
        'every paragraph of the long message',
      );
    });

    it('update replaces the content in place (same message, new text)', async () => {
      const { platform, probe, channel } = await setUp();
      const before = token('before');
      const after = token('after');
      const ref = await platform.post({ channel }, { text: before, body: [before] });
      await eventually(
        () => probe.messageById(ref),
        (m) => !!m?.text.includes(before),
        'the first version',
      );
      await platform.update(ref, { text: after, body: [after], progress: { done: 1, total: 2 } });
      const seen = await eventually(
        () => probe.messageById(ref),
        (m) => !!m?.text.includes(after),
        'the update',
      );
      expect(seen?.text).not.toContain(before);
      const all = await probe.lastMessages(50);
      expect(all.filter((m) => m.text.includes(before) || m.text.includes(after))).toHaveLength(1);
    });

    it('a reply posted with threadId lands under its parent (where threads exist)', async () => {
      const { platform, probe, channel } = await setUp();
      const parentText = token('parent');
      const replyText = token('reply');
      const parent = await platform.post({ channel }, { text: parentText });
      const reply = await platform.post(
        { channel, threadId: parent.threadId ?? parent.messageId },
        { text: replyText, body: [replyText] },
      );
      const seen = await eventually(
        () => probe.messageById(reply),
        (m) => !!m?.text.includes(replyText),
        'reply',
      );
      if (platform.supportsThreads) expect(seen?.threadId).toBe(parent.threadId ?? parent.messageId);
      const parentSeen = await probe.messageById(parent);
      expect(parentSeen?.threadId).toBeUndefined();
    });

    it('an ephemeral message is shown only to its user', async () => {
      const { platform, probe, channel, userId } = await setUp();
      const t = token('secret');
      await platform.postEphemeral({ channel, userId }, { text: t });
      const seen = await eventually(
        () => probe.lastMessages(20),
        (all) => all.some((m) => m.text.includes(t)),
        'the ephemeral message',
      );
      const message = seen.find((m) => m.text.includes(t));
      expect(message?.visibleTo).toBe(userId);
    });

    it('an inbound command reaches the handler with its origin, and the reply is shown to the user', async () => {
      const { platform, probe, channel, userId } = await setUp();
      const pool = token('pool');
      await probe.sendCommand(`/migrate status ${pool}`);
      await eventually(
        async () => handler.commands.length,
        (n) => n > 0,
        'the command',
      );
      const command = handler.commands[0]!;
      expect(command.text).toContain(`status ${pool}`);
      expect(command.origin).toMatchObject({ platform: platform.platform, channel, userId });
      const seen = await eventually(
        () => probe.lastMessages(20),
        (all) => all.some((m) => m.text.includes(`reply-${pool}`)),
        'the command reply',
      );
      const reply = seen.find((m) => m.text.includes(`reply-${pool}`));
      expect(reply?.visibleTo === undefined || reply.visibleTo === userId).toBe(true);
    });

    it('a button click reaches onAction with the exact payload', async () => {
      const { platform, probe, channel, userId } = await setUp();
      const nonce = token('nonce');
      const message: Message = {
        text: 'Approve batch 2?',
        header: 'Batch 2 needs approval',
        buttons: [
          {
            label: 'Approve batch 2',
            style: 'primary',
            payload: { decision: 'approve', migrationId: 'mig-pool-a-01J', nonce, batch: 2 },
          },
          {
            label: 'Reject',
            style: 'danger',
            payload: { decision: 'reject', migrationId: 'mig-pool-a-01J', nonce, batch: 2 },
            confirm: { title: 'Reject?', text: 'Sure?', confirm: 'Reject', deny: 'Cancel' },
          },
        ],
      };
      const ref = await platform.post({ channel }, message);
      const seen = await eventually(
        () => probe.messageById(ref),
        (m) => (m?.buttons.length ?? 0) === 2,
        'buttons',
      );
      expect(seen?.buttons).toEqual(['Approve batch 2', 'Reject']);
      await probe.clickButton(ref, 'Reject');
      await eventually(
        async () => handler.actions.length,
        (n) => n > 0,
        'the click',
      );
      const action = handler.actions[0]!;
      expect(action.payload).toEqual(message.buttons![1]!.payload);
      expect(action.origin).toMatchObject({ platform: platform.platform, userId });
      if (action.source) expect(action.source.messageId).toBe(ref.messageId);
    });

    it('a plain message reaches onMessage with its thread, and the answer is shown there', async () => {
      const { platform, probe, channel, userId } = await setUp();
      const parent = await platform.post({ channel }, { text: token('thread') });
      const threadId = parent.threadId ?? parent.messageId;
      const q = token('q');
      await probe.sendMessage(`can we roll back ${q}`, { threadId, mentioned: true });
      await eventually(
        async () => handler.messages.length,
        (n) => n > 0,
        'the message',
      );
      const inbound = handler.messages[0]!;
      expect(inbound.text).toContain(`can we roll back ${q}`);
      expect(inbound.origin).toMatchObject({ platform: platform.platform, channel, userId });
      expect(inbound.mentioned).toBe(true);
      if (platform.supportsThreads) expect(inbound.threadId).toBe(threadId);
      const seen = await eventually(
        () => probe.lastMessages(20),
        (all) => all.some((m) => m.text.includes(`answer-${q}`)),
        'the answer',
      );
      const answer = seen.find((m) => m.text.includes(`answer-${q}`));
      if (platform.supportsThreads) expect(answer?.threadId).toBe(threadId);
    });
  });
}
