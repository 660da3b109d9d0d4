/**
 * Cleanup after a finished migration: an approval, then Cloud Assistant removes the old Docker directory on
 * each node's data disk, and cleanup.finished reports the space freed per node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../src/domain/migration/events.js';
import { redisUrl, testPrefix } from '../../support/redis.js';
import { type Lane, REQUESTER, scenarioYaml, until, WorkerHarness } from '../../support/worker-harness.js';

describe('cleanup', { timeout: 60_000 }, () => {
  let h: WorkerHarness;
  let lane: Lane;
  beforeAll(async () => {
    h = await WorkerHarness.start({
      prefix: testPrefix('cleanup'),
      redisUrl: redisUrl(),
      scenario: scenarioYaml({ poolA: 2, poolB: 3 }),
    });
    lane = await h.lane();
    await lane.worker();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('needs a finished migration, then an approval, and reports the bytes freed per node', async () => {
    const none = await lane.client.service.requestCleanup({ pool: 'pool-b', origin: REQUESTER });
    expect(none).toMatchObject({ ok: false, code: 'NOT_FOUND' });

    const { migration } = await lane.client.service.start({
      pool: 'pool-b',
      mode: 'in-place',
      snapshot: false,
      soakSeconds: 0,
      origin: REQUESTER,
    });
    await lane.untilState(migration.migrationId, ['completed'], 40_000);

    const asked = await lane.client.service.requestCleanup({ pool: 'pool-b', origin: REQUESTER });
    expect(asked).toMatchObject({ ok: true });
    const record = await lane.record(migration.migrationId);
    expect(record.cleanup?.state).toBe('awaiting-approval');
    const request = lane.events.find(
      (e) => e.type === 'batch.awaiting-approval' && e.approval.subject === 'cleanup',
    ) as Extract<ProgressEvent, { type: 'batch.awaiting-approval' }>;
    expect(request.batch.nodes).toEqual(['pool-b-1', 'pool-b-2', 'pool-b-3']);
    expect(await lane.client.jobs.migrations.getJob(`cleanup-${migration.migrationId}`)).toBeUndefined();

    const stranger = await lane.client.service.decide({
      migrationId: migration.migrationId,
      decision: 'approve',
      nonce: record.cleanup!.nonce,
      actor: { platform: 'slack', channel: 'C', userId: 'U0STRANGER' },
    });
    expect(stranger).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const ok = await lane.client.service.decide({
      migrationId: migration.migrationId,
      decision: 'approve',
      nonce: record.cleanup!.nonce,
      actor: REQUESTER,
    });
    expect(ok).toMatchObject({ ok: true });
    // The answer reaches the migration's thread, so the request's Approve / Reject go away there.
    const answered = await until('the cleanup answer as a migration.state', () =>
      lane.events.find(
        (e) =>
          e.type === 'migration.state' &&
          e.migration.migrationId === migration.migrationId &&
          e.reason?.startsWith('cleanup') === true,
      ),
    );
    expect(answered).toMatchObject({
      by: REQUESTER.userId,
      reason: expect.stringContaining('cleanup of pool-b approved'),
    });

    const finished = await until('cleanup.finished', () =>
      lane.events.find((e): e is Extract<ProgressEvent, { type: 'cleanup.finished' }> => e.type === 'cleanup.finished'),
    );
    expect(Object.keys(finished.freedBytesByNode).sort()).toEqual(['pool-b-1', 'pool-b-2', 'pool-b-3']);
    for (const bytes of Object.values(finished.freedBytesByNode)) expect(bytes).toBeGreaterThan(0);
    expect(finished.pool).toBe('pool-b');
    const done = await lane.record(migration.migrationId);
    expect(done.cleanup).toMatchObject({ state: 'done', approvedBy: { userId: REQUESTER.userId } });

    // From a terminal: a second cleanup finds nothing left.
    const cli = await lane.cli(['cleanup', 'pool-b', '--yes', '--wait']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('cleanup of pool-b done: 0.0 GiB freed');
  });
});
