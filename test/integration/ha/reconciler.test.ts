/**
 * Issue "High availability": a worker starting finds migrations that nothing runs and repairs them
 * (src/app/reconciler.ts): a migration whose job vanished resumes and completes; one whose job failed for good
 * is parked paused with the reason, not left "running".
 */
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReconcileReport } from '../../../src/app/reconciler.js';
import { createMigrationRecord, type MigrationRecord } from '../../../src/domain/migration/record.js';
import { connectionOf, MIGRATIONS_QUEUE } from '../../../src/queue/queues.js';
import { dedupKeyOf } from '../../../src/services/start-migration.js';
import { redisUrl, testPrefix } from '../../support/redis.js';
import { type Lane, REQUESTER, scenarioYaml, until, WorkerHarness } from '../../support/worker-harness.js';

describe('start-up reconciler', { timeout: 90_000 }, () => {
  let h: WorkerHarness;
  beforeAll(async () => {
    h = await WorkerHarness.start({
      prefix: testPrefix('reconciler'),
      redisUrl: redisUrl(),
      scenario: scenarioYaml({ poolA: 2, poolB: 2 }),
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A migration as a start writes it (record, then job), with no worker to pick the job up yet. */
  async function seed(lane: Lane, poolName: string): Promise<string> {
    const pool = (await h.gateways.cloud.listNodePools('c-demo')).find((p) => p.name === poolName)!;
    const record: MigrationRecord = {
      ...createMigrationRecord({
        id: `mig-${poolName}-${Date.now()}`,
        clusterId: 'c-demo',
        poolRef: poolName,
        mode: 'in-place',
        options: { maxParallel: 1, snapshot: false, soakSeconds: 0, forceBarePods: false, autoApprove: false },
        origin: REQUESTER,
        production: false,
        now: new Date(),
      }),
      poolId: pool.id,
      poolName: pool.name,
    };
    await lane.client.store.create(record, [pool.name, pool.id]);
    await lane.client.jobs.enqueueMigration(record.id, dedupKeyOf(record));
    return record.id;
  }

  it('enqueues a migration whose job is gone again; it completes', async () => {
    const lane = await h.lane();
    const id = await seed(lane, 'pool-a');
    // The job is lost (a Redis that failed over before it was written, an operator's obliterate …).
    await lane.client.jobs.migrations.remove(id);
    expect(await lane.client.jobs.migrations.getJobState(id)).toBe('unknown');
    const reports: ReconcileReport[] = [];
    const stop = lane.autoApprove(id);
    await lane.worker({ reconcile: { graceMs: 0 }, onReconciled: (r) => reports.push(r) });
    expect(reports[0]?.resumed).toEqual([id]);
    const done = await lane.untilState(id, ['completed', 'aborted', 'paused'], 60_000);
    stop();
    expect(done.state).toBe('completed');
  });

  it('parks a migration whose job failed for good, with the reason', async () => {
    const lane = await h.lane();
    const id = await seed(lane, 'pool-b');
    // The job failed and the worker died before its failure hook ran: the record still says pending.
    const taker = new Worker(MIGRATIONS_QUEUE, null, {
      connection: connectionOf({ redisUrl: redisUrl(), prefix: lane.prefix }),
      prefix: lane.prefix,
    });
    const job = await taker.getNextJob('reconciler-test');
    expect(job?.id).toBe(id);
    await job?.moveToFailed(new Error('worker lost its connection'), 'reconciler-test', false);
    await taker.close();
    await until('the job failed', async () => (await lane.client.jobs.migrations.getJobState(id)) === 'failed');
    expect((await lane.record(id)).state).toBe('pending');
    const reports: ReconcileReport[] = [];
    await lane.worker({ reconcile: { graceMs: 0 }, onReconciled: (r) => reports.push(r) });
    expect(reports[0]?.parked).toEqual([id]);
    const parked = await lane.record(id);
    expect(parked.state).toBe('paused');
    expect(parked.reason).toContain('worker lost its connection');
    expect(parked.pending?.kind).toBe('failure');
  });
});
