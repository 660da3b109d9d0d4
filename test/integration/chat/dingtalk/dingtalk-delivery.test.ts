/**
 * Nothing lost silently on DingTalk (strict fake OpenAPI): a card DingTalk did not deliver (`success: false`)
 * is an error that falls back to a markdown message; a throttled call (errcode 90018) is a rate limit that is
 * waited out; HTTP mode with cards registers DINGTALK_CALLBACK_URL, or refuses to start without it; a slow
 * answer that missed the acknowledgement arrives when it is ready.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatHandler, Reply } from '../../../../src/chat/core/chat-platform.js';
import { retryAfterMs, withRateLimitRetry } from '../../../../src/chat/core/rate-limit.js';
import {
  callbackRouteKeyOf,
  createDingTalkPlatform,
  type DingTalkPlatform,
} from '../../../../src/chat/dingtalk/dingtalk-platform.js';
import type { DingTalkConfig } from '../../../../src/config/load-config.js';
import { createLogger } from '../../../../src/log/logger.js';
import { createMetrics } from '../../../../src/metrics/metrics.js';
import { FakeDingTalkApi } from '../../../support/fake-dingtalk-api.js';
import { until } from '../../../support/wait.js';

const APP = { appKey: 'ding-deliver-app', appSecret: 'ding-deliver-secret-90ab', robotCode: 'dingdeliverbot' };
const GROUP = 'cidDeliver==';
const fake = new FakeDingTalkApi(APP);
let config: DingTalkConfig;
const logger = createLogger({ level: 'silent' });
const metrics = createMetrics({ defaultMetrics: false });
const idle: ChatHandler = {
  onCommand: async () => ({ ephemeral: false, message: { text: 'ok' } }),
  onAction: async () => ({ ephemeral: true, message: { text: 'ok' } }),
  onMessage: async () => undefined,
};

beforeAll(async () => {
  const apiUrl = await fake.start();
  config = {
    clientId: APP.appKey,
    clientSecret: APP.appSecret,
    robotCode: APP.robotCode,
    mode: 'http',
    apiUrl,
    cardTemplateId: 'tpl-deliver.schema',
    callbackUrl: 'https://bot.example.test/dingtalk/events',
  };
});
const platforms: DingTalkPlatform[] = [];
afterAll(async () => {
  for (const p of platforms) await p.stop();
  await fake.stop();
});

async function started(patch: Partial<DingTalkConfig> = {}, handler = idle): Promise<DingTalkPlatform> {
  const p = createDingTalkPlatform({ config: { ...config, ...patch }, logger, metrics });
  platforms.push(p);
  await p.start(handler);
  return p;
}

describe('DingTalk delivery on the strict fake', () => {
  it('HTTP mode with cards registers the callback URL under its route key; without the URL it does not start', async () => {
    const p = createDingTalkPlatform({ config: { ...config, callbackUrl: undefined }, logger });
    await expect(p.start(idle)).rejects.toThrow(/DINGTALK_CALLBACK_URL/);
    await started();
    expect(fake.routes.get(callbackRouteKeyOf(APP.appKey))).toBe(config.callbackUrl);
  });

  it('a card DingTalk did not deliver falls back to a markdown message, and is counted', async () => {
    const p = await started();
    fake.failDeliveries('robot is not in the group');
    const shown = fake.shown.length;
    const ref = await p.post({ channel: GROUP }, { text: 'Approval needed for batch 1', header: 'Batch 1' });
    expect(ref.messageId.startsWith('card:')).toBe(false);
    expect(p.undelivered).toBe(1);
    const counted = (await metrics.chatApiErrors.get()).values.find((v) => v.labels.code === 'undelivered');
    expect(counted?.value).toBe(1);
    expect(fake.shown.slice(shown)).toEqual([{ kind: 'markdown', id: ref.messageId }]);
    expect(fake.markdownById(ref.messageId)?.text).toContain('Batch 1');
  });

  it('a throttled call is a rate limit, waited out like a 429', async () => {
    const p = await started();
    fake.throttle('/v1.0/card/instances/createAndDeliver');
    const error = await p.post({ channel: GROUP }, { text: 'once' }).catch((e: unknown) => e);
    expect(retryAfterMs(error)).toBe(1000);
    fake.throttle('/v1.0/card/instances/createAndDeliver');
    const ref = await withRateLimitRetry(() => p.post({ channel: GROUP }, { text: 'twice' }));
    expect(fake.cards.get(ref.messageId.replace(/^card:/, ''))?.params.text).toBe('twice');
  });

  it('an answer that missed the acknowledgement is delivered when it is ready', async () => {
    let release: (r: Reply) => void = () => undefined;
    const later = new Promise<Reply>((ok) => {
      release = ok;
    });
    const slow: ChatHandler = {
      ...idle,
      onCommand: async () => ({ ephemeral: true, message: { text: 'Still working on `status`' }, later }),
    };
    const p = await started({ mode: 'stream', cardTemplateId: undefined }, slow);
    await p.handleRobotMessage({
      msgId: 'late-1',
      msgtype: 'text',
      text: { content: '/migrate status' },
      conversationId: GROUP,
      conversationType: '2',
      senderStaffId: 'staff-late',
    });
    release({ ephemeral: false, message: { text: 'Status of pool-a: completed' } });
    await until('the late answer in the group', () =>
      fake.messages().find((m) => m.to === GROUP && m.text.includes('Status of pool-a: completed')),
    );
  });
});
