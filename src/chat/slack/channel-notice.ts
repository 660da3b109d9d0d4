/**
 * A slash command works in any channel, but the bot can post only where it was invited (chat:write, no
 * chat:write.public): Slack answers `not_in_channel` (or `channel_not_found` for a private channel). Retrying
 * cannot fix that, so whoever ran a command there recently is told, through the command's response_url (valid
 * for 30 minutes, and it needs no membership), to `/invite` the bot. Once per person and channel.
 */
import type { RespondFn } from '@slack/bolt';
import { isAppError } from '../../errors.js';

const NOT_THERE = new Set(['not_in_channel', 'channel_not_found']);
/** Slack's response_url lives 30 minutes. */
const RESPONSE_URL_TTL_MS = 30 * 60_000;

export function isNotInChannel(error: unknown): boolean {
  return isAppError(error) && NOT_THERE.has(String(error.details.slackError));
}

interface Commander {
  userId: string;
  respond: RespondFn;
  at: number;
  told: boolean;
}

export class ChannelNotice {
  private readonly recent = new Map<string, Commander[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A slash command came from `channel`; keep how to answer its author. */
  note(channel: string, userId: string, respond: RespondFn): void {
    const now = this.now();
    const list = (this.recent.get(channel) ?? []).filter(
      (c) => c.userId !== userId && now - c.at < RESPONSE_URL_TTL_MS,
    );
    list.push({ userId, respond, at: now, told: false });
    this.recent.delete(channel);
    this.recent.set(channel, list.slice(-20));
    // Bounded: the oldest channels go first.
    while (this.recent.size > 500) this.recent.delete(this.recent.keys().next().value as string);
  }

  /** Tells each recent commander of the channel, once, to invite the bot; resolves with how many were told. */
  async tell(channel: string, botUserId: string | undefined): Promise<number> {
    const now = this.now();
    const who = botUserId ? `<@${botUserId}>` : '@ack-migrate';
    let told = 0;
    for (const c of this.recent.get(channel) ?? []) {
      if (c.told || now - c.at >= RESPONSE_URL_TTL_MS) continue;
      c.told = true;
      await c
        .respond({
          response_type: 'ephemeral',
          replace_original: false,
          text:
            `:warning: I cannot post in <#${channel}>: I am not a member of it, so the answer to your command ` +
            `could not be shown. Invite me with \`/invite ${who}\` there, then run the command again.`,
        })
        .then(() => told++)
        .catch(() => undefined);
    }
    return told;
  }
}
