/**
 * A Slack post whose answer comes too late (src/chat/slack/post-once.ts): the message was posted, the client
 * gave up waiting; posting again would show it twice. The platform finds it by its metadata instead, in a thread
 * and at the top of a channel; a post that really failed is made again, once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postOnce } from '../../../../src/chat/slack/post-once.js';
import { SlackWebApi } from '../../../../src/chat/slack/slack-web-api.js';
import { createLogger } from '../../../../src/log/logger.js';
import { type FakeSlackApi, startFakeSlackApi } from '../../../support/fake-slack-api.js';

describe('posting to Slack once when the answer is late', () => {
  let fake: FakeSlackApi;
  let api: SlackWebApi;
  beforeAll(async () => {
    fake = await startFakeSlackApi({ rateLimits: false });
    api = new SlackWebApi({
      token: 'xoxb-post-once-test',
      apiUrl: fake.apiUrl,
      logger: createLogger({ level: 'silent' }),
      clientLogger: undefined,
      timeoutMs: 300,
    });
  });
  afterAll(async () => {
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  const posted = () => [...fake.messages.values()].filter((m) => m.text === 'batch 1 done');

  it('in a thread: finds the late message instead of posting it again', async () => {
    const parent = await postOnce(api, { channel: 'C1', text: 'parent' });
    fake.answerLate('chat.postMessage', 1_500);
    const ref = await postOnce(api, { channel: 'C1', text: 'batch 1 done', thread_ts: parent.ts }, { pauseMs: 50 });
    expect(posted()).toHaveLength(1);
    expect(ref).toEqual({ channel: 'C1', ts: posted()[0]!.ts });
    expect(fake.callsOf('conversations.replies')).toHaveLength(1);
    expect(fake.callsOf('chat.postMessage')).toHaveLength(2); // the parent, and the one late post
  });

  it('at the top of a channel: finds it among the newest messages', async () => {
    fake.answerLate('chat.postMessage', 1_500);
    const ref = await postOnce(api, { channel: 'C2', text: 'batch 1 done' }, { pauseMs: 50 });
    expect(posted()).toHaveLength(1);
    expect(ref.ts).toBe(posted()[0]!.ts);
    expect(fake.callsOf('conversations.history')).toHaveLength(1);
    expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('a later try of the same named message (another delivery, another bot) finds the one that went out', async () => {
    fake.answerLate('chat.postMessage', 1_500);
    const key = 'mig-pool-a-1:final';
    await expect(
      postOnce(api, { channel: 'C5', text: 'batch 1 done' }, { key, attempts: 1, pauseMs: 50 }),
    ).rejects.toMatchObject({ code: 'CHAT_API' });
    expect(posted()).toHaveLength(1);
    const ref = await postOnce(api, { channel: 'C5', text: 'batch 1 done' }, { key, mayExist: true, pauseMs: 50 });
    expect(ref.ts).toBe(posted()[0]!.ts);
    expect(posted()).toHaveLength(1);
  });

  it('a post Slack refused with a 5xx-like error is made again, once', async () => {
    fake.failWith('chat.postMessage', 'internal_error', 1);
    const ref = await postOnce(api, { channel: 'C3', text: 'batch 1 done' }, { pauseMs: 50 });
    expect(posted()).toHaveLength(1);
    expect(ref.ts).toBe(posted()[0]!.ts);
    expect(fake.callsOf('chat.postMessage')).toHaveLength(2);
  });

  it('a refusal that is not in doubt (not_in_channel) is not retried', async () => {
    fake.removeFromChannel('C4');
    await expect(postOnce(api, { channel: 'C4', text: 'batch 1 done' }, { pauseMs: 50 })).rejects.toMatchObject({
      code: 'CHAT_API',
      details: { slackError: 'not_in_channel' },
    });
    expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
    expect(fake.callsOf('conversations.history')).toHaveLength(0);
  });
});
