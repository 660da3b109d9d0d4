import { DWClient, TOPIC_CARD, TOPIC_ROBOT } from 'dingtalk-stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
  ChatHandler,
  InboundAction,
  InboundCommand,
  InboundMessage,
} from '../../../../src/chat/core/chat-platform.js';
import { createDingTalkPlatform, type DingTalkPlatform } from '../../../../src/chat/dingtalk/dingtalk-platform.js';
import { signDingTalk } from '../../../../src/chat/dingtalk/sign.js';
import type { DingTalkConfig } from '../../../../src/config/load-config.js';
import { type RunningHttpServer, startHttpServer } from '../../../../src/http/http-server.js';
import { createLogger } from '../../../../src/log/logger.js';
import { createMetrics } from '../../../../src/metrics/metrics.js';
import { FakeDingTalkApi } from '../../../support/fake-dingtalk-api.js';

class RecordingHandler implements ChatHandler {
  commands: InboundCommand[] = [];
  actions: InboundAction[] = [];
  messages: InboundMessage[] = [];
  async onCommand(c: InboundCommand) {
    this.commands.push(c);
    return { ephemeral: false, message: { text: `got: ${c.text}`, header: 'Precheck of pool-a' } };
  }
  async onAction(a: InboundAction) {
    this.actions.push(a);
    if (a.origin.userId !== 'manager4711')
      return { ephemeral: true, message: { text: 'You are not an approver for c-demo.' } };
    return { ephemeral: false, message: { text: 'Batch 1 approved by manager4711' } };
  }
  async onMessage(m: InboundMessage) {
    this.messages.push(m);
    return { ephemeral: false, message: { text: 'No rollback: the old system disk is gone.' } };
  }
}

const robotMessage = (text: string, msgId: string) => ({
  conversationId: 'cidGroup1==',
  chatbotCorpId: 'dingcorp',
  chatbotUserId: '$:LWCP_v1:$bot',
  msgId,
  senderNick: 'Li Lei',
  isAdmin: false,
  senderStaffId: 'staff001',
  sessionWebhookExpiredTime: Date.now() + 5_400_000,
  createAt: Date.now(),
  senderCorpId: 'dingcorp',
  conversationType: '2',
  senderId: '$:LWCP_v1:$abc',
  sessionWebhook: 'http://127.0.0.1:1/unused',
  robotCode: 'dingrobot',
  msgtype: 'text',
  text: { content: ` ${text}` },
  isInAtList: true,
});

const frame = (topic: string, messageId: string, data: unknown) =>
  JSON.stringify({
    specVersion: '1.0',
    type: 'CALLBACK',
    headers: { topic, messageId, contentType: 'application/json' },
    data: JSON.stringify(data),
  });

