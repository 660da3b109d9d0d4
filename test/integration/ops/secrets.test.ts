/**
 * Secrets never reach logs, chat or errors. Recognisable values are planted in the configuration (Slack token and
 * signing secret, DingTalk client secret, a wrong Alibaba Cloud secret and STS token, a Redis password in REDIS_URL,
 * the dashboard password) and in requests; then everything a person could read is searched for them:
 * - components alone (CloudGateway against the sandbox with the wrong secret, the Slack adapter against the fake
 *   Slack API with failing calls, the DingTalk API client with a refused secret, Redis with a wrong password): the
 *   errors thrown (message, toLine, hint, details, and the error as pino serialises it, cause included) and the
 *   logs, written by a logger that only redacts secret *keys* (no value masking), so a component that leaks a
 *   value is caught even though production has a second net;
 * - the product as the processes compose it (startWorkerApp + startBot, production logger at debug level): a
 *   signed `/migrate precheck` from Slack reaches the worker, whose cloud calls fail on the wrong secret, and the
 *   failure comes back to Slack; then the logs, every message and reply the fakes received, and the bot's HTTP
 *   answers (/readyz, /metrics, a forged Slack request) are searched.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type BotApp, startBot } from '../../../src/app/bot-app.js';
import { createCloudGateway } from '../../../src/app/gateways.js';
import { startWorkerApp, type WorkerApp } from '../../../src/app/worker-app.js';
import { DingTalkApi } from '../../../src/chat/dingtalk/openapi.js';
import { signDingTalk } from '../../../src/chat/dingtalk/sign.js';
import { createSlackPlatform } from '../../../src/chat/slack/index.js';
import { type Config, loadConfig } from '../../../src/config/load-config.js';
import { AppError, asAppError } from '../../../src/errors.js';
import { createLogger, type Logger } from '../../../src/log/logger.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/start-sandbox.js';
import { FakeDingTalkApi } from '../../support/fake-dingtalk-api.js';
import { type FakeSlackApi, postSigned, startFakeSlackApi } from '../../support/fake-slack-api.js';
import { connectTestRedis, redisUrl, testPrefix } from '../../support/redis.js';

const tag = randomBytes(4).toString('hex');
const PLANTED = {
  SLACK_BOT_TOKEN: `xoxb-PLANTED-slack-token-${tag}`,
  SLACK_SIGNING_SECRET: `PLANTED-slack-signing-${tag}`,
  DINGTALK_CLIENT_SECRET: `PLANTED-dingtalk-secret-${tag}`,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: `PLANTED-wrong-cloud-secret-${tag}`,
  ALIBABA_CLOUD_SECURITY_TOKEN: `PLANTED-sts-token-${tag}`,
  REDIS_PASSWORD: `PLANTED-redis-password-${tag}`,
  BULL_BOARD_PASSWORD: `PLANTED-dashboard-password-${tag}`,
};
const REDIS_USER = `ackm-secrets-${tag}`;
const CHANNEL = 'C0MIGRATIONS';
const CONFIG_YAML = `
clusters:
  - id: c-demo
    region: cn-hangzhou
    environment: production
    approvers: {slack: [U0APPROVER1]}
    channels: {slack: [${CHANNEL}]}
`;

let sandbox: Sandbox;
let admin: Redis;
let slack: FakeSlackApi;
let dingtalk: FakeDingTalkApi;
let env: Record<string, string>;

/** Every planted value, and the sandbox's real secret (which the wrong one must not reveal either). */
function secrets(): string[] {
  return [...Object.values(PLANTED), sandbox.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET];
}

function leaks(text: string): string[] {
  return secrets().filter((s) => text.includes(s));
}

function capture(): { stream: Writable; text: () => string } {
  let out = '';
  return {
    stream: new Writable({
      write(chunk, _encoding, done) {
        out += String(chunk);
        done();
      },
    }),
    text: () => out,
  };
}

