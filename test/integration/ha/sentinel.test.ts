/**
 * Issue "High availability": REDIS_URL names a Sentinel set (redis+sentinel://host:port/<master>;
 * docs/contracts.md#configuration). Two bots and two workers on a real master, replica and `redis-server
 * --sentinel`; the master fails over right after the first approval of a migration. The migration completes
 * and no chat message is posted twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveMigration } from './drive.js';
import { HA_SLACK, HaCluster } from './ha-cluster.js';
import { startSentinelSet, type Topology } from './redis-topology.js';
import { SlackDriver } from './slack-driver.js';

let redis: Topology;
let ha: HaCluster;
let slack: SlackDriver;

beforeAll(async () => {
  redis = await startSentinelSet();
  ha = await HaCluster.start({ redisUrl: redis.url, timeScale: 0.005 });
  slack = new SlackDriver(ha.slack, HA_SLACK.signingSecret, HA_SLACK.channel);
  await Promise.all([ha.spawnBot(), ha.spawnBot(), ha.spawnWorker(), ha.spawnWorker()]);
}, 120_000);
afterAll(async () => {
  await ha?.close();
  await redis?.stop();
});

describe('Redis behind Sentinel, failing over in the middle of a migration', () => {
  it('completes the migration and posts no chat message twice', { timeout: 180_000 }, async () => {
    let failedOver = false;
    const { record } = await driveMigration({
      ha,
      slack,
      pool: 'pool-a',
      requester: { id: 'U0REQUESTER2', name: 'alice' },
      approver: { id: HA_SLACK.approver, name: 'boss' },
      afterFirstApproval: async () => {
        await redis.failover();
        failedOver = true;
      },
      timeoutMs: 150_000,
    });
    expect(failedOver).toBe(true);
    expect(record.state).toBe('completed');
    await new Promise((ok) => setTimeout(ok, 2000));
    expect(slack.duplicatePosts()).toEqual([]);
    expect(ha.bots).toHaveLength(2);
    expect(ha.workers).toHaveLength(2);
  });
});
