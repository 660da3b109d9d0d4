import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type {
  ChatHandler,
  InboundAction,
  InboundCommand,
  InboundMessage,
  Reply,
} from '../../../../src/chat/core/chat-platform.js';
import { RateLimitedError, retryAfterMs } from '../../../../src/chat/core/rate-limit.js';
import { createSlackPlatform, type SlackPlatform } from '../../../../src/chat/slack/slack-platform.js';
import { AppError } from '../../../../src/errors.js';
import { type RunningHttpServer, startHttpServer } from '../../../../src/http/http-server.js';
import { createLogger } from '../../../../src/log/logger.js';
import { createMetrics } from '../../../../src/metrics/metrics.js';
import {
  FAKE_BOT,
  type FakeSlackApi,
  postSigned,
  postSignedEvent,
  startFakeSlackApi,
} from '../../../support/fake-slack-api.js';

const SECRET = 'sig-secret-8f3a9c0d1e2b';
const TOKEN = 'xoxb-0000-fake-bot-token-7d1c';
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/slack/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

class RecordingHandler implements ChatHandler {
  commands: InboundCommand[] = [];
  actions: InboundAction[] = [];
  messages: InboundMessage[] = [];
  commandReply: (c: InboundCommand) => Promise<Reply> = async (c) => ({
    ephemeral: true,
    message: { text: `Precheck queued for ${c.text}`, header: 'Precheck queued' },
  });
  actionReply: (a: InboundAction) => Promise<Reply> = async () => ({
    ephemeral: true,
    message: { text: 'Batch 3 approved' },
  });
  messageReply: (m: InboundMessage) => Promise<Reply | undefined> = async () => ({
    ephemeral: false,
    message: { text: 'No: the disk is replaced, there is no rollback.' },
  });
  async onCommand(c: InboundCommand) {
    this.commands.push(c);
    return this.commandReply(c);
  }
  async onAction(a: InboundAction) {
    this.actions.push(a);
    return this.actionReply(a);
  }
  async onMessage(m: InboundMessage) {
    this.messages.push(m);
    return this.messageReply(m);
  }
}

let fake: FakeSlackApi;
let platform: SlackPlatform;
let http: RunningHttpServer;
let handler: RecordingHandler;
let url: string;
const logLines: string[] = [];
const metrics = createMetrics({ defaultMetrics: false });

beforeAll(async () => {
  fake = await startFakeSlackApi();
  const destination = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  // No `secrets` given to the logger on purpose: the adapter itself must keep them out of the logs.
  const logger = createLogger({ level: 'debug', destination });
  platform = createSlackPlatform({
    config: { botToken: TOKEN, signingSecret: SECRET, appToken: undefined, apiUrl: fake.apiUrl },
    logger,
    metrics,
    ackBudgetMs: 400,
  });
  http = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    routes: [platform.route!],
    readiness: [],
    metrics,
    logger,
  });
  url = `${http.url}/slack/events`;
});

afterAll(async () => {
  await platform?.stop();
  await http?.close();
  await fake?.close();
});

function slash(text: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...(fixture('slash-command.json') as Record<string, string>), text, ...extra };
}

