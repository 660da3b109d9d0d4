/**
 * The chat-fidelity acceptance on the strict fake Slack Web API: the real Slack adapter (Bolt receiver, Web API
 * client) and the real notifier, fed a migration's progress events. A 90-finding precheck report arrives whole;
 * each batch approval mentions its approvers; the final summary names who approved; Slack's per-channel rate is
 * waited out; a command from a channel the bot is not in is answered with how to invite it; nothing is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifier, type Notifier } from '../../../../src/bot/notifier.js';
import type { ThreadRecord } from '../../../../src/bot/thread-record.js';
import type { ChatHandler } from '../../../../src/chat/core/chat-platform.js';
import { createSlackPlatform, type SlackPlatform } from '../../../../src/chat/slack/slack-platform.js';
import type { Origin, ProgressEvent } from '../../../../src/domain/migration/events.js';
import type { Finding, PrecheckReport } from '../../../../src/domain/precheck/report.js';
import { type RunningHttpServer, startHttpServer } from '../../../../src/http/http-server.js';
import { createLogger } from '../../../../src/log/logger.js';
import { createMetrics } from '../../../../src/metrics/metrics.js';
import type { EventSource } from '../../../../src/ports/event-stream.js';
import { createMemoryThreadStore } from '../../../../src/stores/memory/thread-store.js';
import { type FakeSlackApi, postSigned, startFakeSlackApi } from '../../../support/fake-slack-api.js';
import { migrationEvents } from '../../../unit/bot/migration-events.js';

const SECRET = 'sig-secret-acceptance-51ab';
const TOKEN = 'xoxb-0000-acceptance-token-2f9e';
const CHANNEL = 'C0ACCEPT01';
const ELSEWHERE = 'C0NOTJOINED';
const REQUESTER: Origin = { platform: 'slack', channel: CHANNEL, userId: 'U0REQUEST1', userName: 'alice' };
const APPROVER = 'U0APPROVE1';
const noEvents: EventSource = { subscribe: async () => async () => {} };
const handler: ChatHandler = {
  onCommand: async () => ({ ephemeral: true, message: { text: 'Running precheck for pool-a…' } }),
  onAction: async () => ({ ephemeral: true, message: { text: 'ok' } }),
  onMessage: async () => undefined,
};

let fake: FakeSlackApi;
let platform: SlackPlatform;
let http: RunningHttpServer;
let notifier: Notifier;

beforeAll(async () => {
  fake = await startFakeSlackApi({ token: TOKEN });
  const logger = createLogger({ level: 'silent' });
  const metrics = createMetrics({ defaultMetrics: false });
  platform = createSlackPlatform({
    config: { botToken: TOKEN, signingSecret: SECRET, appToken: undefined, apiUrl: fake.apiUrl },
    logger,
  });
  http = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    routes: [platform.route!],
    readiness: [],
    metrics,
    logger,
  });
  await platform.start(handler);
  notifier = createNotifier({
    platforms: [platform],
    events: noEvents,
    threads: createMemoryThreadStore<ThreadRecord>(),
  });
});
afterAll(async () => {
  await notifier?.stop();
  await platform?.stop();
  await http?.close();
  await fake?.close();
});

function finding(i: number): Finding {
  const severity = i % 9 === 0 ? 'blocker' : i % 3 === 0 ? 'info' : 'warning';
  return {
    rule: severity === 'blocker' ? 'docker-socket' : 'single-replica',
    severity,
    object: { kind: 'Deployment', namespace: `team-${i % 7}`, name: `service-with-a-long-name-${i}` },
    message: `finding number ${i}: ${'the workload depends on the Docker runtime in a way a precheck reports '.repeat(2)}`,
    hint: `hint ${i}: move it off /var/run/docker.sock before the migration`,
  };
}

function report(count: number): PrecheckReport {
  const findings = Array.from({ length: count }, (_, i) => finding(i));
  return {
    cluster: { id: 'c-demo', version: '1.22.15-aliyun.1' },
    pool: { id: 'np-a', name: 'pool-a', nodes: 90, runtime: 'docker', runtimeVersion: '19.03.15' },
    verdict: 'blocked',
    findings,
    plan: { batches: [['n1'], ['n2', 'n3']], maxParallel: 2, estimatedMinutes: 30 },
  } as unknown as PrecheckReport;
}

const shownText = () => [...fake.messages.values()].map((m) => JSON.stringify(m.blocks ?? [])).join('\n');

describe('Slack on the strict fake Web API (acceptance)', () => {
  it('a precheck report of 90 findings reaches Slack whole, over several thread messages', async () => {
    await notifier.handle({
      type: 'precheck.finished',
      at: new Date().toISOString(),
      origin: REQUESTER,
      report: report(90),
    });
    const text = shownText();
    for (let i = 0; i < 90; i++) expect(text).toContain(`service-with-a-long-name-${i}\``);
    const inThread = [...fake.messages.values()].filter((m) => m.threadTs);
    expect(inThread.length).toBeGreaterThan(1);
    expect(fake.refusals().filter((c) => c.status === 200)).toEqual([]);
  });

  it('each batch approval mentions its approvers, 429s are waited out, and the final summary names the approver', async () => {
    const events = JSON.parse(
      JSON.stringify(migrationEvents({ origin: REQUESTER })).replaceAll('U-boss', APPROVER),
    ) as ProgressEvent[];
    for (const event of events) await notifier.handle(event);
    await notifier.flush();
    const messages = [...fake.messages.values()];
    const posts = fake.callsOf('chat.postMessage').filter((c) => c.status === 200);
    const asked = posts.filter((c) => JSON.stringify(c.params.blocks).includes('approval needed'));
    expect(asked.length).toBe(3);
    for (const post of asked) {
      expect(String(post.params.text).startsWith(`<@${APPROVER}>`)).toBe(true);
      expect(JSON.stringify(post.params.blocks)).toContain('/migrate approve pool-a batch');
    }
    const final = messages.find((m) => JSON.stringify(m.blocks).includes('*Approved*'));
    expect(JSON.stringify(final?.blocks)).toContain(`batch 1 by ${APPROVER}`);
    // More posts to the channel than Slack's burst: some were answered 429, and were sent again.
    expect(fake.callsOf('chat.postMessage').some((c) => c.status === 429)).toBe(true);
    expect(fake.refusals().filter((c) => c.status === 200)).toEqual([]);
  }, 60_000);

  it('a command from a channel the bot is not in gets an answer telling the user to invite it', async () => {
    fake.removeFromChannel(ELSEWHERE);
    const form = {
      token: 'scrubbed',
      team_id: 'T00FAKETEAM',
      channel_id: ELSEWHERE,
      channel_name: 'elsewhere',
      user_id: REQUESTER.userId,
      user_name: 'alice',
      command: '/migrate',
      text: 'precheck pool-a',
      api_app_id: 'A00FAKEAPP1',
      response_url: fake.responseUrl('elsewhere'),
      trigger_id: '1.1.scrubbed',
    };
    const ack = await postSigned(`${http.url}/slack/events`, SECRET, form);
    expect(ack.status).toBe(200);
    const origin = { ...REQUESTER, channel: ELSEWHERE };
    await notifier
      .handle({ type: 'precheck.finished', at: new Date().toISOString(), origin, report: report(3) })
      .catch(() => undefined);
    const told = fake.responses.find((r) => r.path === '/response/elsewhere');
    expect(told?.body.text).toContain('/invite');
    expect(fake.refusals().some((c) => c.refused?.error === 'not_in_channel')).toBe(true);
  });
});