/** A logger that redacts secret keys only: what a component writes must be clean without the value mask. */
function keyOnlyLogger(): { logger: Logger; text: () => string } {
  const sink = capture();
  return { logger: createLogger({ level: 'trace', destination: sink.stream }), text: sink.text };
}

/** Everything an error shows: message, one-line form, hint, details, and pino's serialisation (cause included). */
function errorText(error: unknown): string {
  const e = asAppError(error);
  const sink = capture();
  createLogger({ level: 'info', destination: sink.stream }).error({ err: error }, 'failed');
  return [e.message, e.toLine(), e.hint ?? '', JSON.stringify(e.details), sink.text()].join('\n');
}

beforeAll(async () => {
  admin = await connectTestRedis();
  await admin.call('ACL', 'SETUSER', REDIS_USER, 'on', `>${PLANTED.REDIS_PASSWORD}`, '~*', '&*', '+@all');
  const base = new URL(redisUrl());
  sandbox = await startSandbox({ timeScale: 0.002 });
  slack = await startFakeSlackApi();
  // The fake knows a different DingTalk secret: the planted one is refused.
  dingtalk = new FakeDingTalkApi({ appKey: 'ding-app', appSecret: 'the-right-dingtalk-secret' });
  const dingtalkUrl = await dingtalk.start();
  env = {
    ...sandbox.env,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: PLANTED.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
    ALIBABA_CLOUD_SECURITY_TOKEN: PLANTED.ALIBABA_CLOUD_SECURITY_TOKEN,
    REDIS_URL: `redis://${REDIS_USER}:${encodeURIComponent(PLANTED.REDIS_PASSWORD)}@${base.host}`,
    SLACK_BOT_TOKEN: PLANTED.SLACK_BOT_TOKEN,
    SLACK_SIGNING_SECRET: PLANTED.SLACK_SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    DINGTALK_CLIENT_ID: 'ding-app',
    DINGTALK_CLIENT_SECRET: PLANTED.DINGTALK_CLIENT_SECRET,
    DINGTALK_ROBOT_CODE: 'dingbot',
    DINGTALK_MODE: 'http',
    DINGTALK_API_URL: dingtalkUrl,
    BULL_BOARD_USER: 'sre',
    BULL_BOARD_PASSWORD: PLANTED.BULL_BOARD_PASSWORD,
    PORT: '0',
    LOG_LEVEL: 'debug',
  };
});

afterAll(async () => {
  await slack?.close();
  await dingtalk?.stop();
  await sandbox?.stop();
  await admin?.call('ACL', 'DELUSER', REDIS_USER).catch(() => undefined);
  admin?.disconnect();
});

