/**
 * The contract suite's probe for the Slack adapter: reads what a user would see from the fake Web API (posted,
 * edited and ephemeral messages) and from the HTTP answers, and injects traffic exactly as Slack sends it
 * (signed form posts for commands and clicks, signed JSON event callbacks for messages).
 */
import type { MessageRef } from '../../../../src/chat/core/chat-platform.js';
import type { ChatPlatformProbe, SeenMessage } from '../../../contracts/chat-platform.contract.js';
import { FAKE_BOT, type FakeSlackApi, postSigned, postSignedEvent } from '../../../support/fake-slack-api.js';

interface Block {
  type: string;
  block_id?: string;
  text?: { text?: string };
  fields?: Array<{ text?: string }>;
  elements?: Array<{ type?: string; text?: string | { text?: string }; action_id?: string; value?: string }>;
}

const unescapeMrkdwn = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Everything a person can read in a message: fallback text, header, sections, fields, context. */
export function readableText(text: string | undefined, blocks: unknown[] | undefined): string {
  const parts: string[] = [text ?? ''];
  for (const b of (blocks ?? []) as Block[]) {
    if (b.text?.text) parts.push(b.text.text);
    for (const f of b.fields ?? []) if (f.text) parts.push(f.text);
    if (b.type === 'context') for (const e of b.elements ?? []) if (typeof e.text === 'string') parts.push(e.text);
  }
  return unescapeMrkdwn(parts.join('\n'));
}

export function buttonsOf(
  blocks: unknown[] | undefined,
): Array<{ label: string; block: Block; element: NonNullable<Block['elements']>[number] }> {
  const out: Array<{ label: string; block: Block; element: NonNullable<Block['elements']>[number] }> = [];
  for (const b of (blocks ?? []) as Block[]) {
    if (b.type !== 'actions') continue;
    for (const e of b.elements ?? []) {
      if (e.type === 'button' && typeof e.text === 'object' && e.text?.text)
        out.push({ label: e.text.text, block: b, element: e });
    }
  }
  return out;
}

