/**
 * The bot process: chat adapters in, the dispatcher, the notifier that follows progress events, and one HTTP
 * server for /slack/events, /dingtalk/events, the web console, health and metrics. It holds chat credentials
 * only; the migration work happens in workers, reached through Redis.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createDispatcher } from '../bot/dispatcher.js';
import { createNotifier, type Notifier } from '../bot/notifier.js';
import type { ThreadRecord } from '../bot/thread-record.js';
import type { ChatPlatform } from '../chat/core/chat-platform.js';
import { createDingTalkPlatform, type DingTalkPlatformOptions } from '../chat/dingtalk/dingtalk-platform.js';
import { createSlackPlatform } from '../chat/slack/index.js';
import type { Config } from '../config/load-config.js';
import { type Route, type RunningHttpServer, startHttpServer } from '../http/http-server.js';
import type { Logger } from '../log/logger.js';
import { redisErrorLog } from '../log/redis-errors.js';
import { createMetrics, type Metrics } from '../metrics/metrics.js';
import { createQueueDashboard } from '../ops/queue-dashboard.js';
import type { EventSource } from '../ports/event-stream.js';
import { DEFAULT_PREFIX } from '../queue/queues.js';
import { collectQueueDepth, progressEventMetrics } from './metrics-sources.js';
import { createMigrationClient, type MigrationClient } from './migration-client.js';

export interface BotAppOptions {
  config: Config;
  redisUrl: string;
  logger: Logger;
  prefix?: string;
  /** Platforms besides Slack and DingTalk (the web console in `dev`), with the routes that serve them. */
  extraPlatforms?: Array<{ platform: ChatPlatform; route?: Route }>;
  host?: string;
  port?: number;
  metrics?: Metrics;
  /** DingTalk Stream client overrides (tests drive its downstream handler without dialling DingTalk). */
  dingtalk?: Pick<DingTalkPlatformOptions, 'stream' | 'connect'>;
  /** Where migrations started from a platform that is not connected (the CLI) are shown. */
  defaultTarget?: { platform: ChatPlatform['platform']; channel: string };
  /**
   * How the bot replicas share the progress events (docs/architecture.md#high-availability): partitions and the
   * lease after which a dead replica's partitions are taken over (default 4 and 6000 ms).
   */
  sharing?: { partitions?: number; leaseMs?: number; blockMs?: number };
  /** The sandbox's time scale (`dev`): chat shows ETAs both as ACK estimates them and as the demo runs. */
  timeScale?: number;
}

export interface BotApp {
  url: string;
  client: MigrationClient;
  notifier: Notifier;
  platforms: ChatPlatform[];
  metrics: Metrics;
  close(): Promise<void>;
}

export async function startBot(options: BotAppOptions): Promise<BotApp> {
  const { config, logger } = options;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const metrics = options.metrics ?? createMetrics();
  const client = createMigrationClient({
    redisUrl: options.redisUrl,
    prefix,
    config,
    secrets: config.secrets,
    // One for every connection of the process, so a refused password is one line, not one per connection.
    errors: redisErrorLog({ url: options.redisUrl, logger }),
  });
  try {
    await client.stores.connected();
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
  const platforms: ChatPlatform[] = [];
  const routes: Route[] = [];
  if (config.slack) {
    const slack = createSlackPlatform({ config: config.slack, logger: logger.child({ platform: 'slack' }), metrics });
    platforms.push(slack);
    if (slack.route) routes.push(slack.route);
  }
  if (config.dingtalk) {
    const dingtalk = createDingTalkPlatform({
      config: config.dingtalk,
      logger: logger.child({ platform: 'dingtalk' }),
      metrics,
    });
    platforms.push(dingtalk);
    if (config.dingtalk.mode === 'http') routes.push(dingtalk.httpRoute());
  }
  for (const extra of options.extraPlatforms ?? []) {
    platforms.push(extra.platform);
    if (extra.route) routes.push(extra.route);
  }

  const dashboard = createQueueDashboard({
    credentials: config.dashboard,
    queues: [client.jobs.migrations, client.jobs.prechecks],
  });
  if (dashboard) routes.push(dashboard);

  const threads = client.stores.threads<ThreadRecord>();
  const observe = progressEventMetrics(metrics);
  // Every bot replica reads the events through one group: each event is handled by one of them.
  const shared = client.stores.sharedEventSource({
    group: 'notifier',
    consumer: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    ...options.sharing,
    onError: (error) => logger.warn({ err: error }, 'progress event not handled'),
  });
  const events: EventSource = {
    subscribe: (handler) =>
      shared.subscribe(async (event, delivery) => {
        observe(event);
        await handler(event, delivery);
      }),
  };
  const dispatcher = createDispatcher({
    service: client.service,
    fleet: client.fleet,
    config,
    threads,
    secrets: config.secrets,
    logger: logger.child({ part: 'dispatcher' }),
    ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
  });
  const notifier = createNotifier({
    platforms,
    events,
    threads,
    posts: client.stores.posts,
    logger: logger.child({ part: 'notifier' }),
    ...(options.defaultTarget ? { defaultTarget: options.defaultTarget } : {}),
    ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
  });

  collectQueueDepth(metrics, { migrations: client.jobs.migrations, prechecks: client.jobs.prechecks });
  metrics.onCollect(async () => {
    metrics.migrations.reset();
    for (const m of await client.store.recent(200)) metrics.migrations.inc({ state: m.state });
  });

  const started: ChatPlatform[] = [];
  const http: RunningHttpServer = await startHttpServer({
    port: options.port ?? config.port,
    ...(options.host ? { host: options.host } : {}),
    routes,
    metrics,
    logger,
    readiness: [
      { name: 'redis', check: () => client.stores.ping() },
      // Started, and connected where a connection carries the traffic (DingTalk Stream).
      {
        name: 'chat',
        check: async () => started.length === platforms.length && platforms.every((p) => p.connected?.() ?? true),
      },
    ],
  });
  try {
    for (const p of platforms) {
      await p.start(dispatcher);
      started.push(p);
    }
    await notifier.start();
  } catch (error) {
    await http.close();
    await Promise.allSettled(started.map((p) => p.stop()));
    await client.close();
    throw error;
  }
  logger.info({ url: http.url, platforms: platforms.map((p) => p.platform) }, 'bot ready');
  return {
    url: http.url,
    client,
    notifier,
    platforms,
    metrics,
    async close() {
      await notifier.stop();
      await Promise.allSettled(platforms.map((p) => p.stop()));
      await http.close();
      await client.close();
    },
  };
}
