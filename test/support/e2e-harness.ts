/**
 * The whole product for end-to-end tests: the sandbox (demo scenario), the worker and the bot as the real
 * processes compose them (startWorkerApp, startBot), on the test Redis under a private prefix, with the chat
 * APIs replaced by the local fakes. One per test file; `close()` tears everything down.
 */
import type { DWClient } from 'dingtalk-stream';
import { type BotApp, startBot } from '../../src/app/bot-app.js';
import { startWorkerApp, type WorkerApp } from '../../src/app/worker-app.js';
import type { EditPolicy } from '../../src/chat/core/chat-platform.js';
import { DingTalkPlatform } from '../../src/chat/dingtalk/dingtalk-platform.js';
import { type Config, loadConfig } from '../../src/config/load-config.js';
import type { MigrationRecord } from '../../src/domain/migration/record.js';
import { createLogger } from '../../src/log/logger.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/start-sandbox.js';
import { scaleTiming } from '../../src/services/pipeline/timing.js';
import { FakeDingTalkApi } from './fake-dingtalk-api.js';
import { type FakeSlackApi, startFakeSlackApi } from './fake-slack-api.js';
import { redisUrl, testPrefix } from './redis.js';
import { until } from './wait.js';

export const CHANNELS = { slack: 'C0MIGRATIONS', dingtalk: 'cidAbCdEf==' } as const;
export const APPROVERS = { slack: 'U0APPROVER1', dingtalk: 'manager4711' } as const;

export const SLACK_SECRETS = { botToken: 'xoxb-e2e-0000-fake-token-5c2a', signingSecret: 'e2e-signing-secret-9b7d1f' };
export const DINGTALK_CALLBACK_URL = 'https://ack-migrate.example.test/dingtalk/events';
export const DINGTALK_SECRETS = {
  clientId: 'ding-e2e-app',
  clientSecret: 'ding-e2e-secret-4f8a2c',
  robotCode: 'dingbot',
};

/** The production config of design §9: approvals on pool-a, pool-b staging, no self-approval. */
export const E2E_CONFIG_YAML = `
clusters:
  - id: c-demo
    name: demo
    region: cn-hangzhou
    environment: production
    pools:
      pool-b: {environment: staging}
    approvers:
      slack: [${APPROVERS.slack}]
      dingtalk: [${APPROVERS.dingtalk}]
    channels:
      slack: [${CHANNELS.slack}]
      dingtalk: ["${CHANNELS.dingtalk}"]
settings:
  allowSelfApproval: false
  approvalTtl: 24h
  maintenanceWindows: []
`;

export interface E2eOptions {
  name: string;
  /** Real seconds per simulated second in the sandbox; the worker's timing is scaled by the same factor. */
  timeScale: number;
  slack?: boolean;
  /** DingTalk in HTTP callback mode; Stream frames are delivered through the platform's DWClient directly. */
  dingtalk?: boolean;
  /**
   * Scale the notifier's edit windows (1 s per message, 15 s for node-step edits) by the same factor as the
   * sandbox, so chat calls per batch are what a real-time batch would cost. Without it, a compressed batch fits
   * in one 15 s window and its step edits come for free.
   */
  scaleEditWindows?: boolean;
}

export class E2eHarness {
  private readonly closers: Array<() => Promise<unknown> | unknown> = [];
  sandbox!: Sandbox;
  worker!: WorkerApp;
  bot!: BotApp;
  config!: Config;
  slack: FakeSlackApi | undefined;
  dingtalk: FakeDingTalkApi | undefined;
  /** What the Stream client would have sent back on the socket (the SDK's acks), by messageId. */
  readonly streamAcks: Array<{ messageId: string; value: unknown }> = [];
  readonly prefix: string;

  private constructor(readonly options: E2eOptions) {
    this.prefix = testPrefix(options.name);
  }

  static async start(options: E2eOptions): Promise<E2eHarness> {
    const h = new E2eHarness(options);
    try {
      await h.boot();
    } catch (error) {
      await h.close();
      throw error;
    }
    return h;
  }