describe('DingTalk adapter', () => {
  const fake = new FakeDingTalkApi({ appKey: 'ding-app', appSecret: 'ding-secret-123456' });
  let config: DingTalkConfig;
  let platform: DingTalkPlatform;
  let handler: RecordingHandler;
  let acks: Array<{ messageId: string; value: unknown }>;
  let http: RunningHttpServer;

  beforeAll(async () => {
    const url = await fake.start();
    config = {
      clientId: 'ding-app',
      clientSecret: 'ding-secret-123456',
      robotCode: 'dingrobot',
      mode: 'stream',
      apiUrl: url,
      cardTemplateId: 'tpl-123.schema',
    };
  });
  beforeEach(async () => {
    handler = new RecordingHandler();
    acks = [];
    const stream = new DWClient({ clientId: config.clientId, clientSecret: config.clientSecret });
    // The SDK answers every callback through send(); record what it would put on the socket.
    stream.send = (messageId: string, value: unknown) => {
      acks.push({ messageId, value });
    };
    platform = createDingTalkPlatform({ config, logger: createLogger({ level: 'silent' }), stream, connect: false });
    await platform.start(handler);
  });
  afterAll(async () => {
    await http?.close();
    await fake.stop();
  });

  it('takes "@bot /migrate precheck pool-a" from the Stream downstream handler, acks it, and answers in the group', async () => {
    platform.stream.onDownStream(frame(TOPIC_ROBOT, 'm-1', robotMessage('@ack-bot /migrate precheck pool-a', 'msg-1')));
    await expect.poll(() => fake.shown.length).toBeGreaterThan(0);
    expect(acks.map((a) => a.messageId)).toContain('m-1');
    expect(handler.commands[0]).toMatchObject({
      text: '/migrate precheck pool-a',
      origin: { platform: 'dingtalk', channel: 'cidGroup1==', userId: 'staff001', userName: 'Li Lei' },
    });
    const last = fake.cards.get(fake.shown.at(-1)!.id)!;
    expect(last.openSpaceId).toBe('dtv1.card//IM_GROUP.cidGroup1==');
    expect(last.params.title).toContain('Precheck of pool-a');
  });

  it('treats a plain question to the bot as a message (FAQ), not a command', async () => {
    platform.stream.onDownStream(frame(TOPIC_ROBOT, 'm-2', robotMessage('@ack-bot 迁移后可以回滚吗', 'msg-2')));
    await expect.poll(() => handler.messages.length).toBe(1);
    expect(handler.messages[0]).toMatchObject({ text: '迁移后可以回滚吗', mentioned: true });
    expect(handler.commands).toHaveLength(0);
  });

  it('creates a card for a message with buttons and updates it in place', async () => {
    const ref = await platform.post(
      { channel: 'cidGroup1==' },
      {
        text: 'Batch 1 of pool-a awaits approval',
        header: 'pool-a: batch 1 awaits approval',
        progress: { done: 0, total: 6 },
        buttons: [
          {
            label: 'Approve',
            style: 'primary',
            payload: { decision: 'approve', migrationId: 'mig-pool-a-1', nonce: 'n1', batch: 1 },
          },
        ],
      },
    );
    const outTrackId = ref.messageId.replace(/^card:/, '');
    const card = fake.cards.get(outTrackId)!;
    expect(card.openSpaceId).toBe('dtv1.card//IM_GROUP.cidGroup1==');
    expect(JSON.parse(card.params.buttons!)[0].params.payload).toContain('"nonce":"n1"');
    await platform.update(ref, { text: 'done', header: 'pool-a: completed', progress: { done: 6, total: 6 } });
    expect(fake.cards.get(outTrackId)!.params.title).toBe('pool-a: completed');
    expect(fake.cards.get(outTrackId)!.params.progress).toContain('6/6');
  });

  it('delivers a card click to onAction with the exact payload, and answers the callback with a card update', async () => {
    const ref = await platform.post(
      { channel: 'cidGroup1==' },
      {
        text: 'approve?',
        buttons: [{ label: 'Approve', payload: { decision: 'approve', migrationId: 'mig-x', nonce: 'n2', batch: 2 } }],
      },
    );
    const outTrackId = ref.messageId.replace(/^card:/, '');
    const payload = JSON.parse(JSON.parse(fake.cards.get(outTrackId)!.params.buttons!)[0].params.payload);
    const click = {
      type: 'actionCallback',
      userId: 'manager4711',
      corpId: 'dingcorp',
      outTrackId,
      content: JSON.stringify({
        cardPrivateData: { actionIds: ['approve'], params: { payload: JSON.stringify(payload) } },
      }),
    };
    platform.stream.onDownStream(frame(TOPIC_CARD, 'c-1', click));
    await expect.poll(() => acks.find((a) => a.messageId === 'c-1')).toBeTruthy();
    expect(handler.actions[0]).toMatchObject({
      origin: { platform: 'dingtalk', channel: 'cidGroup1==', userId: 'manager4711' },
      payload: { decision: 'approve', migrationId: 'mig-x', nonce: 'n2', batch: 2 },
    });
    expect(JSON.stringify(acks.find((a) => a.messageId === 'c-1')!.value)).toContain('Batch 1 approved');
  });

  it("tells a non-approver one-to-one, and leaves the card's buttons alone", async () => {
    const before = fake.messages().length;
    const click = {
      userId: 'intern42',
      outTrackId: 'ackm.Y2lkR3JvdXAxPT0.abc',
      content: JSON.stringify({
        cardPrivateData: {
          params: { payload: JSON.stringify({ decision: 'approve', migrationId: 'mig-x', nonce: 'n3' }) },
        },
      }),
    };
    const answer = await platform.handleCardCallback(click);
    expect(answer).toEqual({});
    const msg = fake.messages().slice(before).at(-1)!;
    expect(msg.to).toBe('oto:intern42');
    expect(msg.text).toContain('not an approver');
  });

  it('refetches the access token once when DingTalk rejects it', async () => {
    fake.revokeTokens();
    const ref = await platform.post({ channel: 'cidGroup1==' }, { text: 'hello again' });
    expect(fake.cards.get(ref.messageId.replace(/^card:/, ''))!.params.text).toBe('hello again');
  });

  describe('HTTP callback mode', () => {
    beforeAll(async () => {
      http = await startHttpServer({
        port: 0,
        host: '127.0.0.1',
        // Each test makes a new platform; route to the current one.
        routes: [(req, res) => platform.httpRoute()(req, res)],
        readiness: [],
        metrics: createMetrics({ defaultMetrics: false }),
        logger: createLogger({ level: 'silent' }),
      });
    });

    const post = (body: unknown, headers: Record<string, string>) =>
      fetch(`${http.url}/dingtalk/events`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...headers },
      });

    it('accepts a correctly signed, fresh callback', async () => {
      const ts = String(Date.now());
      const res = await post(robotMessage('/migrate status', 'h-1'), {
        timestamp: ts,
        sign: signDingTalk(ts, config.clientSecret),
      });
      expect(res.status).toBe(200);
      expect(handler.commands.map((c) => c.text)).toEqual(['/migrate status']);
    });

    it.each([
      [
        'a wrong sign',
        () => ({ timestamp: String(Date.now()), sign: signDingTalk(String(Date.now()), 'not-the-secret') }),
      ],
      [
        'a stale timestamp',
        () => {
          const ts = String(Date.now() - 2 * 3_600_000);
          return { timestamp: ts, sign: signDingTalk(ts, config.clientSecret) };
        },
      ],
      ['no signature at all', () => ({})],
    ])('refuses %s with 401 and hands nothing to the bot', async (_name, headers) => {
      const res = await post(
        robotMessage('/migrate start pool-a', `h-${Math.random()}`),
        headers() as Record<string, string>,
      );
      expect(res.status).toBe(401);
      expect(handler.commands).toHaveLength(0);
    });

    it('refuses a captured signature reused with another body: the sign covers only the timestamp', async () => {
      const ts = String(Date.now());
      const headers = { timestamp: ts, sign: signDingTalk(ts, config.clientSecret) };
      expect((await post(robotMessage('/migrate status', 'h-genuine'), headers)).status).toBe(200);
      // Someone who saw those two headers forges an approver's click with them.
      const forged = {
        userId: 'manager4711',
        outTrackId: 'ackm.Y2lkR3JvdXAxPT0.abcdef',
        content: JSON.stringify({
          cardPrivateData: {
            actionIds: ['approve'],
            params: { payload: JSON.stringify({ decision: 'approve', migrationId: 'm-1', nonce: 'n-1', batch: 1 }) },
          },
        }),
      };
      const res = await post(forged, headers);
      expect(res.status).toBe(401);
      expect(handler.actions).toHaveLength(0);
      expect(handler.commands.map((c) => c.text)).toEqual(['/migrate status']);
    });

    it('ignores a replayed message id', async () => {
      const ts = String(Date.now());
      const headers = { timestamp: ts, sign: signDingTalk(ts, config.clientSecret) };
      await post(robotMessage('/migrate status', 'h-replay'), headers);
      await post(robotMessage('/migrate status', 'h-replay'), headers);
      expect(handler.commands).toHaveLength(1);
    });
  });
});
