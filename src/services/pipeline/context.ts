/**
 * What every pipeline step gets: the ports, the record (kept current through optimistic updates), event
 * emission, the clock, the crash switch and the shutdown checkpoint. Steps are plain async functions of it.
 */
import type { ClusterPolicy } from '../../domain/approvals/policy.js';
import type { ProgressEvent } from '../../domain/migration/events.js';
import type { PipelineContext } from '../../domain/migration/pipeline.js';
import type { MigrationRecord } from '../../domain/migration/record.js';
import { advance } from '../../domain/migration/state-machine.js';
import type { PrecheckReport } from '../../domain/precheck/report.js';
import type { Logger } from '../../log/logger.js';
import type { CloudGateway } from '../../ports/cloud-gateway.js';
import type { ClusterAccess } from '../../ports/cluster-access.js';
import type { ClusterGateway } from '../../ports/cluster-gateway.js';
import type { DecisionStore } from '../../ports/decision-store.js';
import type { EventPublisher } from '../../ports/event-stream.js';
import type { AuditEntry } from '../../ports/migration-service.js';
import type { MigrationStore } from '../../ports/migration-store.js';
import type { PoolLease } from '../../ports/pool-lease.js';
import type { PolicySource } from '../cluster-policy.js';
import type { KillSwitch } from './kill-switch.js';
import { HandOff } from './step-failure.js';
import type { Timing } from './timing.js';

/** A cloud gateway that can name the node-pool task already running on a pool (DescribeClusterTasks). */
export interface ActiveTaskFinder {
  findActiveTask(clusterId: string, poolId: string): Promise<string | undefined>;
}

export interface RunnerDeps {
  store: MigrationStore;
  decisions: DecisionStore;
  events: EventPublisher;
  lease: PoolLease;
  cluster: ClusterGateway;
  cloud: CloudGateway & Partial<ActiveTaskFinder>;
  /** A fleet: each migration runs on its own cluster's gateways (docs/architecture.md#fleet). */
  access?: ClusterAccess | undefined;
  config: PolicySource;
  timing: Timing;
  /** The precheck of the pool (default: services/precheck-service.ts runPrecheck). */
  precheck: (request: { cluster: string; pool: string; maxParallel: number | undefined }) => Promise<PrecheckReport>;
  kill: KillSwitch;
  audit: (entry: Omit<AuditEntry, 'id' | 'at'>) => Promise<void>;
  logger: Logger;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  nonce: () => string;
}

export interface RunHooks {
  /** True when the worker is shutting down: the step yields at its next safe point. */
  shouldYield(): boolean;
  /** Throws when this worker no longer owns the job (fencing before a destructive call). */
  checkLock(): Promise<void>;
}

export class StepContext {
  private current: MigrationRecord;

  constructor(
    readonly deps: RunnerDeps,
    readonly hooks: RunHooks,
    record: MigrationRecord,
    readonly policy: ClusterPolicy,
    readonly pipeline: PipelineContext,
  ) {
    this.current = record;
  }

  get record(): MigrationRecord {
    return this.current;
  }

  get id(): string {
    return this.current.id;
  }

  get poolId(): string {
    const id = this.current.poolId;
    if (!id) throw new Error(`${this.current.id}: the pool is not resolved yet`);
    return id;
  }

  now(): Date {
    return this.deps.now();
  }

  async reload(): Promise<MigrationRecord> {
    this.current = await this.deps.store.require(this.current.id);
    return this.current;
  }

  async update(change: (r: MigrationRecord) => MigrationRecord): Promise<MigrationRecord> {
    this.current = await this.deps.store.update(this.current.id, change);
    return this.current;
  }

  /** The current step is done: move on. */
  async advance(change: (r: MigrationRecord) => MigrationRecord = (r) => r): Promise<MigrationRecord> {
    return this.update((r) => advance(change(r), this.pipeline, this.now()));
  }

  async emit(event: ProgressEvent): Promise<void> {
    await this.deps.events.publish(event);
  }

  /** A safe point: hand the job back if the worker is shutting down. */
  checkpoint(): void {
    if (this.hooks.shouldYield()) throw new HandOff();
  }

  /** Waits, but not through a shutdown. */
  async wait(ms: number): Promise<void> {
    this.checkpoint();
    await this.deps.sleep(ms);
    this.checkpoint();
  }

  /** Before a destructive call: still our job, not shutting down. */
  async guard(): Promise<void> {
    this.checkpoint();
    await this.hooks.checkLock();
  }
}

/** Polls `look` until it returns a value, backing off from minPollMs to pollMs while nothing changes. */
export async function pollUntil<T>(
  ctx: StepContext,
  timeoutMs: number,
  look: () => Promise<{ done: T } | { changed: boolean }>,
  onTimeout: () => Error,
): Promise<T> {
  const { minPollMs, pollMs } = ctx.deps.timing;
  const deadline = ctx.now().getTime() + timeoutMs;
  let delay = minPollMs;
  for (;;) {
    const r = await look();
    if ('done' in r) return r.done;
    if (ctx.now().getTime() >= deadline) throw onTimeout();
    delay = r.changed ? minPollMs : Math.min(pollMs, Math.round(delay * 1.5));
    await ctx.wait(delay);
  }
}
