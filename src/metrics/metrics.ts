import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The one metrics registry of a process. Parts that already count things (gateways, notifier, worker) either
 * increment these instruments or register a `collect` source read at scrape time, so no part imports another
 * just to be measured.
 */
export interface Metrics {
  registry: Registry;
  migrations: Gauge<'state'>;
  batches: Counter<'outcome'>;
  nodeStepSeconds: Histogram<'step'>;
  approvalWaitSeconds: Histogram;
  queueDepth: Gauge<'queue' | 'state'>;
  chatApiCalls: Counter<'platform' | 'method'>;
  chatApiErrors: Counter<'platform' | 'method' | 'code'>;
  chatRateLimited: Counter<'platform' | 'method'>;
  cloudApiCalls: Counter<'action'>;
  cloudApiErrors: Counter<'action' | 'code'>;
  kubeApiCalls: Counter<'verb' | 'resource'>;
  kubeApiErrors: Counter<'verb' | 'resource' | 'code'>;
  /** Runs before each scrape (e.g. to read migration states and queue counts from Redis). */
  onCollect(fn: () => Promise<void> | void): void;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'ack_migrate_' });
  const collectors: Array<() => Promise<void> | void> = [];
  const r = [registry];
  const migrations = new Gauge({
    name: 'ack_migrate_migrations',
    help: 'Migrations by state',
    labelNames: ['state'] as const,
    registers: r,
    async collect() {
      for (const fn of collectors) await fn();
    },
  });
  return {
    registry,
    migrations,
    batches: new Counter({
      name: 'ack_migrate_batches_total',
      help: 'Batches finished, by outcome',
      labelNames: ['outcome'] as const,
      registers: r,
    }),
    nodeStepSeconds: new Histogram({
      name: 'ack_migrate_node_step_duration_seconds',
      help: 'Duration of each node step (drain, stop, replace-disk, init, start, ready …)',
      labelNames: ['step'] as const,
      buckets: [5, 15, 30, 60, 120, 240, 480, 900, 1800, 3600],
      registers: r,
    }),
    approvalWaitSeconds: new Histogram({
      name: 'ack_migrate_approval_wait_seconds',
      help: 'Time from an approval request to its decision',
      buckets: [10, 60, 300, 900, 3600, 4 * 3600, 24 * 3600],
      registers: r,
    }),
    queueDepth: new Gauge({
      name: 'ack_migrate_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'] as const,
      registers: r,
    }),
    chatApiCalls: new Counter({
      name: 'ack_migrate_chat_api_calls_total',
      help: 'Chat API calls',
      labelNames: ['platform', 'method'] as const,
      registers: r,
    }),
    chatApiErrors: new Counter({
      name: 'ack_migrate_chat_api_errors_total',
      help: 'Chat API errors',
      labelNames: ['platform', 'method', 'code'] as const,
      registers: r,
    }),
    chatRateLimited: new Counter({
      name: 'ack_migrate_chat_rate_limited_total',
      help: 'Chat API answers 429 (rate limited)',
      labelNames: ['platform', 'method'] as const,
      registers: r,
    }),
    cloudApiCalls: new Counter({
      name: 'ack_migrate_cloud_api_calls_total',
      help: 'ACK/ECS API calls',
      labelNames: ['action'] as const,
      registers: r,
    }),
    cloudApiErrors: new Counter({
      name: 'ack_migrate_cloud_api_errors_total',
      help: 'ACK/ECS API errors',
      labelNames: ['action', 'code'] as const,
      registers: r,
    }),
    kubeApiCalls: new Counter({
      name: 'ack_migrate_kube_api_calls_total',
      help: 'Kubernetes API calls',
      labelNames: ['verb', 'resource'] as const,
      registers: r,
    }),
    kubeApiErrors: new Counter({
      name: 'ack_migrate_kube_api_errors_total',
      help: 'Kubernetes API errors',
      labelNames: ['verb', 'resource', 'code'] as const,
      registers: r,
    }),
    onCollect(fn) {
      collectors.push(fn);
    },
  };
}
