/**
 * `npm run bench -- ha`: the chaos run of docs/architecture.md#high-availability. Two bots and three workers, each
 * its own process, on a Redis behind Sentinel; twelve production pools of the demo cluster migrated at once, every
 * batch approved by a click sent to the next bot (a load balancer); every few seconds one process, bot or
 * worker, is SIGKILLed and replaced, and the Redis master fails over once. Reports migrations completed,
 * duplicate chat posts, duplicate ReplaceSystemDisk calls, lost events and batches run without an approver.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenario } from '../../src/sandbox/scenario/index.js';
import { connectRedis } from '../../src/stores/redis/connect.js';
import { stateKeys } from '../../src/stores/redis/state-keys.js';
import { type Driven, driveMigration } from '../../test/integration/ha/drive.js';
import { HA_SLACK, HaCluster, type Proc } from '../../test/integration/ha/ha-cluster.js';
import { startSentinelSet } from '../../test/integration/ha/redis-topology.js';
import { SlackDriver } from '../../test/integration/ha/slack-driver.js';
import type { Benchmark } from '../run.js';

const SCENARIOS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'sandbox', 'scenarios');
const POOLS = Array.from({ length: 12 }, (_, i) => `pool-${String(i + 1).padStart(2, '0')}`);
const KILL_EVERY_MS = Number(process.env.HA_KILL_EVERY_MS ?? 4000);
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

function scenarioText(): string {
  const pools = POOLS.map(
    (name) =>
      `  - { id: np-${name}, name: ${name}, runtime: docker, runtimeVersion: 19.03.15, nodes: 2, instanceType: ecs.g7.large, labels: {} }`,
  ).join('\n');
  return `
cluster: { id: c-demo, name: demo, region: cn-hangzhou, version: 1.22.15-aliyun.1 }
nodePools:
${pools}
manifestFiles: [demo/system.yaml]
timing: { drain: 30, stop: 20, replaceSystemDisk: 60, init: 240, start: 60, snapshot: 300, join: 120 }
faults: []
`;
}

/** Entries of the event stream no notifier partition has acknowledged (pending) or been handed (lag). */
async function lostEvents(url: string, prefix: string): Promise<number> {
  const redis = connectRedis(url, { maxRetriesPerRequest: 3 });
  try {
    const groups = (await redis.xinfo('GROUPS', stateKeys(prefix).events)) as unknown[][];
    let lost = 0;
    for (const g of groups) {
      const info = new Map<string, unknown>();
      for (let i = 0; i < g.length; i += 2) info.set(String(g[i]), g[i + 1]);
      lost += Number(info.get('pending') ?? 0) + Number(info.get('lag') ?? 0);
    }
    return lost;
  } finally {
    redis.disconnect();
  }
}

/** The unhandled events once none has moved for a while, waiting up to 30 s for the notifier to catch up. */
async function settledLoss(url: string, prefix: string): Promise<number> {
  const deadline = Date.now() + 30_000;
  let left = await lostEvents(url, prefix);
  while (left > 0 && Date.now() < deadline) {
    await sleep(1000);
    left = await lostEvents(url, prefix);
  }
  return left;
}

const bench: Benchmark = {
  name: 'ha',
  async run() {
    const redis = await startSentinelSet();
    const scenario = parseScenario(scenarioText(), SCENARIOS, 'ha bench');
    const ha = await HaCluster.start({ redisUrl: redis.url, timeScale: 0.005, scenario, leaseMs: 1500 });
    try {
      const slack = new SlackDriver(ha.slack, HA_SLACK.signingSecret, HA_SLACK.channel);
      await Promise.all([ha.spawnBot(), ha.spawnBot(), ha.spawnWorker(), ha.spawnWorker(), ha.spawnWorker()]);
      const t0 = Date.now();
      let running = true;
      let kills = 0;
      let failovers = 0;
      const chaos = (async () => {
        while (running) {
          await sleep(KILL_EVERY_MS * (0.5 + Math.random()));
          if (!running) break;
          if (failovers === 0 && Date.now() - t0 > 12_000) {
            await redis.failover();
            failovers++;
            continue;
          }
          const live: Proc[] = [...ha.bots, ...ha.workers];
          const victim = live[Math.floor(Math.random() * live.length)];
          if (!victim) continue;
          await ha.kill(victim);
          kills++;
          await (victim.kind === 'bot' ? ha.spawnBot() : ha.spawnWorker()).catch(() => undefined);
        }
      })();
      const results = await Promise.allSettled(
        POOLS.map((pool) =>
          driveMigration({
            ha,
            slack,
            pool,
            requester: { id: 'U0REQUESTER2', name: 'alice' },
            approver: { id: HA_SLACK.approver, name: 'boss' },
            timeoutMs: 300_000,
          }),
        ),
      );
      running = false;
      await chaos;
      const seconds = (Date.now() - t0) / 1000;
      await sleep(5000); // the notifier's last edits and posts
      const driven = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const completed = driven.filter((d: Driven) => d.record.state === 'completed');
      const stats = (await (await fetch(`http://${ha.sandbox.cloud.endpoint}/sandbox/stats`)).json()) as {
        instances: Record<string, Record<string, number>>;
      };
      const duplicateDisks = Object.values(stats.instances).reduce(
        (n, i) => n + Math.max(0, (i.ReplaceSystemDisk ?? 0) - 1),
        0,
      );
      const unapproved = completed.reduce(
        (n, d) => n + d.record.batches.filter((b) => d.record.production && !b.approvedBy).length,
        0,
      );
      const finals = ha.slack
        .callsOf('chat.postMessage')
        .filter((c) => c.params.thread_ts && /Migration of pool-\d+ completed/.test(String(c.params.text))).length;
      return [
        {
          metric: 'chaos',
          bots: 2,
          workers: 3,
          pools: POOLS.length,
          seconds: Math.round(seconds),
          kills,
          redisFailovers: failovers,
          migrationsCompleted: completed.length,
          migrationsNotCompleted: POOLS.length - completed.length,
          duplicateChatPosts: slack.duplicatePosts().length,
          // Which ones (channel | thread | first line), so a regression can be traced.
          duplicates: slack.duplicatePosts().slice(0, 8),
          duplicateDetails: slack.duplicateDetails().slice(0, 8),
          duplicateReplaceSystemDisk: duplicateDisks,
          // Lost: still unhandled after the bots had 30 s (a bot killed near the end hands its events over late).
          lostEvents: await settledLoss(redis.url, ha.prefix),
          finalSummariesPosted: finals,
          approvalsWithoutApprover: unapproved,
          errors: results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason).slice(0, 200)] : [])),
        },
      ];
    } finally {
      await ha.close();
      await redis.stop();
    }
  },
};

export default bench;
