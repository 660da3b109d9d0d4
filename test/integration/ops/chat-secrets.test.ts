/**
 * Secrets typed into chat are never echoed or kept (docs/architecture.md#secrets; every command is audited, so
 * what people type must be masked first). The bot's own Slack token and signing secret, a foreign
 * `xoxp-` token and an Alibaba Cloud AccessKey id are sent through `/migrate faq`, `/migrate start`,
 * `/migrate precheck` and a mention, against the real bot and worker (startBot + startWorkerApp, the production
 * logger at debug level, one capture per process). Then every place a person could read them is searched: every
 * message and ephemeral the fake Slack API received and every response_url answer, the HTTP answers of the slash
 * commands, both processes' logs, the audit log through the service and `ack-migrate history --json` run as a
 * child process against the same Redis and prefix.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type BotApp, startBot } from '../../../src/app/bot-app.js';
import { startWorkerApp, type WorkerApp } from '../../../src/app/worker-app.js';
import { type Config, loadConfig } from '../../../src/config/load-config.js';
import { createLogger } from '../../../src/log/logger.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/start-sandbox.js';
import {
  FAKE_BOT,
  type FakeSlackApi,
  postSigned,
  postSignedEvent,
  startFakeSlackApi,
} from '../../support/fake-slack-api.js';
import { redisUrl, testPrefix } from '../../support/redis.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CHANNEL = 'C0MIGRATIONS';
const alnum = (n: number) =>
  Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[b % 62]).join('');
const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');

const PLANTED = {
  /** The bot's own token (config.secrets, and token-shaped). */
  botToken: `xoxb-${digits(12)}-${digits(13)}-${alnum(24)}`,
  /** The bot's own signing secret: 32 hex characters, a valid pool name, recognisable by value only. */
  signingSecret: randomBytes(16).toString('hex'),
  /** Someone else's user token: not configured, recognisable by its shape only. */
  foreignToken: `xoxp-${digits(12)}-${digits(12)}-${digits(13)}-${randomBytes(16).toString('hex')}`,
  /** An AccessKey id that is not the sandbox's: recognisable by its shape only. */
  accessKeyId: `LTAI5t${alnum(18)}`,
};
const CONFIG_YAML = `
clusters:
  - id: c-demo
    region: cn-hangzhou
    environment: production
    approvers: {slack: [U0APPROVER1]}
    channels: {slack: [${CHANNEL}]}
`;

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

/** A secret leaks when any 12 characters of its random part show, so a truncated echo counts too. */
function leaks(text: string): string[] {
  return Object.entries(PLANTED)
    .filter(([, value]) => {
      const random = value.replace(/^(xox[a-z]-|LTAI5t)/, '');
      const pieces = [0, 1, 2].map((i) => random.slice(Math.floor((i * (random.length - 12)) / 2)).slice(0, 12));
      return pieces.some((p) => text.includes(p));
    })
    .map(([name]) => name);
}

function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'ack-migrate.js'), ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((ok) => child.once('exit', (code) => ok({ code, stdout, stderr })));
}

