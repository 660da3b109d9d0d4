/** A MigrationService that records every call and answers from a script, for dispatcher tests. */
import type { MigrationSummary } from '../../../src/domain/migration/events.js';
import type {
  AuditEntry,
  DecisionRequest,
  DecisionResult,
  MigrationService,
} from '../../../src/ports/migration-service.js';

export interface RecordedCall {
  method: keyof MigrationService;
  args: unknown;
}

export function summary(patch: Partial<MigrationSummary> = {}): MigrationSummary {
  return {
    migrationId: 'mig-pool-a-01JTEST',
    clusterId: 'c-demo',
    poolId: 'np-a',
    poolName: 'pool-a',
    mode: 'in-place',
    state: 'running',
    origin: { platform: 'slack', channel: 'C-ops', userId: 'U-req' },
    nodesTotal: 6,
    nodesDone: 2,
    currentBatch: 2,
    batchCount: 3,
    etaMinutes: 16,
    startedAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:10:00Z',
    ...patch,
  };
}

export class FakeMigrationService implements MigrationService {
  calls: RecordedCall[] = [];
  audits: Array<Omit<AuditEntry, 'id' | 'at'>> = [];
  decision: DecisionResult = { ok: true, migration: summary(), message: 'Approved batch 2 of pool-a' };
  failWith: Error | undefined;
  /** Makes every call hang until released, to show replies never wait for slow work. */
  hang: Promise<void> | undefined;

  /** Calls other than audit entries: what the bot asked the worker side to do or tell. */
  work(): RecordedCall[] {
    return this.calls.filter((c) => c.method !== 'audit');
  }

  private async record(method: keyof MigrationService, args: unknown): Promise<void> {
    this.calls.push({ method, args });
    if (this.hang) await this.hang;
    if (this.failWith) throw this.failWith;
  }

  async requestPrecheck(request: Parameters<MigrationService['requestPrecheck']>[0]) {
    await this.record('requestPrecheck', request);
    return { jobId: 'job-1' };
  }
  async start(request: Parameters<MigrationService['start']>[0]) {
    await this.record('start', request);
    return { migration: summary({ state: 'pending' }), created: true };
  }
  async status(pool?: string) {
    await this.record('status', pool);
    return [summary()];
  }
  async decide(request: DecisionRequest) {
    await this.record('decide', request);
    return this.decision;
  }
  async controlByPool(request: Parameters<MigrationService['controlByPool']>[0]) {
    await this.record('controlByPool', request);
    return this.decision;
  }
  async history(pool?: string, limit?: number) {
    await this.record('history', { pool, limit });
    return [];
  }
  async requestCleanup(request: Parameters<MigrationService['requestCleanup']>[0]) {
    await this.record('requestCleanup', request);
    return this.decision;
  }
  async audit(entry: Omit<AuditEntry, 'id' | 'at'>) {
    this.calls.push({ method: 'audit', args: entry });
    this.audits.push(entry);
  }
}