export function createSlackProbe(options: {
  fake: FakeSlackApi;
  eventsUrl: string;
  signingSecret: string;
  channel: string;
  userId: string;
}): ChatPlatformProbe {
  const { fake, eventsUrl, signingSecret, channel, userId } = options;
  const commandReplies: Array<SeenMessage & { ts: string }> = [];
  let n = 0;

  function seen(): Array<SeenMessage & { ts: string }> {
    const out: Array<SeenMessage & { ts: string }> = [];
    for (const m of fake.messages.values()) {
      if (m.channel !== channel) continue;
      out.push({
        ts: m.ts,
        messageId: m.ts,
        ...(m.threadTs ? { threadId: m.threadTs } : {}),
        text: readableText(m.text, m.blocks),
        buttons: buttonsOf(m.blocks).map((b) => b.label),
      });
    }
    for (const e of fake.ephemerals) {
      if (e.channel !== channel) continue;
      out.push({
        ts: e.ts,
        messageId: e.ts,
        ...(e.threadTs ? { threadId: e.threadTs } : {}),
        text: readableText(e.text, e.blocks),
        buttons: buttonsOf(e.blocks).map((b) => b.label),
        visibleTo: e.user,
      });
    }
    // Answers that arrived late through response_url (a slow handler).
    for (const r of fake.responses) {
      const body = r.body as { text?: string; blocks?: unknown[]; response_type?: string };
      out.push({
        ts: r.path,
        messageId: r.path,
        text: readableText(body.text, body.blocks),
        buttons: buttonsOf(body.blocks).map((b) => b.label),
        ...(body.response_type === 'ephemeral' ? { visibleTo: userId } : {}),
      });
    }
    out.push(...commandReplies);
    return out.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  }

  return {
    async lastMessages(limit = 20) {
      return seen()
        .slice(-limit)
        .map(({ ts: _ts, ...m }) => m);
    },

    async messageById(ref: MessageRef) {
      const found = seen().find((m) => m.messageId === ref.messageId);
      if (!found) return undefined;
      const { ts: _ts, ...m } = found;
      return m;
    },

    async sendCommand(text: string) {
      const [command = '/migrate', ...rest] = text.trim().split(/\s+/);
      n += 1;
      const res = await postSigned(eventsUrl, signingSecret, {
        team_id: FAKE_BOT.teamId,
        channel_id: channel,
        channel_name: 'ops-migrations',
        user_id: userId,
        user_name: 'probe-user',
        command,
        text: rest.join(' '),
        response_url: fake.responseUrl(`cmd-${n}`),
        trigger_id: `trigger-${n}`,
      });
      if (res.status !== 200) throw new Error(`slash command answered HTTP ${res.status}`);
      const body = res.json as { text?: string; blocks?: unknown[]; response_type?: string } | undefined;
      if (!body) return;
      const ts = fake.nextTs();
      commandReplies.push({
        ts,
        messageId: `command-reply-${ts}`,
        text: readableText(body.text, body.blocks),
        buttons: buttonsOf(body.blocks).map((b) => b.label),
        ...(body.response_type === 'ephemeral' ? { visibleTo: userId } : {}),
      });
    },

    async clickButton(ref: MessageRef, label: string) {
      const message = fake.messages.get(ref.messageId);
      const button = buttonsOf(message?.blocks).find((b) => b.label === label);
      if (!message || !button) throw new Error(`no button "${label}" on message ${ref.messageId}`);
      n += 1;
      const payload = {
        type: 'block_actions',
        team: { id: FAKE_BOT.teamId, domain: 'acme' },
        user: { id: userId, username: 'probe-user', name: 'probe-user', team_id: FAKE_BOT.teamId },
        api_app_id: 'A00FAKEAPP1',
        token: 'scrubbed-verification-token',
        trigger_id: `trigger-${n}`,
        response_url: fake.responseUrl(`click-${n}`),
        container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
        channel: { id: message.channel, name: 'ops-migrations' },
        message: {
          type: 'message',
          ts: message.ts,
          ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
          text: message.text,
          blocks: message.blocks,
        },
        actions: [
          {
            type: 'button',
            action_id: button.element.action_id,
            block_id: button.block.block_id,
            value: button.element.value,
            text: { type: 'plain_text', text: label },
            action_ts: fake.nextTs(),
          },
        ],
      };
      const res = await postSigned(eventsUrl, signingSecret, { payload: JSON.stringify(payload) });
      if (res.status !== 200) throw new Error(`click answered HTTP ${res.status}`);
    },

    async sendMessage(text: string, opts: { threadId?: string; mentioned?: boolean } = {}) {
      const ts = fake.nextTs();
      const body = opts.mentioned ? `<@${FAKE_BOT.userId}> ${text}` : text;
      const event = (type: string, id: string) => ({
        token: 'scrubbed-verification-token',
        team_id: FAKE_BOT.teamId,
        api_app_id: 'A00FAKEAPP1',
        type: 'event_callback',
        event_id: id,
        event_time: Math.floor(Date.now() / 1000),
        event: {
          type,
          user: userId,
          text: body,
          ts,
          channel,
          event_ts: ts,
          ...(type === 'message' ? { channel_type: 'channel' } : {}),
          ...(opts.threadId ? { thread_ts: opts.threadId } : {}),
        },
      });
      n += 1;
      // Slack sends a mention twice: as message.channels and as app_mention. The adapter must answer once.
      const first = await postSignedEvent(eventsUrl, signingSecret, event('message', `Ev${n}a`));
      if (first.status !== 200) throw new Error(`message event answered HTTP ${first.status}`);
      if (opts.mentioned) {
        const second = await postSignedEvent(eventsUrl, signingSecret, event('app_mention', `Ev${n}b`));
        if (second.status !== 200) throw new Error(`app_mention event answered HTTP ${second.status}`);
      }
    },
  };
}
