/**
 * The migration pipeline at unit speed: the real runner (src/services/pipeline/), the real migrate job
 * (jobs/migrate.ts) and the real MigrationService, on the in-memory stores, the fake gateways and an in-process job
 * queue. Time is a test clock: the runner's `sleep` moves it on and lets the fake world take one step, so a
 * migration of hours runs in milliseconds with no real wait. `when()` acts at the first sleep a condition holds
 * (a click while a batch runs, a fault cleared mid-way).
 */
import { createMigrateProcessor } from '../../../jobs/migrate.js';
import { type ConfigFile, configFileSchema } from '../../../src/config/config-file.js';
import type { Origin, ProgressEvent } from '../../../src/domain/migration/events.js';
import type { MigrationRecord } from '../../../src/domain/migration/record.js';
import { createLogger } from '../../../src/log/logger.js';
import type { DecisionRequest, DecisionResult } from '../../../src/ports/migration-service.js';
import { MigrationServiceImpl, type StartOptions } from '../../../src/services/migration-service.js';
import type { RunnerDeps } from '../../../src/services/pipeline/context.js';
import { stopTheLineForJob } from '../../../src/services/pipeline/job-failure.js';
import { type KillSwitch, killSwitch } from '../../../src/services/pipeline/kill-switch.js';
import { DEFAULT_TIMING, type Timing } from '../../../src/services/pipeline/timing.js';
import { runPrecheck } from '../../../src/services/precheck-service.js';
import { createMemoryStores, type MemoryStores } from '../../../src/stores/memory/memory-stores.js';
import { FakeCloudGateway, type FakeCloudOptions } from './fake-cloud-gateway.js';
import { FakeClusterGateway } from './fake-cluster-gateway.js';
import { FakeWorld, type FakeWorldSpec, type PoolSpec } from './fake-world.js';
import { InlineMigrationJobs } from './inline-migration-jobs.js';
import { InlinePoolDirectory } from './inline-pool-directory.js';

export const APPROVER: Origin = { platform: 'slack', channel: 'C0MIGRATIONS', userId: 'U0APPROVER' };
export const REQUESTER: Origin = { platform: 'slack', channel: 'C0MIGRATIONS', userId: 'U0REQUESTER' };
export const SECOND_APPROVER: Origin = { platform: 'slack', channel: 'C0MIGRATIONS', userId: 'U0SECOND' };
export const STRANGER: Origin = { platform: 'slack', channel: 'C0MIGRATIONS', userId: 'U0STRANGER' };

/** c-demo is production with three Slack approvers (the requester among them); pool-b and pool-r are staging. */
export function harnessConfig(settings: Record<string, unknown> = {}): ConfigFile {
  return configFileSchema.parse({
    clusters: [
      {
        id: 'c-demo',
        environment: 'production',
        pools: { 'pool-b': { environment: 'staging' }, 'pool-r': { environment: 'staging' } },
        approvers: { slack: [APPROVER.userId, SECOND_APPROVER.userId, REQUESTER.userId], cli: ['root'] },
      },
    ],
    settings: { allowSelfApproval: false, ...settings },
  });
}

/**
 * pool-a (production, 6 nodes) and pool-b (staging, 3 nodes), both Docker and labelled team=web; a three-replica
 * Deployment with a PDB allowing one disruption, and a DaemonSet on every node.
 */
export function demoWorld(over: { poolA?: number; poolB?: number; pools?: PoolSpec[] } = {}): FakeWorldSpec {
  return {
    pools: [
      { id: 'np-a', name: 'pool-a', nodes: over.poolA ?? 6, labels: { team: 'web' } },
      { id: 'np-b', name: 'pool-b', nodes: over.poolB ?? 3, labels: { team: 'web' } },
      ...(over.pools ?? []),
    ],
    controllers: [
      { kind: 'Deployment', namespace: 'web', name: 'api', replicas: 3, nodeSelector: { team: 'web' } },
      { kind: 'DaemonSet', namespace: 'kube-system', name: 'node-agent' },
    ],
    pdbs: [{ namespace: 'web', name: 'api', selector: { app: 'api' }, maxUnavailable: 1 }],
  };
}

export class TestClock {
  private t: number;

  constructor(start = Date.parse('2026-03-02T10:00:00.000Z')) {
    this.t = start;
  }

  readonly now = (): Date => new Date(this.t);

  advance(ms: number): void {
    this.t += ms;
  }
}

export interface HarnessOptions {
  world?: FakeWorldSpec;
  config?: ConfigFile;
  timing?: Partial<Timing>;
  kill?: KillSwitch;
  cloud?: FakeCloudOptions;
}

export class MigrationHarness {
  readonly clock = new TestClock();
  readonly world: FakeWorld;
  readonly cloud: FakeCloudGateway;
  readonly cluster: FakeClusterGateway;
  readonly stores: MemoryStores;
  readonly jobs: InlineMigrationJobs;
  readonly runner: RunnerDeps;
  readonly service: MigrationServiceImpl;
  /** How many times the runner slept (each one a step of the world). */
  sleeps = 0;
  private readonly hooks: Array<{ when: () => boolean | Promise<boolean>; then: () => unknown }> = [];
  private nonces = 0;

