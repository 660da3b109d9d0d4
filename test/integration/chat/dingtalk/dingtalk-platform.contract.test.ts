import { DWClient, TOPIC_CARD, TOPIC_ROBOT } from 'dingtalk-stream';
import { afterAll, beforeAll } from 'vitest';
import { createDingTalkPlatform } from '../../../../src/chat/dingtalk/dingtalk-platform.js';
import { createLogger } from '../../../../src/log/logger.js';
import {
  type ChatPlatformProbe,
  chatPlatformContract,
  type SeenMessage,
} from '../../../contracts/chat-platform.contract.js';
import { FakeDingTalkApi } from '../../../support/fake-dingtalk-api.js';

const CHANNEL = 'cidContract==';
const USER = 'staff-contract';
const fake = new FakeDingTalkApi({ appKey: 'ding-app', appSecret: 'ding-secret-123456' });
let apiUrl = '';
beforeAll(async () => {
  apiUrl = await fake.start();
});
afterAll(() => fake.stop());

let frameCounter = 0;
const frame = (topic: string, data: unknown) =>
  JSON.stringify({
    specVersion: '1.0',
    type: 'CALLBACK',
    headers: { topic, messageId: `f-${++frameCounter}` },
    data: JSON.stringify(data),
  });

function cardSeen(id: string): SeenMessage | undefined {
  const card = fake.cards.get(id);
  if (!card) return undefined;
  const p = card.params;
  const buttons = JSON.parse(p.buttons ?? '[]') as Array<{ label: string }>;
  return {
    messageId: `card:${id}`,
    text: [p.title, p.text, p.summary, p.progress, p.timeline, p.context].filter(Boolean).join('\n'),
    buttons: buttons.map((b) => b.label),
    ...(card.openSpaceId.includes('IM_ROBOT.') ? { visibleTo: card.openSpaceId.split('IM_ROBOT.')[1]! } : {}),
  };
}

function markdownSeen(key: string): SeenMessage | undefined {
  const m = fake.markdownById(key);
  if (!m) return undefined;
  return {
    messageId: key,
    text: `${m.title}\n${m.text}`,
    buttons: [],
    ...(m.to.startsWith('oto:') ? { visibleTo: m.to.slice(4) } : {}),
  };
}

chatPlatformContract('dingtalk', async (handler) => {
  const stream = new DWClient({ clientId: 'ding-app', clientSecret: 'ding-secret-123456' });
  stream.send = () => {};
  const platform = createDingTalkPlatform({
    config: {
      clientId: 'ding-app',
      clientSecret: 'ding-secret-123456',
      robotCode: 'dingrobot',
      mode: 'stream',
      apiUrl,
      cardTemplateId: 'tpl.schema',
    },
    logger: createLogger({ level: 'silent' }),
    stream,
    connect: false,
  });
  await platform.start(handler);
  const robot = (text: string) => ({
    msgId: `msg-${++frameCounter}`,
    msgtype: 'text',
    text: { content: ` @bot ${text}` },
    conversationId: CHANNEL,
    conversationType: '2',
    senderStaffId: USER,
    senderNick: 'Contract User',
    robotCode: 'dingrobot',
  });
  const probe: ChatPlatformProbe = {
    async lastMessages(limit = 20) {
      return fake.shown
        .slice(-limit)
        .map((s) => (s.kind === 'card' ? cardSeen(s.id) : markdownSeen(s.id)))
        .filter((m): m is SeenMessage => m !== undefined);
    },
    async messageById(ref) {
      return ref.messageId.startsWith('card:') ? cardSeen(ref.messageId.slice(5)) : markdownSeen(ref.messageId);
    },
    async sendCommand(text) {
      stream.onDownStream(frame(TOPIC_ROBOT, robot(text)));
    },
    async clickButton(ref, label) {
      const outTrackId = ref.messageId.slice(5);
      const buttons = JSON.parse(fake.cards.get(outTrackId)!.params.buttons!) as Array<{
        label: string;
        actionId: string;
        params: object;
      }>;
      const button = buttons.find((b) => b.label === label)!;
      stream.onDownStream(
        frame(TOPIC_CARD, {
          type: 'actionCallback',
          userId: USER,
          outTrackId,
          content: JSON.stringify({ cardPrivateData: { actionIds: [button.actionId], params: button.params } }),
        }),
      );
    },
    async sendMessage(text) {
      // DingTalk has no threads: a question goes to the group, @mentioning the robot.
      stream.onDownStream(frame(TOPIC_ROBOT, robot(text)));
    },
  };
  return { platform, probe, channel: CHANNEL, userId: USER, close: () => platform.stop() };
});
