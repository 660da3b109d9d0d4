/**
 * The chat fakes refuse what Slack and DingTalk refuse (the audit's probe, reversed): oversized and unknown
 * blocks, a misspelled method, no or a wrong token, a scope the manifest lacks, a burst past the per-channel
 * rate; a DingTalk call without robotCode, a bogus msgKey, 40 KB of msgParam, 100 userIds, a numeric card param,
 * a bad openSpaceId.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDingTalkApi } from '../../support/fake-dingtalk-api.js';
import { type FakeSlackApi, startFakeSlackApi } from '../../support/fake-slack-api.js';

const TOKEN = 'xoxb-strict-0000-token';
let slack: FakeSlackApi;
const ding = new FakeDingTalkApi({ appKey: 'strict-app', appSecret: 'strict-secret-1234', robotCode: 'strictbot' });
let dingUrl = '';

beforeAll(async () => {
  slack = await startFakeSlackApi({ token: TOKEN });
  dingUrl = await ding.start();
});
afterAll(async () => {
  await slack.close();
  await ding.stop();
});

async function slackCall(method: string, body: object, token = TOKEN) {
  const res = await fetch(`${slack.apiUrl}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    json: (await res.json()) as Record<string, unknown>,
  };
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('the strict fake Slack Web API', () => {
  it('refuses what Slack refuses', async () => {
    const post = (extra: object, channel = 'C0STRICT01') =>
      slackCall('chat.postMessage', { channel, text: 't', ...extra });
    expect((await post({ blocks: Array.from({ length: 60 }, () => section('x'.repeat(5000))) })).json).toMatchObject({
      ok: false,
      error: 'invalid_blocks',
    });
    expect((await post({ blocks: [{ type: 'marquee' }] }, 'C0STRICT02')).json.error).toBe('invalid_blocks');
    const long = Array.from({ length: 5 }, () => section('y'.repeat(2900)));
    expect((await post({ blocks: long }, 'C0STRICT03')).json.error).toBe('msg_blocks_too_long');
    const confirm = {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: 'a',
          text: { type: 'plain_text', text: 'Go' },
          confirm: {
            title: { type: 'plain_text', text: 'Sure?' },
            text: { type: 'mrkdwn', text: '*really*' },
            confirm: { type: 'plain_text', text: 'Yes' },
            deny: { type: 'plain_text', text: 'No' },
          },
        },
      ],
    };
    expect((await post({ blocks: [confirm] }, 'C0STRICT04')).json.error).toBe('invalid_blocks');
    expect((await slackCall('chat.postMesage', { channel: 'C0STRICT05', text: 't' })).json.error).toBe(
      'unknown_method',
    );
    expect((await slackCall('chat.postMessage', { channel: 'C0STRICT05', text: 't' }, '')).json.error).toBe(
      'not_authed',
    );
    expect((await slackCall('chat.postMessage', { channel: 'C0STRICT05', text: 't' }, 'xoxb-wrong')).json.error).toBe(
      'invalid_auth',
    );
    expect((await post({ text: '' }, 'C0STRICT05')).json.error).toBe('no_text');
  });

  it('answers missing_scope for a scope the app lacks', async () => {
    const bare = await startFakeSlackApi({ token: TOKEN, scopes: ['commands'] });
    try {
      const res = await fetch(`${bare.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ channel: 'C0STRICT06', text: 't' }),
      });
      expect(await res.json()).toMatchObject({ ok: false, error: 'missing_scope', needed: 'chat:write' });
    } finally {
      await bare.close();
    }
  });

  it('answers 429 with Retry-After past about one post per second per channel', async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => slackCall('chat.postMessage', { channel: 'C0BURST01', text: 'burst' })),
    );
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThan(20);
    expect(Number(limited[0]!.retryAfter)).toBeGreaterThanOrEqual(1);
    // Another channel has its own allowance.
    expect((await slackCall('chat.postMessage', { channel: 'C0BURST02', text: 'ok' })).json.ok).toBe(true);
  });
});

describe('the strict fake DingTalk OpenAPI', () => {
  async function token(): Promise<string> {
    const res = await fetch(`${dingUrl}/v1.0/oauth2/accessToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appKey: 'strict-app', appSecret: 'strict-secret-1234' }),
    });
    return ((await res.json()) as { accessToken: string }).accessToken;
  }
  async function call(path: string, body: object) {
    const res = await fetch(`${dingUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-acs-dingtalk-access-token': await token() },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as { code?: string } };
  }
  const md = JSON.stringify({ title: 't', text: 'x' });

  it('refuses what DingTalk refuses', async () => {
    const group = '/v1.0/robot/groupMessages/send';
    expect((await call(group, { openConversationId: 'cid', msgKey: 'sampleMarkdown', msgParam: md })).status).toBe(400);
    expect(
      (await call(group, { robotCode: 'strictbot', openConversationId: 'cid', msgKey: 'bogus', msgParam: md })).json
        .code,
    ).toBe('invalidParameter.msgKey');
    const huge = JSON.stringify({ title: 't', text: 'z'.repeat(40_000) });
    expect(
      (
        await call(group, {
          robotCode: 'strictbot',
          openConversationId: 'cid',
          msgKey: 'sampleMarkdown',
          msgParam: huge,
        })
      ).status,
    ).toBe(400);
    const users = Array.from({ length: 100 }, (_, i) => `u${i}`);
    expect(
      (
        await call('/v1.0/robot/oToMessages/batchSend', {
          robotCode: 'strictbot',
          userIds: users,
          msgKey: 'sampleMarkdown',
          msgParam: md,
        })
      ).json.code,
    ).toBe('invalidParameter.userIds.overMax');
    const card = {
      cardTemplateId: 'tpl',
      outTrackId: 'o1',
      openSpaceId: 'dtv1.card//IM_GROUP.cid',
      imGroupOpenDeliverModel: { robotCode: 'strictbot' },
      cardData: { cardParamMap: { n: 5 } },
    };
    expect((await call('/v1.0/card/instances/createAndDeliver', card)).json.code).toBe('invalidParameter.cardParamMap');
    const badSpace = { ...card, openSpaceId: 'cid', cardData: { cardParamMap: { n: '5' } } };
    expect((await call('/v1.0/card/instances/createAndDeliver', badSpace)).json.code).toBe(
      'invalidParameter.openSpaceId',
    );
    expect(ding.shown).toEqual([]);
  });
});