  constructor(options: HarnessOptions = {}) {
    this.world = new FakeWorld(options.world ?? demoWorld());
    this.cloud = new FakeCloudGateway(this.world, options.cloud);
    this.cluster = new FakeClusterGateway(this.world);
    this.jobs = new InlineMigrationJobs(this.clock.now);
    this.stores = createMemoryStores({
      now: this.clock.now,
      holderAlive: async (holder) => {
        const r = await this.stores.migrations.get(holder);
        return r !== undefined && r.state !== 'completed' && r.state !== 'aborted' && this.jobs.isAlive(holder);
      },
    });
    const config = { file: options.config ?? harnessConfig(), defaultClusterId: 'c-demo' };
    const nonce = () => `nonce-${++this.nonces}`;
    const precheckDeps = { cluster: this.cluster, cloud: this.cloud, defaultClusterId: 'c-demo' };
    this.runner = {
      store: this.stores.migrations,
      decisions: this.stores.decisions,
      events: this.stores.events,
      lease: this.stores.lease,
      cluster: this.cluster,
      cloud: this.cloud,
      config,
      timing: { ...DEFAULT_TIMING, ...options.timing },
      precheck: (request) => runPrecheck(precheckDeps, request),
      kill: options.kill ?? killSwitch(undefined),
      audit: async (entry) => {
        await this.stores.audit.append(entry);
      },
      logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      now: this.clock.now,
      sleep: (ms) => this.sleep(ms),
      nonce,
    };
    this.jobs.attach(createMigrateProcessor(this.runner), async (id, error) => {
      await stopTheLineForJob(this.runner, id, error);
    });
    this.service = new MigrationServiceImpl({
      config,
      store: this.stores.migrations,
      decisions: this.stores.decisions,
      audit: this.stores.audit,
      events: this.stores.events,
      jobs: this.jobs,
      pools: new InlinePoolDirectory(precheckDeps),
      now: this.clock.now,
      nonce,
    });
  }

  /** Starts a migration as the requester (in place, no snapshot, no soak unless given); returns its id. */
  async start(pool: string, over: Partial<StartOptions> = {}): Promise<string> {
    const { migration } = await this.service.start({
      pool,
      mode: 'in-place',
      snapshot: false,
      soakSeconds: 0,
      origin: REQUESTER,
      ...over,
    });
    return migration.migrationId;
  }

  /** Runs the queue until every job is parked or done; resolves to the record. */
  async settle(id: string): Promise<MigrationRecord> {
    await this.jobs.drain();
    return this.record(id);
  }

  record(id: string): Promise<MigrationRecord> {
    return this.stores.migrations.require(id);
  }

  /** Answers the open question the way its button would (its nonce and batch), as `actor`. */
  async answer(
    id: string,
    decision: DecisionRequest['decision'],
    actor: Origin = APPROVER,
    extra: Partial<DecisionRequest> = {},
  ): Promise<DecisionResult> {
    const p = (await this.record(id)).pending;
    return this.service.decide({
      migrationId: id,
      decision,
      actor,
      ...(p ? { nonce: p.nonce, batch: p.batch } : {}),
      ...extra,
    });
  }

  /**
   * Settles, approving every approval as `actor` and letting soaks and windows pass on the clock, until the
   * migration ends or stops on something else (a failure, a pause).
   */
  async runToEnd(id: string, actor: Origin = APPROVER): Promise<MigrationRecord> {
    for (let i = 0; i < 100; i++) {
      const r = await this.settle(id);
      if (r.pending?.kind === 'approval') {
        const answer = await this.answer(id, 'approve', actor);
        if (!answer.ok) throw new Error(`approval refused: ${answer.message}`);
      } else if ((r.state === 'soaking' || r.state === 'waiting-window') && r.parkedUntil) {
        this.clock.advance(Math.max(1, Date.parse(r.parkedUntil) - this.clock.now().getTime()));
      } else return r;
    }
    throw new Error(`${id} did not end`);
  }

  /** Every event of one migration, in order. */
  events(id: string): ProgressEvent[] {
    return this.stores.events.all().filter((e) => 'migration' in e && e.migration.migrationId === id);
  }

  /** ReplaceSystemDisk calls the cloud saw for a node (by its instance, which outlives a disk). */
  replacements(instanceId: string): number {
    return this.world.instanceStats(instanceId).ReplaceSystemDisk ?? 0;
  }

  /** Runs `then` once, at the first sleep of the runner at which `when` holds. */
  when(when: () => boolean | Promise<boolean>, then: () => unknown): void {
    this.hooks.push({ when, then });
  }

  private async sleep(ms: number): Promise<void> {
    this.sleeps++;
    this.clock.advance(ms);
    this.world.tick();
    for (const hook of [...this.hooks]) {
      if (await hook.when()) {
        this.hooks.splice(this.hooks.indexOf(hook), 1);
        await hook.then();
      }
    }
  }
}
