/**
 * Slack as people use it, against any bot replica: signed slash commands and button clicks (the way Slack posts
 * them), and the buttons the bots have posted, read back from the fake Slack Web API. For the HA tests, where a
 * load balancer hands each request to another bot.
 */
import type { ButtonPayload } from '../../../src/chat/core/message.js';
import { type FakeSlackApi, type FakeSlackMessage, postSigned } from '../../support/fake-slack-api.js';

export interface SlackUser {
  id: string;
  name: string;
}

export interface RenderedButton {
  message: FakeSlackMessage;
  blockId: string;
  actionId: string;
  value: string;
  payload: ButtonPayload;
  label: string;
}

export class SlackDriver {
  constructor(
    private readonly slack: FakeSlackApi,
    private readonly signingSecret: string,
    private readonly channel: string,
  ) {}

  command(botUrl: string, text: string, user: SlackUser) {
    const form = {
      team_id: 'T00FAKETEAM',
      channel_id: this.channel,
      channel_name: 'ops-migrations',
      user_id: user.id,
      user_name: user.name,
      command: '/migrate',
      text,
      api_app_id: 'A00FAKEAPP1',
      response_url: this.slack.responseUrl(`cmd-${Date.now()}`),
      trigger_id: '1000000000.1000000000.scrubbed',
    };
    return postSigned(`${botUrl}/slack/events`, this.signingSecret, form);
  }

  /** Every button currently shown (the latest blocks of every message the bots posted). */
  buttons(): RenderedButton[] {
    const out: RenderedButton[] = [];
    for (const message of this.slack.messages.values()) {
      for (const block of (message.blocks ?? []) as Array<Record<string, unknown>>) {
        if (block.type !== 'actions') continue;
        for (const el of block.elements as Array<Record<string, unknown>>) {
          const value = String(el.value);
          out.push({
            message,
            blockId: String(block.block_id),
            actionId: String(el.action_id),
            value,
            payload: JSON.parse(value) as ButtonPayload,
            label: String((el.text as { text: string }).text),
          });
        }
      }
    }
    return out;
  }

  button(nonce: string, decision: ButtonPayload['decision'] = 'approve'): RenderedButton | undefined {
    return this.buttons().find((b) => b.payload.nonce === nonce && b.payload.decision === decision);
  }

  click(botUrl: string, button: RenderedButton, user: SlackUser) {
    const { message } = button;
    const body = {
      type: 'block_actions',
      team: { id: 'T00FAKETEAM', domain: 'acme' },
      user: { id: user.id, username: user.name, name: user.name, team_id: 'T00FAKETEAM' },
      api_app_id: 'A00FAKEAPP1',
      trigger_id: '1000000000.1000000001.scrubbed',
      response_url: this.slack.responseUrl(`click-${Date.now()}`),
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
          action_id: button.actionId,
          block_id: button.blockId,
          value: button.value,
          text: { type: 'plain_text', text: button.label },
          action_ts: `${Math.floor(Date.now() / 1000)}.000000`,
        },
      ],
    };
    return postSigned(`${botUrl}/slack/events`, this.signingSecret, { payload: JSON.stringify(body) });
  }

  /**
   * Posts that say the same thing in the same place twice: the same thread (or channel) and the same first line.
   * Every message the notifier posts is unique there (one parent per migration, one reply per batch, alert and
   * request, one final summary), so any repeat is a duplicate.
   */
  duplicatePosts(): string[] {
    const seen = new Map<string, number>();
    for (const call of this.slack.callsOf('chat.postMessage')) {
      if (call.status !== 200 || call.refused) continue;
      const p = call.params as Record<string, unknown>;
      const first = String(p.text ?? '').split('\n')[0];
      const key = `${String(p.channel)}|${String(p.thread_ts ?? '-')}|${first}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    return [...seen].filter(([, n]) => n > 1).map(([key, n]) => `${n}× ${key}`);
  }

  /**
   * For each duplicate, how its posts differ: the ms between them and whether their bodies are identical (a
   * client's retry of one request) or not (two handlings of the news, e.g. different approval nonces).
   */
  duplicateDetails(): string[] {
    const groups = new Map<string, Array<{ at: number; body: string }>>();
    for (const call of this.slack.callsOf('chat.postMessage')) {
      if (call.status !== 200 || call.refused) continue;
      const p = call.params as Record<string, unknown>;
      const key = `${String(p.channel)}|${String(p.thread_ts ?? '-')}|${String(p.text ?? '').split('\n')[0]}`;
      groups.set(key, [...(groups.get(key) ?? []), { at: call.at, body: JSON.stringify(p) }]);
    }
    return [...groups.values()]
      .filter((g) => g.length > 1)
      .map((g) => `+${g[1]!.at - g[0]!.at}ms ${g[1]!.body === g[0]!.body ? 'identical' : 'different'}`);
  }
}
