import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  actionToInbound,
  type BlockActionFields,
  commandToInbound,
  messageToInbound,
  parseButtonValue,
} from '../../../../src/chat/slack/inbound.js';

const fixture = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/slack/${name}`, import.meta.url), 'utf8')) as T;
const BOT = 'U00FAKEBOT1';

describe('commandToInbound', () => {
  it('keeps who, where and the text after the command', () => {
    const cmd = fixture<{ channel_id: string; user_id: string; user_name: string; text: string }>('slash-command.json');
    expect(commandToInbound({ ...cmd, text: '  start pool-a --snapshot ' })).toEqual({
      origin: { platform: 'slack', channel: 'C00FAKECHAN1', userId: 'U00FAKEUSER2', userName: 'alice' },
      text: 'start pool-a --snapshot',
    });
  });
});

describe('parseButtonValue', () => {
  it('accepts only a well-formed payload of a known decision', () => {
    expect(parseButtonValue('{"decision":"skip-node","migrationId":"m","nonce":"n","node":"node-a"}')).toEqual({
      decision: 'skip-node',
      migrationId: 'm',
      nonce: 'n',
      node: 'node-a',
    });
    expect(parseButtonValue('{"decision":"delete-cluster","migrationId":"m","nonce":"n"}')).toBeUndefined();
    expect(parseButtonValue('{"decision":"approve","migrationId":"m"}')).toBeUndefined();
    expect(parseButtonValue('{"decision":"approve","migrationId":"m","nonce":"n","batch":-1}')).toBeUndefined();
    expect(parseButtonValue('mig-42:3')).toBeUndefined();
    expect(parseButtonValue(undefined)).toBeUndefined();
  });
});

describe('actionToInbound', () => {
  const body = fixture<BlockActionFields & { actions: Array<{ value: string }> }>('block-actions.json');

  it('names the clicker, the thread and the message the button was on', () => {
    expect(actionToInbound(body, body.actions[0]!.value)).toMatchObject({
      origin: { userId: 'U00FAKEUSER3', channel: 'C00FAKECHAN1', threadId: '1700000000.000100' },
      source: { messageId: '1700000000.000200', threadId: '1700000000.000100' },
    });
  });

  it('has no source to update when the button sat on an ephemeral message', () => {
    const ephemeral = { ...body, container: { ...body.container, is_ephemeral: true } };
    expect(actionToInbound(ephemeral, body.actions[0]!.value)?.source).toBeUndefined();
  });
});

describe('messageToInbound', () => {
  const mention = fixture<{ event: Record<string, unknown> }>('app-mention.json').event;
  const inThread = fixture<{ event: Record<string, unknown> }>('thread-message.json').event;

  it('strips the bot mention from an app_mention and answers in a new thread under it', () => {
    expect(messageToInbound(mention, BOT)).toEqual({
      inbound: {
        origin: { platform: 'slack', channel: 'C00FAKECHAN1', userId: 'U00FAKEUSER2' },
        text: 'can we roll back?',
        mentioned: true,
      },
      replyThreadTs: '1700000000.000300',
    });
  });

  it('drops the message copy of a mention (Slack sends both), edits, and bot posts', () => {
    expect(messageToInbound({ ...mention, type: 'message' }, BOT)).toBeUndefined();
    expect(messageToInbound({ ...inThread, subtype: 'message_changed' }, BOT)).toBeUndefined();
    expect(messageToInbound({ ...inThread, bot_id: 'B00OTHERBOT' }, BOT)).toBeUndefined();
    expect(messageToInbound({ ...inThread, user: BOT }, BOT)).toBeUndefined();
    expect(messageToInbound({ type: 'message', text: 'no user or channel' }, BOT)).toBeUndefined();
  });

  it('keeps a thread reply that is broadcast to the channel', () => {
    expect(messageToInbound({ ...inThread, subtype: 'thread_broadcast' }, BOT)?.inbound.threadId).toBe(
      '1700000000.000100',
    );
  });
});
