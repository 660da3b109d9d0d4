/**
 * The port every chat platform implements (Slack, DingTalk, the web console, and the fake used by tests).
 * Adapters do transport only: turn their wire format into InboundCommand/InboundAction/InboundMessage, hand them
 * to the ChatHandler, and render Messages back.
 */
import type { Origin, Platform } from '../../domain/migration/events.js';
import type { ButtonPayload, Message } from './message.js';

export interface Target {
  channel: string;
  /** Reply under this thread (Slack thread_ts, console thread id). Platforms without threads ignore it. */
  threadId?: string;
  /**
   * Posts only: the message's name in the post ledger, and whether an earlier try may have posted it already
   * (it failed without knowing). A platform that can tell looks for it before posting (src/chat/slack/post-once.ts).
   */
  post?: { key: string; mayExist: boolean };
}

export interface MessageRef {
  platform: Platform;
  channel: string;
  /** Slack ts, DingTalk card/out-track id or message id, console message id. */
  messageId: string;
  threadId?: string;
}

/** What an adapter answers right away (Slack's ack response, DingTalk's reply, the console's POST answer). */
export interface Reply {
  /** Shown only to the person who asked (ephemeral) when the platform supports it. */
  ephemeral: boolean;
  message: Message;
  /**
   * Set when `message` only says "still working": the real answer, for the adapter to deliver when it is ready
   * (Slack through response_url, DingTalk as a message, the console in the channel), so a slow answer is late,
   * never lost.
   */
  later?: Promise<Reply>;
}

export interface InboundCommand {
  origin: Origin;
  text: string;
}

export interface InboundAction {
  origin: Origin;
  payload: ButtonPayload;
  /** The message the button was on, so the adapter's answer can update it. */
  source?: MessageRef;
}

export interface InboundMessage {
  origin: Origin;
  text: string;
  /** Set when the message was posted inside a thread (or on a migration's card). */
  threadId?: string;
  /** True when the bot was @mentioned. */
  mentioned: boolean;
}

export interface ChatHandler {
  onCommand(command: InboundCommand): Promise<Reply>;
  onAction(action: InboundAction): Promise<Reply>;
  /** A plain message: answered (FAQ) when it mentions the bot or sits in a migration thread; else ignored. */
  onMessage(message: InboundMessage): Promise<Reply | undefined>;
}

/**
 * How often the notifier may edit one message on this platform. Rate-limited platforms leave it unset (the
 * notifier's defaults: 1 s between edits, node-step edits every 15 s); the local console edits live.
 */
export interface EditPolicy {
  /** At most one edit per message per this many ms. */
  minIntervalMs?: number;
  /** Low-value edits (a node moved one step) wait up to this long to ride along with the next one. */
  stepIntervalMs?: number;
}

export interface ChatPlatform {
  readonly platform: Platform;
  /** False for DingTalk: one card per migration, updated in place, instead of a thread. */
  readonly supportsThreads: boolean;
  readonly editPolicy?: EditPolicy;
  start(handler: ChatHandler): Promise<void>;
  stop(): Promise<void>;
  /** For /readyz: whether a connection the platform depends on is up (DingTalk Stream); absent means always. */
  connected?(): boolean;
  post(target: Target, message: Message): Promise<MessageRef>;
  update(ref: MessageRef, message: Message): Promise<void>;
  postEphemeral(target: Target & { userId: string }, message: Message): Promise<void>;
}
