/**
 * MigrationJobs in process, with the queue semantics src/queue/bullmq-jobs.ts and bullmq-workers.ts give the
 * migration job: one job per migration id (a second add of the same id is a no-op), deduplicated by pool for the
 * job's whole life; a processor's `park` delays the job until its time or a wake-up, with the recheck right after
 * parking; `hand-back` puts it back in the queue; `wake` promotes a parked job, brings a failed one back fresh and
 * does nothing to a running one. Nothing runs by itself: `drain()` runs jobs until none is waiting (and promotes
 * parked jobs whose time has come on the test clock).
 */
import type { MigrationJobEnd, MigrationJobRun } from '../../../src/ports/job-processors.js';
import type { MigrationJobs, PrecheckJobData } from '../../../src/ports/job-queue.js';

export type JobState = 'waiting' | 'active' | 'delayed' | 'completed' | 'failed';

export interface InlineJob {
  id: string;
  dedupKey: string;
  state: JobState;
  until: Date | undefined;
  runs: number;
  error: Error | undefined;
}

export type MigrateProcessor = (run: MigrationJobRun) => Promise<MigrationJobEnd>;

export class InlineMigrationJobs implements MigrationJobs {
  readonly jobs = new Map<string, InlineJob>();
  readonly prechecks: PrecheckJobData[] = [];
  readonly cleanups: string[] = [];
  /** What the running job's `stopRequested` answers (a worker shutting down). */
  stopRequested = false;
  /** What the running job's `keepLock` answers (false: another worker owns it now). */
  keepsLock = true;
  private processor: MigrateProcessor | undefined;
  private onFailed: ((id: string, error: Error) => Promise<void>) | undefined;

  constructor(private readonly now: () => Date) {}

  /** The processor `drain` runs (jobs/migrate.ts createMigrateProcessor), and the hook for a job that failed. */
  attach(processor: MigrateProcessor, onFailed?: (id: string, error: Error) => Promise<void>): void {
    this.processor = processor;
    this.onFailed = onFailed;
  }

  async enqueueMigration(migrationId: string, dedupKey: string): Promise<string> {
    if (this.jobs.has(migrationId)) return migrationId;
    const holder = [...this.jobs.values()].find((j) => j.dedupKey === dedupKey && this.alive(j));
    if (holder) return holder.id;
    this.jobs.set(migrationId, {
      id: migrationId,
      dedupKey,
      state: 'waiting',
      until: undefined,
      runs: 0,
      error: undefined,
    });
    return migrationId;
  }

  async wake(migrationId: string, dedupKey?: string): Promise<void> {
    const job = this.jobs.get(migrationId);
    if (job && job.state !== 'failed') {
      if (job.state === 'delayed') job.state = 'waiting';
      return;
    }
    if (!dedupKey) return;
    this.jobs.delete(migrationId);
    await this.enqueueMigration(migrationId, dedupKey);
  }

  async enqueuePrecheck(data: PrecheckJobData): Promise<string> {
    this.prechecks.push(structuredClone(data));
    return `precheck-${this.prechecks.length}`;
  }

  async enqueueCleanup(migrationId: string): Promise<string> {
    this.cleanups.push(migrationId);
    return `cleanup-${migrationId}`;
  }

  state(migrationId: string): JobState | undefined {
    return this.jobs.get(migrationId)?.state;
  }

  /** Whether the job exists and is not finished (the pool lease's liveness check). */
  isAlive(migrationId: string): boolean {
    const job = this.jobs.get(migrationId);
    return job !== undefined && this.alive(job);
  }

  /**
   * Runs waiting jobs (and parked ones whose time has come) until none is left; resolves to how many runs that took.
   * A job that keeps coming back more than `maxRuns` times is a bug in the test or the code: it throws.
   */
  async drain(maxRuns = 500): Promise<number> {
    if (!this.processor) throw new Error('InlineMigrationJobs: attach a processor first');
    let runs = 0;
    for (;;) {
      const now = this.now().getTime();
      for (const j of this.jobs.values())
        if (j.state === 'delayed' && j.until && j.until.getTime() <= now) j.state = 'waiting';
      const job = [...this.jobs.values()].find((j) => j.state === 'waiting');
      if (!job) return runs;
      if (++runs > maxRuns) throw new Error(`InlineMigrationJobs: ${job.id} ran more than ${maxRuns} times`);
      await this.runOnce(job, this.processor);
    }
  }

  private async runOnce(job: InlineJob, processor: MigrateProcessor): Promise<void> {
    job.state = 'active';
    job.runs++;
    let end: MigrationJobEnd;
    try {
      end = await processor({
        migrationId: job.id,
        stopRequested: () => this.stopRequested,
        keepLock: async () => this.keepsLock,
      });
    } catch (error) {
      job.state = 'failed';
      job.error = error instanceof Error ? error : new Error(String(error));
      await this.onFailed?.(job.id, job.error);
      return;
    }
    if (end.type === 'done') {
      job.state = 'completed';
      return;
    }
    if (end.type === 'hand-back') {
      job.state = 'waiting';
      return;
    }
    job.state = 'delayed';
    job.until = end.until;
    try {
      // BullMQ: moveToDelayed, then the recheck; true promotes the job at once.
      if (await end.recheck()) job.state = 'waiting';
    } catch {
      // A worker that died here leaves the job parked: only a wake-up or its time brings it back.
    }
  }

  private alive(job: InlineJob): boolean {
    return job.state !== 'completed' && job.state !== 'failed';
  }
}
