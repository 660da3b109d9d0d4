/**
 * DingTalk Stream mode against the fake Stream gateway (real dingtalk-stream client, real WebSocket): refused
 * credentials fail start-up; a dropped connection and a silent (half-open) one are replaced by the watchdog,
 * and `connected()` (what /readyz reads) says so.
 */
import { TOPIC_ROBOT } from 'dingtalk-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatHandler, InboundCommand } from '../../../../src/chat/core/chat-platform.js';
import { createDingTalkPlatform, type DingTalkPlatform } from '../../../../src/chat/dingtalk/dingtalk-platform.js';
import { createLogger } from '../../../../src/log/logger.js';
import { FakeDingTalkApi } from '../../../support/fake-dingtalk-api.js';
import { until } from '../../../support/wait.js';

const APP = { appKey: 'ding-stream-app', appSecret: 'ding-stream-secret-77a1', robotCode: 'dingstreambot' };
const fake = new FakeDingTalkApi(APP);
const commands: InboundCommand[] = [];
const handler: ChatHandler = {
  onCommand: async (c) => {
    commands.push(c);
    return { ephemeral: true, message: { text: 'ok' } };
  },
  onAction: async () => ({ ephemeral: true, message: { text: 'ok' } }),
  onMessage: async () => undefined,
};
let apiUrl = '';
const started: DingTalkPlatform[] = [];

beforeAll(async () => {
  apiUrl = await fake.start();
});
afterAll(async () => {
  for (const p of started) await p.stop();
  await fake.stop();
});

function platform(secret: string): DingTalkPlatform {
  const p = createDingTalkPlatform({
    config: {
      clientId: APP.appKey,
      clientSecret: secret,
      robotCode: APP.robotCode,
      mode: 'stream',
      apiUrl,
      cardTemplateId: undefined,
    },
    logger: createLogger({ level: 'silent' }),
    watchdogMs: 300,
  });
  started.push(p);
  return p;
}

function robot(text: string, n: number) {
  return {
    msgId: `stream-msg-${n}`,
    msgtype: 'text',
    text: { content: text },
    conversationId: 'cidStream==',
    conversationType: '2',
    senderStaffId: 'staff-stream',
    robotCode: APP.robotCode,
  };
}

describe('DingTalk Stream mode on the fake gateway', () => {
  it('refused credentials fail start-up with a clear error instead of retrying for ever', async () => {
    await expect(platform('the-wrong-secret').start(handler)).rejects.toThrow(/refused the app credentials/);
    expect(fake.gateway.opens.at(-1)).toMatchObject({ ok: false });
  });

  it('a dropped or silent connection is back within 30 s, and connected() follows it', {
    timeout: 40_000,
  }, async () => {
    const p = platform(APP.appSecret);
    await p.start(handler);
    const base = fake.gateway.connections;
    expect(p.connected()).toBe(true);
    const first = await fake.gateway.push(TOPIC_ROBOT, robot('/migrate status', 1));
    expect(first.code).toBe(200);
    await until('the first command', () => commands.length === 1, 5000);

    fake.gateway.drop();
    await until('connected() false after the drop', () => !p.connected(), 5000);
    await until('a new connection', () => fake.gateway.connections > base, 30_000);
    await until('connected() again', () => p.connected(), 30_000);
    await fake.gateway.push(TOPIC_ROBOT, robot('/migrate status', 2));
    await until('the command after the reconnect', () => commands.length === 2, 5000);

    // Half-open: the socket stays up and carries nothing, pongs included; the watchdog replaces it.
    const before = fake.gateway.connections;
    fake.gateway.silence();
    await until('a connection after the silence', () => fake.gateway.connections > before, 30_000);
    await until('connected() after the silence', () => p.connected(), 30_000);
    await fake.gateway.push(TOPIC_ROBOT, robot('/migrate status', 3));
    await until('the command after the silence', () => commands.length === 3, 5000);
  });
});