describe('configuration', () => {
  it('knows every planted value as a secret, so the logger can mask it wherever it shows up', () => {
    const config = loadConfig(env, { configText: CONFIG_YAML });
    expect(new Set(config.secrets)).toEqual(
      new Set(secrets().filter((s) => s !== sandbox.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET)),
    );
    const sink = capture();
    const logger = createLogger({ level: 'debug', secrets: config.secrets, destination: sink.stream });
    // The careless things a program might log: its environment, its config, a URL, an error with a secret in it.
    logger.debug({ env }, 'environment');
    logger.info({ config }, 'configuration');
    logger.info(`connecting to ${env.REDIS_URL}`);
    logger.error({ err: new AppError('CONFIG', `bad token ${PLANTED.SLACK_BOT_TOKEN}`) }, 'oops');
    expect(sink.text()).toContain('connecting to');
    expect(leaks(sink.text())).toEqual([]);
  });

  it('names a bad variable without echoing a secret value', () => {
    let error: unknown;
    try {
      loadConfig({ ...env, SLACK_BOT_TOKEN: '' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(errorText(error)).toContain('SLACK_BOT_TOKEN');
    expect(leaks(errorText(error))).toEqual([]);
  });
});

describe('components on their own', () => {
  it('CloudGateway: a call signed with the wrong secret and a planted STS token fails without showing either', async () => {
    const config = loadConfig(env, { configText: CONFIG_YAML });
    const cloud = createCloudGateway(config, { retry: { attempts: 1 } });
    const error = await cloud.describeCluster('c-demo').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CLOUD_API' });
    expect(errorText(error)).toMatch(/SignatureDoesNotMatch|InvalidSecurityToken/);
    expect(leaks(errorText(error))).toEqual([]);
  });

  it('Slack adapter: a refused post and a rate-limited update fail without the token', async () => {
    const { logger, text } = keyOnlyLogger();
    const config = loadConfig(env, { configText: CONFIG_YAML });
    const platform = createSlackPlatform({ config: config.slack!, logger });
    await platform.start({
      onCommand: async () => ({ ephemeral: true, message: { text: 'ok' } }),
      onAction: async () => ({ ephemeral: true, message: { text: 'ok' } }),
      onMessage: async () => undefined,
    });
    try {
      slack.failWith('chat.postMessage', 'invalid_auth', 1);
      const refused = await platform.post({ channel: CHANNEL }, { text: 'hello' }).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'CHAT_API' });
      const ref = await platform.post({ channel: CHANNEL }, { text: 'hello again' });
      slack.rateLimit('chat.update', { retryAfterSeconds: 30, times: 1 });
      const limited = await platform.update(ref, { text: 'edited' }).catch((e: unknown) => e);
      expect(limited).toBeInstanceOf(Error);
      for (const e of [refused, limited]) expect(leaks(errorText(e))).toEqual([]);
      expect(leaks(text())).toEqual([]);
    } finally {
      await platform.stop();
    }
  });

  it('DingTalk API client: a refused client secret fails without showing it', async () => {
    const { logger, text } = keyOnlyLogger();
    const api = new DingTalkApi({
      baseUrl: env.DINGTALK_API_URL,
      clientId: 'ding-app',
      clientSecret: PLANTED.DINGTALK_CLIENT_SECRET,
      onCall: (name, status) => logger.info({ name, status }, 'dingtalk call'),
    });
    const error = await api.sendGroupMessage('dingbot', 'cidX', 'sampleText', { content: 'hi' }).catch((e) => e);
    expect(error).toMatchObject({ code: 'CHAT_API' });
    expect(errorText(error)).toContain('invalidClientIdOrSecret');
    expect(leaks(errorText(error))).toEqual([]);
    expect(leaks(text())).toEqual([]);
  });

  it('Redis: a wrong password is refused; the error says so without the password, and the log masks it', async () => {
    const wrong = `redis://${REDIS_USER}:${encodeURIComponent(`${PLANTED.REDIS_PASSWORD}x`)}@${new URL(redisUrl()).host}`;
    const redis = new Redis(wrong, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    // ioredis reports the refusal as an 'error' event; the connect promise only says the connection closed.
    const error = await new Promise<unknown>((resolve) => {
      redis.once('error', resolve);
      redis.connect().catch(() => undefined);
    });
    redis.disconnect();
    const e = asAppError(error);
    expect(e.message).toMatch(/WRONGPASS/);
    expect(leaks([e.message, e.toLine(), JSON.stringify(e.details)].join('\n'))).toEqual([]);
    // ioredis keeps the AUTH command's arguments (the password) on the error object, so logging `{ err }` relies on
    // the logger's value mask: the configured password is one of config.secrets.
    const config = loadConfig({ ...env, REDIS_URL: wrong }, { configText: CONFIG_YAML });
    const sink = capture();
    createLogger({ level: 'info', secrets: config.secrets, destination: sink.stream }).warn({ err: error }, 'redis');
    expect(sink.text()).toContain('WRONGPASS');
    expect(leaks(sink.text())).toEqual([]);
  });
});

describe('the product (bot + worker, production logger at debug level)', () => {
  let bot: BotApp | undefined;
  let worker: WorkerApp | undefined;
  let config: Config;
  const logs = capture();
  const answers: string[] = [];

  beforeAll(async () => {
    config = loadConfig(env, { configText: CONFIG_YAML });
    const logger = createLogger({ level: 'debug', secrets: config.secrets, destination: logs.stream });
    const prefix = testPrefix('secrets');
    worker = await startWorkerApp({ config, redisUrl: config.redisUrl!, logger, prefix, port: 0 });
    bot = await startBot({ config, redisUrl: config.redisUrl!, logger, prefix, host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await bot?.close();
    await worker?.close();
  });

  it('runs a precheck from Slack into the wrong cloud secret and reports the failure in the channel', async () => {
    slack.reset();
    const url = `${bot!.url}/slack/events`;
    const form = {
      command: '/migrate',
      text: 'precheck pool-a',
      team_id: 'T00FAKETEAM',
      channel_id: CHANNEL,
      user_id: 'U0REQUESTER',
      user_name: 'alice',
      response_url: slack.responseUrl(),
      trigger_id: 'trigger-1',
    };
    const answer = await postSigned(url, PLANTED.SLACK_SIGNING_SECRET, form);
    expect(answer.status).toBe(200);
    answers.push(answer.body);
    // A request signed with anything else is refused (and says nothing about the right secret).
    const forged = await postSigned(url, `${PLANTED.SLACK_SIGNING_SECRET}-forged`, form);
    expect(forged.status).toBe(401);
    answers.push(forged.body);

    await vi.waitFor(
      () => {
        const failure = [...slack.messages.values()]
          .map((m) => `${m.text ?? ''} ${JSON.stringify(m.blocks ?? [])}`)
          .find((t) => /SignatureDoesNotMatch|InvalidSecurityToken/.test(t));
        expect(failure, 'the precheck failure should reach the channel').toBeDefined();
      },
      { timeout: 20_000, interval: 50 },
    );
  });

  it('answers a signed DingTalk command although its own DingTalk calls are refused (wrong client secret)', async () => {
    const send = (secret: string) => {
      const timestamp = String(Date.now());
      return fetch(`${bot!.url}/dingtalk/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', timestamp, sign: signDingTalk(timestamp, secret) },
        body: JSON.stringify({
          msgId: `msg-${tag}-${secret.length}`,
          msgtype: 'text',
          text: { content: '/migrate status' },
          conversationId: 'cidAbCdEf==',
          conversationType: '2',
          senderStaffId: 'manager4711',
          senderNick: 'Li',
        }),
      });
    };
    const forged = await send('not-the-secret');
    expect(forged.status).toBe(401);
    answers.push(await forged.text());
    const signed = await send(PLANTED.DINGTALK_CLIENT_SECRET);
    // Authenticated (not 401); the answer cannot be delivered, so the callback itself reports a failure.
    expect(signed.status).toBe(400);
    answers.push(await signed.text());
    // The reply goes out through DingTalk's API, whose token request the fake refuses: that failure is logged.
    await vi.waitFor(() => expect(logs.text()).toContain('invalidClientIdOrSecret'), { timeout: 10_000, interval: 50 });
  });

  it('shows no secret in logs, chat messages, replies or HTTP answers', async () => {
    for (const path of ['/readyz', '/healthz', '/metrics']) {
      const res = await fetch(`${bot!.url}${path}`);
      answers.push(await res.text());
    }
    const chat = [
      ...[...slack.messages.values()].map((m) => JSON.stringify(m)),
      ...slack.ephemerals.map((m) => JSON.stringify(m)),
      ...slack.responses.map((r) => JSON.stringify(r.body)),
      // What the bot sent to Slack's Web API, the token header aside (that is how Slack authenticates).
      ...slack.calls.map((c) => JSON.stringify(c.params)),
      ...dingtalk.calls.map((c) => JSON.stringify(c.body)),
    ].join('\n');
    expect(logs.text()).toContain('SignatureDoesNotMatch');
    expect({ logs: leaks(logs.text()), chat: leaks(chat), answers: leaks(answers.join('\n')) }).toEqual({
      logs: [],
      chat: [],
      answers: [],
    });
  });
});
