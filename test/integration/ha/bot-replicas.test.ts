/**
 * Issue "High availability", acceptance: two bots and two workers on one Redis, each its own process; Slack
 * requests alternate between the bots (a load balancer); right after the first approval, the bot handling the
 * migration's events is SIGKILLed. The migration completes and no chat message is posted twice
 * (docs/architecture.md#high-availability).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl } from '../../support/redis.js';
import { until } from '../../support/wait.js';
import { driveMigration } from './drive.js';
import { HA_SLACK, HaCluster } from './ha-cluster.js';
import { SlackDriver, type SlackUser } from './slack-driver.js';

const REQUESTER: SlackUser = { id: 'U0REQUESTER2', name: 'alice' };
const APPROVER: SlackUser = { id: HA_SLACK.approver, name: 'boss' };

let ha: HaCluster;
let slack: SlackDriver;

beforeAll(async () => {
  ha = await HaCluster.start({ redisUrl: redisUrl(), timeScale: 0.005 });
  slack = new SlackDriver(ha.slack, HA_SLACK.signingSecret, HA_SLACK.channel);
  await Promise.all([ha.spawnBot(), ha.spawnBot(), ha.spawnWorker(), ha.spawnWorker()]);
}, 120_000);
afterAll(async () => {
  await ha?.close();
});

describe('two bots, two workers, one bot SIGKILLed after the first approval', () => {
  it('completes the migration and posts no chat message twice', { timeout: 150_000 }, async () => {
    let killed: number | undefined;
    const { record: done, answered } = await driveMigration({
      ha,
      slack,
      pool: 'pool-a',
      requester: REQUESTER,
      approver: APPROVER,
      // The first approval is applied: kill the bot that handles this migration's events, in the middle of
      // showing what follows (the approval's answer, the next batch).
      afterFirstApproval: async (id) => {
        const holder = (await ha.holderOf(id)) ?? ha.bots[0]!;
        killed = holder.pid;
        await ha.kill(holder);
      },
    });
    expect(done.state).toBe('completed');
    expect(killed).toBeDefined();
    expect(ha.bots).toHaveLength(1);
    expect(answered.length).toBeGreaterThanOrEqual(2);

    // The final summary reaches the thread (posted by the surviving bot), once.
    await until(
      'the final summary in chat',
      () =>
        ha.slack
          .callsOf('chat.postMessage')
          .some((c) => /migrated|completed/i.test(String(c.params.text)) && c.params.thread_ts),
      30_000,
    );
    // Give a late duplicate the chance to show.
    await new Promise((ok) => setTimeout(ok, 2000));
    expect(slack.duplicatePosts()).toEqual([]);
    // Every approval request was posted once (buttons by nonce, in posts).
    for (const nonce of answered) {
      const posts = ha.slack
        .callsOf('chat.postMessage')
        .filter((c) => JSON.stringify(c.params.blocks ?? '').includes(nonce));
      expect(posts.length, `posts carrying ${nonce}`).toBeLessThanOrEqual(1);
    }
    const parents = ha.slack
      .callsOf('chat.postMessage')
      .filter((c) => !c.params.thread_ts && String(c.params.text).startsWith('pool-a: '));
    expect(parents, 'the migration’s parent message').toHaveLength(1);
  });
});