  private async boot(): Promise<void> {
    const { options } = this;
    const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
    this.sandbox = await startSandbox({ timeScale: options.timeScale });
    this.closers.push(() => this.sandbox.stop());
    const env: Record<string, string> = { ...this.sandbox.env, REDIS_URL: redisUrl(), PORT: '0' };
    if (options.slack) {
      this.slack = await startFakeSlackApi();
      this.closers.push(() => this.slack?.close());
      Object.assign(env, {
        SLACK_BOT_TOKEN: SLACK_SECRETS.botToken,
        SLACK_SIGNING_SECRET: SLACK_SECRETS.signingSecret,
        SLACK_API_URL: this.slack.apiUrl,
      });
    }
    if (options.dingtalk) {
      this.dingtalk = new FakeDingTalkApi({
        appKey: DINGTALK_SECRETS.clientId,
        appSecret: DINGTALK_SECRETS.clientSecret,
        robotCode: DINGTALK_SECRETS.robotCode,
      });
      const url = await this.dingtalk.start();
      this.closers.push(() => this.dingtalk?.stop());
      Object.assign(env, {
        DINGTALK_CLIENT_ID: DINGTALK_SECRETS.clientId,
        DINGTALK_CLIENT_SECRET: DINGTALK_SECRETS.clientSecret,
        DINGTALK_ROBOT_CODE: DINGTALK_SECRETS.robotCode,
        // Stream mode would dial the real DingTalk gateway (its URL is fixed in the SDK); HTTP mode does not
        // connect, and its DWClient still takes downstream frames exactly as the socket would hand them over.
        DINGTALK_MODE: 'http',
        DINGTALK_API_URL: url,
        DINGTALK_CARD_TEMPLATE_ID: 'tpl-ackm-e2e.schema',
        // HTTP mode cards: their clicks come to this URL, registered with DingTalk at start.
        DINGTALK_CALLBACK_URL: DINGTALK_CALLBACK_URL,
      });
    }
    this.config = loadConfig(env, { configText: E2E_CONFIG_YAML });
    const redis = redisUrl();
    this.worker = await startWorkerApp({
      config: this.config,
      redisUrl: redis,
      logger,
      prefix: this.prefix,
      timing: scaleTiming(options.timeScale),
    });
    this.closers.push(() => this.worker.close());
    this.bot = await startBot({
      config: this.config,
      redisUrl: redis,
      logger,
      prefix: this.prefix,
      host: '127.0.0.1',
      port: 0,
    });
    this.closers.push(() => this.bot.close());
    if (options.scaleEditWindows) {
      // Read by the notifier when it first edits on a platform; no edit has happened yet.
      // The platform's own windows (else the notifier's defaults), at the sandbox's pace.
      for (const p of this.bot.platforms) {
        const editPolicy: EditPolicy = {
          minIntervalMs: (p.editPolicy?.minIntervalMs ?? 1000) * options.timeScale,
          stepIntervalMs: (p.editPolicy?.stepIntervalMs ?? 15_000) * options.timeScale,
        };
        Object.assign(p, { editPolicy });
      }
    }
    const ding = this.dingtalkPlatform();
    if (ding) {
      // The SDK answers every callback through send(); without a socket it would drop them, so record them.
      ding.stream.send = (messageId: string, value: unknown) => {
        this.streamAcks.push({ messageId, value });
      };
    }
  }

  get slackUrl(): string {
    return `${this.bot.url}/slack/events`;
  }

  get dingtalkUrl(): string {
    return `${this.bot.url}/dingtalk/events`;
  }

  dingtalkPlatform(): DingTalkPlatform | undefined {
    return this.bot.platforms.find((p): p is DingTalkPlatform => p instanceof DingTalkPlatform);
  }

  /** Delivers one Stream frame the way DWClient hands a socket message to its listeners. */
  streamFrame(topic: string, messageId: string, data: unknown): void {
    const ding = this.dingtalkPlatform();
    if (!ding) throw new Error('DingTalk is not configured in this harness');
    const stream: DWClient = ding.stream;
    stream.onDownStream(
      JSON.stringify({
        specVersion: '1.0',
        type: 'CALLBACK',
        headers: { topic, messageId, contentType: 'application/json', time: String(Date.now()) },
        data: JSON.stringify(data),
      }),
    );
  }

  record(id: string): Promise<MigrationRecord | undefined> {
    return this.bot.client.store.get(id);
  }

  /** Polls until `check` returns a value (chat, events and records all arrive asynchronously). */
  until<T>(
    what: string,
    check: () => Promise<T | undefined | false> | T | undefined | false,
    timeoutMs = 30_000,
  ): Promise<T> {
    return until(what, check, timeoutMs, 40);
  }

  /** The migration's record once it is in one of `states` (and, for a pending approval, of that subject). */
  untilState(id: string, states: string[], timeoutMs = 30_000): Promise<MigrationRecord> {
    return this.until(
      `${id} in ${states.join('|')}`,
      async () => {
        const r = await this.record(id);
        return r && states.includes(r.state) ? r : undefined;
      },
      timeoutMs,
    );
  }

  /** The newest migration of a pool, once one exists. */
  async migrationOf(pool: string): Promise<MigrationRecord> {
    const summary = await this.until(
      `a migration of ${pool}`,
      async () => (await this.bot.client.service.status(pool))[0],
    );
    const record = await this.record(summary.migrationId);
    if (!record) throw new Error(`no record for ${summary.migrationId}`);
    return record;
  }

  async sandboxStats(): Promise<{
    actions: Record<string, number>;
    instances: Record<string, Record<string, number>>;
  }> {
    const res = await fetch(`http://${this.sandbox.cloud.endpoint}/sandbox/stats`);
    return (await res.json()) as { actions: Record<string, number>; instances: Record<string, Record<string, number>> };
  }

  /**
   * What an SRE does when the thread names a PodDisruptionBudget that held a drain past ACK's grace:
   * `kubectl -n <ns> patch pdb <name> -p '{"spec":{"maxUnavailable":1}}'`, through the sandbox's Kubernetes API.
   */
  async relaxPdb(namespace: string, name: string): Promise<void> {
    const res = await fetch(
      `${this.sandbox.k8s.url}/apis/policy/v1/namespaces/${namespace}/poddisruptionbudgets/${name}`,
      {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({ spec: { maxUnavailable: 1 } }),
      },
    );
    if (res.status !== 200) throw new Error(`patch pdb ${namespace}/${name}: ${res.status} ${await res.text()}`);
  }

  async close(): Promise<void> {
    for (const close of this.closers.reverse()) {
      try {
        await close();
      } catch {
        // already gone
      }
    }
    this.closers.length = 0;
  }
}
