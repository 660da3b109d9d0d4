/**
 * Approvals and controls through the MigrationService, with a real worker parking and waking the job:
 * rights, nonces, first-wins, expiry, rejection, typed pause/resume/abort, maintenance windows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Origin } from '../../../src/domain/migration/events.js';
import type { MigrationRecord } from '../../../src/domain/migration/record.js';
import { redisUrl, testPrefix } from '../../support/redis.js';
import {
  APPROVER,
  type Lane,
  REQUESTER,
  scenarioYaml,
  testConfigFile,
  until,
  WorkerHarness,
} from '../../support/worker-harness.js';

const STRANGER: Origin = { platform: 'slack', channel: 'C0MIGRATIONS', userId: 'U0STRANGER' };
const DINGTALK_APPROVER: Origin = { platform: 'dingtalk', channel: 'cid', userId: 'manager4711' };

describe('approvals and controls', () => {
  let h: WorkerHarness;
  let lane: Lane;
  beforeAll(async () => {
    h = await WorkerHarness.start({
      prefix: testPrefix('approvals'),
      redisUrl: redisUrl(),
      scenario: scenarioYaml({ poolA: 4, poolB: 2, pools: [{ name: 'pool-b-prod', nodes: 2 }] }),
    });
    lane = await h.lane();
    await lane.worker();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function start(l: Lane, pool: string): Promise<string> {
    const { migration } = await l.client.service.start({
      pool,
      mode: 'in-place',
      snapshot: false,
      soakSeconds: 0,
      maxParallel: 2,
      origin: REQUESTER,
    });
    return migration.migrationId;
  }

  const awaiting = (l: Lane, id: string, batch: number) =>
    until(`approval request for batch ${batch}`, async () => {
      const r = await l.client.store.get(id);
      return r?.pending?.kind === 'approval' && r.pending.batch === batch ? r : undefined;
    });

  it('refuses a non-approver, the requester, a stale nonce and a second click; audits every refusal', async () => {
    const id = await start(lane, 'pool-a');
    const r1 = await awaiting(lane, id, 1);
    const nonce1 = r1.pending!.nonce;
    const svc = lane.client.service;

    const stranger = await svc.decide({
      migrationId: id,
      decision: 'approve',
      nonce: nonce1,
      batch: 1,
      actor: STRANGER,
    });
    expect(stranger).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const self = await svc.decide({ migrationId: id, decision: 'approve', nonce: nonce1, batch: 1, actor: REQUESTER });
    expect(self).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringContaining('cannot approve') });
    const wrongNonce = await svc.decide({
      migrationId: id,
      decision: 'approve',
      nonce: 'forged',
      batch: 1,
      actor: APPROVER,
    });
    expect(wrongNonce).toMatchObject({ ok: false, code: 'STALE' });
    // still waiting: nothing above changed anything
    expect((await lane.record(id)).pending?.nonce).toBe(nonce1);

    const ok = await svc.decide({ migrationId: id, decision: 'approve', nonce: nonce1, batch: 1, actor: APPROVER });
    expect(ok).toMatchObject({ ok: true, message: 'batch 1 approved by U0APPROVER (slack)' });
    const again = await svc.decide({ migrationId: id, decision: 'approve', nonce: nonce1, batch: 1, actor: APPROVER });
    expect(again).toMatchObject({ ok: false, code: 'STALE' });

    // batch 2: the batch-1 button is stale, a DingTalk approver id is not a Slack approver
    const r2 = await awaiting(lane, id, 2);
    const old = await svc.decide({ migrationId: id, decision: 'approve', nonce: nonce1, batch: 1, actor: APPROVER });
    expect(old).toMatchObject({ ok: false, code: 'STALE' });
    const ding = await svc.decide({
      migrationId: id,
      decision: 'approve',
      nonce: r2.pending!.nonce,
      batch: 2,
      actor: DINGTALK_APPROVER,
    });
    expect(ding).toMatchObject({ ok: false, code: 'FORBIDDEN' });

    const aborted = await svc.controlByPool({ pool: 'pool-a', decision: 'abort', actor: APPROVER });
    expect(aborted).toMatchObject({ ok: true });
    const end = await lane.untilState(id, ['aborted']);
    // abort never undoes finished nodes: batch 1 stayed migrated
    expect(end.batches[0]!.state).toBe('done');
    const node = end.batches[0]!.nodes[0]!;
    expect((await h.gateways.cluster.getNode(node))?.runtimeVersion).toMatch(/^containerd/);

    const history = await svc.history('pool-a', 100);
    const refused = history.filter((e) => e.outcome === 'refused').map((e) => `${e.userId}:${e.action}`);
    expect(refused).toEqual(
      expect.arrayContaining([
        'U0STRANGER:approve',
        'U0REQUESTER:approve',
        'U0APPROVER:approve',
        'manager4711:approve',
      ]),
    );
    expect(history.find((e) => e.action === 'abort' && e.outcome === 'ok')?.userId).toBe('U0APPROVER');
    expect(history.find((e) => e.action === 'start')?.userId).toBe('U0REQUESTER');
  });

  it('an expired request keeps the migration paused; a rejection pauses with the reason; resume asks again', async () => {
    const short = await h.lane(undefined, testConfigFile({ approvalTtl: '2s' as unknown as number }));
    await short.worker();
    const id = await start(short, 'pool-b-prod');
    const r1 = await awaiting(short, id, 1);
    const expired: MigrationRecord = await short.untilState(id, ['paused'], 15_000);
    expect(expired.reason).toMatch(/approval request for batch 1 expired/);
    const late = await short.client.service.decide({
      migrationId: id,
      decision: 'approve',
      nonce: r1.pending!.nonce,
      actor: APPROVER,
    });
    expect(late).toMatchObject({ ok: false, code: 'STALE' });
    expect((await short.record(id)).state).toBe('paused');

    const resumed = await short.client.service.controlByPool({
      pool: 'pool-b-prod',
      decision: 'resume',
      actor: APPROVER,
    });
    expect(resumed).toMatchObject({ ok: true });
    const r2 = await awaiting(short, id, 1);
    expect(r2.pending!.nonce).not.toBe(r1.pending!.nonce);
    const rejected = await short.client.service.decide({
      migrationId: id,
      decision: 'reject',
      nonce: r2.pending!.nonce,
      reason: 'change freeze',
      actor: APPROVER,
    });
    expect(rejected).toMatchObject({ ok: true });
    const paused = await short.untilState(id, ['paused']);
    expect(paused.reason).toBe('rejected by U0APPROVER (slack): change freeze');
    expect(paused.batches[0]!.startedAt).toBeUndefined();
    await short.client.service.controlByPool({ pool: 'pool-b-prod', decision: 'abort', actor: APPROVER });
    await short.untilState(id, ['aborted']);
  });

  it('outside the maintenance window a batch waits and says until when', async () => {
    const now = new Date();
    // a one-hour window starting 6 hours from now, every day
    const hh = String((now.getUTCHours() + 6) % 24).padStart(2, '0');
    const hh2 = String((now.getUTCHours() + 7) % 24).padStart(2, '0');
    const config = testConfigFile({
      maintenanceWindows: [
        {
          days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
          start: `${hh}:00`,
          end: `${hh2}:00`,
          timeZone: 'UTC',
        },
      ],
    });
    const windowed = await h.lane(undefined, config);
    await windowed.worker();
    const { migration } = await windowed.client.service.start({
      pool: 'pool-b',
      mode: 'in-place',
      snapshot: false,
      soakSeconds: 0,
      origin: REQUESTER,
    });
    const waiting = await windowed.untilState(migration.migrationId, ['waiting-window']);
    expect(waiting.reason).toMatch(new RegExp(`batch 1 waits until \\w{3} ${hh}:00 UTC`));
    expect(Date.parse(waiting.parkedUntil!)).toBeGreaterThan(Date.now() + 4 * 3600_000);
    // The record is written just before the job parks itself: wait for the park (no worker slot held).
    const job = await until('the job parked', async () => {
      const state = await windowed.client.jobs.migrations.getJobState(migration.migrationId);
      return state === 'delayed' ? state : undefined;
    });
    expect(job).toBe('delayed');
    // outside production the requester may stop their own migration
    await windowed.client.service.controlByPool({ pool: 'pool-b', decision: 'abort', actor: REQUESTER });
    const aborted = await windowed.untilState(migration.migrationId, ['aborted']);
    expect(aborted.batches.every((b) => !b.startedAt)).toBe(true);
  });
});
