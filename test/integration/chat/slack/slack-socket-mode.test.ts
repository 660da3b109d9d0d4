import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChatHandler, InboundAction, InboundCommand } from '../../../../src/chat/core/chat-platform.js';
import { createSlackPlatform, type SlackPlatform } from '../../../../src/chat/slack/slack-platform.js';
import { createLogger } from '../../../../src/log/logger.js';
import { type FakeSlackApi, startFakeSlackApi } from '../../../support/fake-slack-api.js';

const APP_TOKEN = 'xapp-1-FAKE-app-token-0042';
const BOT_TOKEN = 'xoxb-0000-fake-bot-token-9a9a';
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/slack/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

let fake: FakeSlackApi;
let platform: SlackPlatform;
const commands: InboundCommand[] = [];
const actions: InboundAction[] = [];
const logLines: string[] = [];

const handler: ChatHandler = {
  async onCommand(c) {
    commands.push(c);
    return { ephemeral: true, message: { text: `Queued: ${c.text}` } };
  },
  async onAction(a) {
    actions.push(a);
    return { ephemeral: true, message: { text: 'Approved' } };
  },
  async onMessage() {
    return undefined;
  },
};

beforeAll(async () => {
  fake = await startFakeSlackApi();
  const destination = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  platform = createSlackPlatform({
    config: { botToken: BOT_TOKEN, signingSecret: undefined, appToken: APP_TOKEN, apiUrl: fake.apiUrl },
    logger: createLogger({ level: 'debug', destination }),
  });
  await platform.start(handler);
  await fake.socketConnected();
});

afterAll(async () => {
  await platform?.stop();
  await fake?.close();
});

describe('Slack adapter in Socket Mode (fake apps.connections.open + WebSocket)', () => {
  it('is in socket mode with no HTTP route, and opened the connection with the app token', () => {
    expect(platform.mode).toBe('socket');
    expect(platform.route).toBeUndefined();
    const open = fake.callsOf('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.headers.authorization).toBe(`Bearer ${APP_TOKEN}`);
    expect(fake.callsOf('auth.test')[0]!.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
  });

  it('acknowledges a slash command envelope with the Reply as its payload', async () => {
    const ack = await fake.pushEnvelope({
      envelope_id: 'env-cmd-1',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: { ...fixture('slash-command.json'), text: 'plan pool-b' },
    });
    expect(commands.map((c) => c.text)).toEqual(['plan pool-b']);
    expect(ack).toMatchObject({
      envelope_id: 'env-cmd-1',
      payload: { response_type: 'ephemeral', text: 'Queued: plan pool-b' },
    });
  });

  it('delivers a block_actions click to onAction with the exact payload', async () => {
    const ack = await fake.pushEnvelope({
      envelope_id: 'env-act-1',
      type: 'interactive',
      accepts_response_payload: false,
      payload: fixture('block-actions.json'),
    });
    expect(ack.envelope_id).toBe('env-act-1');
    await vi.waitFor(() => expect(actions).toHaveLength(1));
    expect(actions[0]!.payload).toEqual({
      decision: 'approve',
      migrationId: '01JFAKEMIGRATION0000000000',
      nonce: 'n0nce3',
      batch: 3,
    });
    await vi.waitFor(() => expect(fake.callsOf('chat.postEphemeral')).toHaveLength(1));
  });

  it('keeps both tokens out of the logs', () => {
    const all = logLines.join('');
    expect(all).not.toContain(APP_TOKEN);
    expect(all).not.toContain(BOT_TOKEN);
  });
});
