/**
 * Issue "High availability", acceptance: two bots and two workers on one Redis, each its own process; Slack
 * requests alternate between the bots (a load balancer); right after the first approval, the bot handling the
 * migration's events is SIGKILLed. The migration completes and no chat message is posted twice
 * (docs/architecture.md#high-availability).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVERS, CHANNELS, SLACK_SECRETS } from '../../support/e2e-harness.js';
import { redisUrl } from '../../support/redis.js';
import { until } from '../../support/wait.js';
import { HaCluster } from './ha-cluster.js';
import { SlackDriver, type SlackUser } from './slack-driver.js';

const REQUESTER: SlackUser = { id: 'U0REQUESTER2', name: 'alice' };
const APPROVER: SlackUser = { id: APPROVERS.slack, name: 'boss' };

let ha: HaCluster;
let slack: SlackDriver;

beforeAll(async () => {
  ha = await HaCluster.start({ redisUrl: redisUrl(), timeScale: 0.005 });
  slack = new SlackDriver(ha.slack, SLACK_SECRETS.signingSecret, CHANNELS.slack);
  await Promise.all([ha.spawnBot(), ha.spawnBot(), ha.spawnWorker(), ha.spawnWorker()]);
}, 120_000);
afterAll(async () => {
  await ha?.close();
});

describe('two bots, two workers, one bot SIGKILLed after the first approval', () => {
  it('completes the migration and posts no chat message twice', { timeout: 150_000 }, async () => {
    let turn = 0;
    /** The next bot, round robin over the live ones. */
    const nextBot = () => {
      const live = ha.bots;
      return live[turn++ % live.length]!.url!;
    };
    const res = await slack.command(nextBot(), 'start pool-a', REQUESTER);
    expect(res.status).toBe(200);
    const id = await until(
      'the migration of pool-a',
      async () => (await ha.client.service.status('pool-a'))[0]?.migrationId,
      30_000,
    );

    const answered: string[] = [];
    let killed: number | undefined;
    let failures = 0;
    let last = '';
    const done = await until(
      'the migration to complete',
      async () => {
        const r = await ha.client.store.get(id);
        if (!r) return undefined;
        last = `${r.state} ${JSON.stringify(r.pending)} ${r.reason ?? ''} buttons ${slack
          .buttons()
          .map((b) => `${b.payload.decision}:${b.payload.nonce.slice(0, 6)}`)
          .join(',')}`;
        if (killed === undefined && answered.length > 0 && r.pending?.nonce !== answered[0]) {
          // The first approval is applied: kill the bot that handles this migration's events, in the middle of
          // showing what follows (the approval's answer, the next batch).
          const holder = (await ha.holderOf(id)) ?? ha.bots[0]!;
          killed = holder.pid;
          await ha.kill(holder);
        }
        if (r.state === 'completed' || r.state === 'aborted') return r;
        const p = r.pending;
        if (p?.kind === 'failure' && !answered.includes(p.nonce)) {
          // A stopped line (the sandbox's PDBs can outlast a drain): retry once, then skip the node, through chat.
          const decision = failures++ === 0 ? 'retry' : 'skip-node';
          const button = slack.button(p.nonce, decision);
          if (!button) return undefined;
          expect((await slack.click(nextBot(), button, APPROVER)).status).toBe(200);
          answered.push(p.nonce);
          return undefined;
        }
        if (r.state !== 'awaiting-approval' || p?.kind !== 'approval' || answered.includes(p.nonce)) return undefined;
        const button = slack.button(p.nonce);
        if (!button) return undefined;
        const clicked = await slack.click(nextBot(), button, APPROVER);
        expect(clicked.status).toBe(200);
        answered.push(p.nonce);
        return undefined;
      },
      120_000,
      100,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; last seen: ${last}`);
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
