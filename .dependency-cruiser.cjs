/**
 * The layers of ack-migrate as rules (docs/architecture.md#folders-and-layers), enforced by
 * test/architecture/boundaries.test.ts and usable from the command line:
 *   npx depcruise src jobs --config .dependency-cruiser.cjs
 *
 *   domain ← ports ← services, bot, jobs ← app (the one composition root) ← cli
 *   adapters (chat/*, gateways/*, stores/*, queue) depend on ports and domain only
 *   each SDK (ioredis included) in its one adapter folder; the sandbox only from app and the CLI's sandbox command
 */
const IO_MODULES =
  '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|dns|tls|cluster|worker_threads|readline|os|process)$';

/** Shared by every layer: the error type, and the logger/metrics/config types. */
const BASICS = 'src/(errors\\.ts$|log/|metrics/|config/)';

/** [rule name, folder, what it may import (local files)] */
const LAYERS = [
  ['domain', '^(src/domain)/', '^src/(domain/|errors\\.ts$)'],
  ['ports', '^(src/ports)/', '^src/(domain|ports)/'],
  ['services', '^(src/services)/', `^(src/(domain|ports|services)/|${BASICS})`],
  ['bot', '^(src/bot)/', `^(src/(domain|ports|bot|chat/core)/|${BASICS})`],
  ['jobs', '^(jobs)/', `^(src/(domain|ports|services)/|jobs/|${BASICS})`],
  ['chat-core', '^(src/chat/core)/', `^(src/(domain|ports|chat/core)/|${BASICS})`],
  ['chat-adapter', '^(src/chat/(?:slack|dingtalk|console))/', `^(src/(domain|ports|chat/core)/|${BASICS})`],
  ['gateways', '^(src/gateways/(?:cloud|cluster))/', `^(src/(domain|ports)/|${BASICS})`],
  ['stores', '^(src/stores/(?:redis|memory))/', `^(src/(domain|ports)/|${BASICS})`],
  ['queue', '^(src/queue)/', `^(src/(domain|ports|queue)/|${BASICS})`],
  ['sandbox', '^(src/sandbox)/', '^src/(sandbox/|errors\\.ts$)'],
  ['config', '^(src/config)/', '^src/(config/|domain/|errors\\.ts$)'],
  ['log-and-metrics', '^(src/(?:log|metrics))/', '^src/(log/|metrics/|errors\\.ts$)'],
  ['infrastructure', '^(src/(?:http|ops|infra))/', `^(src/(http|ops|infra)/|${BASICS})`],
];

/** [name, package pattern, the one folder that may import it] */
const SDKS = [
  ['slack', '@slack/', '^src/chat/slack/'],
  ['dingtalk', 'dingtalk-stream', '^src/chat/dingtalk/'],
  ['kubernetes', '@kubernetes/client-node', '^src/gateways/cluster/'],
  ['alibaba-cloud', '@alicloud/', '^src/gateways/cloud/'],
  ['bullmq', 'bullmq', '^src/queue/'],
  ['ioredis', 'ioredis', '^src/(stores/redis|queue)/'],
];

/** An import within the same folder ($1, the folder the rule's `from` matched) is always fine. */
const layerRules = LAYERS.map(([name, from, allowed]) => ({
  name: `${name}-imports-only-its-layers`,
  comment: `${from} may import only its own folder and ${allowed}`,
  severity: 'error',
  from: { path: from },
  to: { dependencyTypes: ['local'], pathNot: `(^$1/)|(${allowed})` },
}));

module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'no-folder-cycle-jobs-queue',
      comment: 'jobs/ are processors the queue runs; the queue never imports them, nor they the queue',
      severity: 'error',
      from: { path: '^(jobs/|src/queue/)' },
      to: { path: '^(jobs/|src/queue/)', pathNot: '$1' },
    },
    {
      name: 'domain-is-pure-io',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { dependencyTypes: ['core'], path: IO_MODULES },
    },
    {
      name: 'domain-no-npm-except-pure-libs',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer'],
        pathNot: 'node_modules/(minisearch|zod)/',
      },
    },
    ...layerRules,
    {
      name: 'sandbox-only-from-app-and-cli-sandbox',
      comment: 'the simulated cloud is for dev, tests and `ack-migrate sandbox`, never a production path',
      severity: 'error',
      from: { path: '^(src|jobs)/', pathNot: '^src/(sandbox/|app/|cli/commands/sandbox\\.ts$)' },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'cli-through-the-composition-root',
      comment: 'the CLI reaches services, stores, queue and gateways only through src/app/',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^(src/(services|stores|queue|gateways|bot|chat)/|jobs/)' },
    },
    ...SDKS.map(([name, sdk, home]) => ({
      name: `${name}-sdk-only-in-its-adapter`,
      severity: 'error',
      from: { pathNot: home },
      to: { path: `node_modules/${sdk}` },
    })),
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|test|tools|bench)/' },
  },
};