describe('secrets typed into chat', () => {
  let sandbox: Sandbox;
  let slack: FakeSlackApi;
  let config: Config;
  let bot: BotApp | undefined;
  let worker: WorkerApp | undefined;
  const prefix = testPrefix('chat-secrets');
  const botLogs = capture();
  const workerLogs = capture();
  const answers: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ timeScale: 0.002 });
    slack = await startFakeSlackApi();
    const env = {
      ...sandbox.env,
      REDIS_URL: redisUrl(),
      SLACK_BOT_TOKEN: PLANTED.botToken,
      SLACK_SIGNING_SECRET: PLANTED.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      LOG_LEVEL: 'debug',
    };
    config = loadConfig(env, { configText: CONFIG_YAML });
    const logger = (stream: Writable) => createLogger({ level: 'debug', secrets: config.secrets, destination: stream });
    worker = await startWorkerApp({ config, redisUrl: redisUrl(), logger: logger(workerLogs.stream), prefix });
    bot = await startBot({
      config,
      redisUrl: redisUrl(),
      logger: logger(botLogs.stream),
      prefix,
      host: '127.0.0.1',
      port: 0,
    });
  });

  afterAll(async () => {
    await bot?.close();
    await worker?.close();
    await slack?.close();
    await sandbox?.stop();
  });

  const command = async (text: string) => {
    const answer = await postSigned(`${bot!.url}/slack/events`, PLANTED.signingSecret, {
      command: '/migrate',
      text,
      team_id: FAKE_BOT.teamId,
      channel_id: CHANNEL,
      user_id: 'U0REQUESTER',
      user_name: 'alice',
      response_url: slack.responseUrl(),
      trigger_id: `trigger-${answers.length}`,
    });
    expect(answer.status).toBe(200);
    answers.push(answer.body);
  };

  it('masks every planted secret before it is answered, posted, logged or audited', async () => {
    const commands = Object.values(PLANTED).flatMap((s) => [
      `faq what does ${s} mean`,
      `start ${s}`,
      `precheck ${s}`,
      `precheck pool-a --cluster ${s}`,
    ]);
    for (const text of commands) await command(text);
    // A mention with a question, answered from the FAQ in the channel.
    const ts = slack.nextTs();
    const mention = await postSignedEvent(`${bot!.url}/slack/events`, PLANTED.signingSecret, {
      token: 'scrubbed-verification-token',
      team_id: FAKE_BOT.teamId,
      api_app_id: 'A00FAKEAPP1',
      type: 'event_callback',
      event_id: 'EvMention1',
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'app_mention',
        user: 'U0REQUESTER',
        text: `<@${FAKE_BOT.userId}> which token do I need, ${PLANTED.botToken} or ${PLANTED.foreignToken}?`,
        ts,
        channel: CHANNEL,
        event_ts: ts,
      },
    });
    answers.push(mention.body);

    // Every command is audited (the FAQ reads and the refusals alike).
    await vi.waitFor(
      async () =>
        expect((await bot!.client.service.history(undefined, 500, { all: true })).length).toBeGreaterThanOrEqual(
          commands.length,
        ),
      { timeout: 15_000, interval: 50 },
    );
    // A real precheck last: the notifier renders events in order, so once its report is in the channel, anything
    // a worker did with the commands above has reached chat too.
    await command('precheck pool-a');
    await vi.waitFor(
      () => {
        const texts = [...slack.messages.values()].map((m) => m.text ?? '');
        expect(texts.some((t) => t.startsWith('Precheck pool-a'))).toBe(true);
      },
      { timeout: 20_000, interval: 50 },
    );
    // The mention's answer, visible in the channel.
    await vi.waitFor(
      () =>
        expect([...slack.messages.values()].some((m) => /which token do I need/.test(JSON.stringify(m)))).toBe(true),
      { timeout: 10_000, interval: 50 },
    );

    const chat = [
      ...[...slack.messages.values()].map((m) => JSON.stringify(m)),
      ...slack.ephemerals.map((m) => JSON.stringify(m)),
      ...slack.responses.map((r) => JSON.stringify(r.body)),
      ...slack.calls.map((c) => JSON.stringify(c.params)),
    ].join('\n');
    const audit = JSON.stringify(await bot!.client.service.history(undefined, 500, { all: true }));
    const history = await cli(['history', '--all', '--json', '--limit', '500'], {
      REDIS_URL: redisUrl(),
      ACK_MIGRATE_QUEUE_PREFIX: prefix,
    });
    expect(history.code).toBe(0);
    const entries = (JSON.parse(history.stdout) as { entries: Array<{ action: string }> }).entries;
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['faq', 'command']));

    expect({
      chat: leaks(chat),
      httpAnswers: leaks(answers.join('\n')),
      botLogs: leaks(botLogs.text()),
      workerLogs: leaks(workerLogs.text()),
      audit: leaks(audit),
      historyCli: leaks(history.stdout + history.stderr),
    }).toEqual({ chat: [], httpAnswers: [], botLogs: [], workerLogs: [], audit: [], historyCli: [] });
    // The answers still say what was wrong, with the secret masked.
    expect(`${chat}\n${answers.join('\n')}`).toContain('[REDACTED]');
  });
});