describe('Slack adapter over HTTP (real Bolt receiver, fake Web API)', () => {
  it('answers 503 until started, then learns its bot ids from auth.test at start()', async () => {
    const early = await postSigned(url, SECRET, slash('status'));
    expect(early.status).toBe(503);
    expect(fake.callsOf('auth.test')).toHaveLength(0);

    handler = new RecordingHandler();
    await platform.start(handler);
    expect(fake.callsOf('auth.test')).toHaveLength(1);
    expect(fake.callsOf('auth.test')[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(platform.identity).toEqual({ botUserId: FAKE_BOT.userId, botId: FAKE_BOT.botId, teamId: FAKE_BOT.teamId });
  });

  afterEach(() => {
    handler.commands.length = 0;
    handler.actions.length = 0;
    handler.messages.length = 0;
    fake.reset();
  });

  it('a signed /migrate reaches the handler and the HTTP answer carries the ephemeral reply', async () => {
    const res = await postSigned(url, SECRET, slash('precheck pool-a'));
    expect(res.status).toBe(200);
    expect(handler.commands).toEqual([
      {
        origin: { platform: 'slack', channel: 'C00FAKECHAN1', userId: 'U00FAKEUSER2', userName: 'alice' },
        text: 'precheck pool-a',
      },
    ]);
    const body = res.json as { response_type: string; text: string; blocks: Array<{ type: string }> };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toBe('Precheck queued for precheck pool-a');
    expect(body.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Precheck queued' } });
  });

  it('an in-channel Reply is answered in_channel', async () => {
    handler.commandReply = async () => ({ ephemeral: false, message: { text: 'Migration started' } });
    const res = await postSigned(url, SECRET, slash('start pool-a'));
    expect((res.json as { response_type: string }).response_type).toBe('in_channel');
    handler.commandReply = new RecordingHandler().commandReply;
  });

  it('a handler error becomes a one-line ephemeral warning, not a silent failure', async () => {
    handler.commandReply = async () => {
      throw new AppError('NOT_FOUND', 'pool "pool-z" not found', { hint: 'run /migrate status to list pools' });
    };
    const res = await postSigned(url, SECRET, slash('precheck pool-z'));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      response_type: 'ephemeral',
      text: ':warning: pool "pool-z" not found (run /migrate status to list pools)',
    });
    handler.commandReply = new RecordingHandler().commandReply;
  });

  it("answers Slack's url_verification challenge (Event Subscriptions setup)", async () => {
    const res = await postSignedEvent(url, SECRET, { type: 'url_verification', token: 'x', challenge: 'chal-3f9a' });
    expect(res.status).toBe(200);
    expect(res.body).toContain('chal-3f9a');
  });

  it('a forged signature gets 401 and never reaches the handler', async () => {
    const res = await postSigned(url, SECRET, slash('start pool-a'), { signature: `v0=${'0'.repeat(64)}` });
    expect(res.status).toBe(401);
    const wrongKey = await postSigned(url, 'another-secret-value', slash('start pool-a'));
    expect(wrongKey.status).toBe(401);
    expect(handler.commands).toEqual([]);
  });

  it('a correctly signed request older than 5 minutes is refused', async () => {
    const res = await postSigned(url, SECRET, slash('start pool-a'), {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(res.status).toBe(401);
    expect(handler.commands).toEqual([]);
  });

  it('a slow handler still gets the command acknowledged in time; the Reply follows through response_url', async () => {
    handler.commandReply = async (c) => {
      await new Promise((r) => setTimeout(r, 900));
      return { ephemeral: true, message: { text: `done: ${c.text}` } };
    };
    const res = await postSigned(url, SECRET, slash('plan pool-a', { response_url: fake.responseUrl('slow') }));
    // The holding answer came first: the handler's own Reply had not been given yet.
    expect(res.json).toMatchObject({ response_type: 'ephemeral', text: 'Working on it…' });
    expect(fake.responses).toHaveLength(0);
    await vi.waitFor(() => expect(fake.responses).toHaveLength(1), { timeout: 3000 });
    expect(fake.responses[0]).toMatchObject({
      path: '/response/slow',
      body: { response_type: 'ephemeral', text: 'done: plan pool-a' },
    });
    handler.commandReply = new RecordingHandler().commandReply;
  });

  it('an answer that missed the acknowledgement ("still working") is delivered through response_url when ready', async () => {
    let release: (r: Reply) => void = () => undefined;
    const later = new Promise<Reply>((ok) => {
      release = ok;
    });
    handler.commandReply = async () => ({ ephemeral: true, message: { text: 'Still working on `status`' }, later });
    const before = fake.responses.length;
    const res = await postSigned(url, SECRET, slash('status', { response_url: fake.responseUrl('late') }));
    expect(res.json).toMatchObject({ response_type: 'ephemeral', text: 'Still working on `status`' });
    release({ ephemeral: false, message: { text: 'pool-a: completed' } });
    await vi.waitFor(() => expect(fake.responses.length).toBe(before + 1), { timeout: 3000 });
    expect(fake.responses.at(-1)).toMatchObject({
      path: '/response/late',
      body: { response_type: 'in_channel', text: 'pool-a: completed', replace_original: false },
    });
    handler.commandReply = new RecordingHandler().commandReply;
  });

  it('a signed block_actions click reaches onAction with the exact button payload', async () => {
    const body = fixture('block-actions.json');
    const res = await postSigned(url, SECRET, { payload: JSON.stringify(body) });
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(handler.actions).toHaveLength(1));
    expect(handler.actions[0]).toEqual({
      origin: {
        platform: 'slack',
        channel: 'C00FAKECHAN1',
        userId: 'U00FAKEUSER3',
        userName: 'bob',
        threadId: '1700000000.000100',
      },
      payload: { decision: 'approve', migrationId: '01JFAKEMIGRATION0000000000', nonce: 'n0nce3', batch: 3 },
      source: {
        platform: 'slack',
        channel: 'C00FAKECHAN1',
        messageId: '1700000000.000200',
        threadId: '1700000000.000100',
      },
    });
    // The ephemeral Reply goes to the clicker, in the thread the button sat in.
    await vi.waitFor(() => expect(fake.callsOf('chat.postEphemeral')).toHaveLength(1));
    expect(fake.callsOf('chat.postEphemeral')[0]!.params).toMatchObject({
      channel: 'C00FAKECHAN1',
      user: 'U00FAKEUSER3',
      thread_ts: '1700000000.000100',
      text: 'Batch 3 approved',
    });
  });

  it('a public Reply to a click replaces the message the button was on', async () => {
    handler.actionReply = async () => ({ ephemeral: false, message: { text: 'Batch 3 approved by <@U00FAKEUSER3>' } });
    const res = await postSigned(url, SECRET, { payload: JSON.stringify(fixture('block-actions.json')) });
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(fake.callsOf('chat.update')).toHaveLength(1));
    expect(fake.callsOf('chat.update')[0]!.params).toMatchObject({
      channel: 'C00FAKECHAN1',
      ts: '1700000000.000200',
      text: 'Batch 3 approved by <@U00FAKEUSER3>',
    });
    handler.actionReply = new RecordingHandler().actionReply;
  });

  it('a click with an altered button value is refused without calling the handler', async () => {
    const body = fixture('block-actions.json') as { actions: Array<{ value: string }> };
    body.actions[0]!.value = '{"decision":"approve-everything","migrationId":"x","nonce":"y"}';
    const res = await postSigned(url, SECRET, { payload: JSON.stringify(body) });
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(fake.callsOf('chat.postEphemeral')).toHaveLength(1));
    expect(String(fake.callsOf('chat.postEphemeral')[0]!.params.text)).toContain('not recognised');
    expect(handler.actions).toEqual([]);
  });

  it('an app_mention reaches onMessage as mentioned, and the answer goes in a thread under it', async () => {
    const res = await postSignedEvent(url, SECRET, fixture('app-mention.json'));
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(fake.callsOf('chat.postMessage')).toHaveLength(1));
    expect(handler.messages).toEqual([
      {
        origin: { platform: 'slack', channel: 'C00FAKECHAN1', userId: 'U00FAKEUSER2' },
        text: 'can we roll back?',
        mentioned: true,
      },
    ]);
    expect(fake.callsOf('chat.postMessage')[0]!.params).toMatchObject({
      channel: 'C00FAKECHAN1',
      thread_ts: '1700000000.000300',
      text: 'No: the disk is replaced, there is no rollback.',
    });
  });

  it('a message in a thread reaches onMessage with its threadId, and is answered in that thread', async () => {
    await postSignedEvent(url, SECRET, fixture('thread-message.json'));
    await vi.waitFor(() => expect(fake.callsOf('chat.postMessage')).toHaveLength(1));
    expect(handler.messages).toEqual([
      {
        origin: { platform: 'slack', channel: 'C00FAKECHAN1', userId: 'U00FAKEUSER2', threadId: '1700000000.000100' },
        text: 'will the IP change?',
        threadId: '1700000000.000100',
        mentioned: false,
      },
    ]);
    expect(fake.callsOf('chat.postMessage')[0]!.params).toMatchObject({ thread_ts: '1700000000.000100' });
  });

  it("ignores the bot's own messages", async () => {
    const own = fixture('thread-message.json') as { event: Record<string, unknown> };
    own.event.user = FAKE_BOT.userId;
    own.event.bot_id = FAKE_BOT.botId;
    const res = await postSignedEvent(url, SECRET, own);
    expect(res.status).toBe(200);
    // A person's message right after it: once that one is answered the adapter has handled both, and the bot's
    // own message reached no handler and drew no answer.
    const person = fixture('thread-message.json') as { event: Record<string, unknown>; event_id: string };
    person.event_id = 'Ev00FAKE0003';
    person.event.ts = '1700000000.000500';
    person.event.event_ts = '1700000000.000500';
    expect((await postSignedEvent(url, SECRET, person)).status).toBe(200);
    await vi.waitFor(() => expect(fake.callsOf('chat.postMessage')).toHaveLength(1));
    expect(handler.messages.map((m) => m.origin.userId)).toEqual(['U00FAKEUSER2']);
    expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('post, update and postEphemeral reach the Web API with channel, thread_ts, text and blocks', async () => {
    const parent = await platform.post(
      { channel: 'C00FAKECHAN1' },
      { text: 'pool-a: running', header: 'Migration pool-a', progress: { done: 2, total: 8 } },
    );
    expect(parent).toEqual({ platform: 'slack', channel: 'C00FAKECHAN1', messageId: expect.any(String) });
    const reply = await platform.post(
      { channel: 'C00FAKECHAN1', threadId: parent.messageId },
      { text: 'Batch 1', timeline: [{ node: 'cn-hangzhou.10.0.0.1', step: 'drain', duration: '1m2s' }] },
    );
    expect(reply.threadId).toBe(parent.messageId);
    await platform.update(parent, { text: 'pool-a: completed', header: 'Migration pool-a' });
    await platform.postEphemeral(
      { channel: 'C00FAKECHAN1', threadId: parent.messageId, userId: 'U00FAKEUSER2' },
      { text: 'Only you can see this' },
    );

    const [first, second] = fake.callsOf('chat.postMessage');
    expect(first!.params).toMatchObject({ channel: 'C00FAKECHAN1', text: 'pool-a: running' });
    expect(first!.params.thread_ts).toBeUndefined();
    expect(first!.params.blocks).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'header' })]));
    expect(second!.params).toMatchObject({ channel: 'C00FAKECHAN1', thread_ts: parent.messageId, text: 'Batch 1' });
    expect(JSON.stringify(second!.params.blocks)).toContain('cn-hangzhou.10.0.0.1');
    expect(fake.callsOf('chat.update')[0]!.params).toMatchObject({
      channel: 'C00FAKECHAN1',
      ts: parent.messageId,
      text: 'pool-a: completed',
    });
    expect(fake.messages.get(parent.messageId)).toMatchObject({ text: 'pool-a: completed', updates: 1 });
    expect(fake.callsOf('chat.postEphemeral')[0]!.params).toMatchObject({
      channel: 'C00FAKECHAN1',
      user: 'U00FAKEUSER2',
      thread_ts: parent.messageId,
      text: 'Only you can see this',
    });
  });

  it('chat.update answered with 429 fails at once with retryAfterMs from Retry-After, and is not retried', async () => {
    const parent = await platform.post({ channel: 'C00FAKECHAN1' }, { text: 'pool-a: running' });
    fake.rateLimit('chat.update', { retryAfterSeconds: 7, times: 1 });
    const error = await platform.update(parent, { text: 'pool-a: batch 2' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({
      code: 'CHAT_API',
      retryable: true,
      retryAfterMs: 7000,
      details: { retryAfterMs: 7000 },
    });
    expect(retryAfterMs(error)).toBe(7000);
    const limited = (await metrics.chatRateLimited.get()).values;
    expect(limited).toEqual([
      expect.objectContaining({ labels: { platform: 'slack', method: 'chat.update' }, value: 1 }),
    ]);
    expect(fake.callsOf('chat.update').map((c) => c.status)).toEqual([429]);
    // Once the limit is over, the same edit goes through.
    await platform.update(parent, { text: 'pool-a: batch 2' });
    expect(fake.messages.get(parent.messageId)?.text).toBe('pool-a: batch 2');
  });

  it('a Slack error names the cause and what to do', async () => {
    fake.failWith('chat.postMessage', 'not_in_channel', 1);
    const error = await platform.post({ channel: 'C00FAKECHAN9' }, { text: 'hello' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'CHAT_API',
      message: 'Slack chat.postMessage failed: not_in_channel',
      hint: expect.stringContaining('/invite'),
      retryable: false,
    });
  });

  it('never writes the bot token or the signing secret to the logs', () => {
    const all = logLines.join('');
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(SECRET);
  });
});
