/**
 * The migration record: everything a worker needs to resume a migration anywhere, kept in Redis as one JSON
 * document per migration. Pure data and pure helpers; the state machine (state-machine.ts) moves it forward.
 */
import type { WorkloadRef } from '../cluster/snapshot.js';
import type { Finding, PrecheckReport, Verdict } from '../precheck/report.js';
import type {
  ApprovalRequest,
  BatchResult,
  MigrationMode,
  MigrationState,
  MigrationSummary,
  NodeReport,
  NodeStep,
  NodeTimelineEntry,
  Origin,
  Platform,
} from './events.js';

/**
 * The steps of the pipeline (docs/architecture.md#migration-pipeline). Batch steps repeat per batch; the others run
 * once.
 */
export const STEP_KINDS = [
  'lease',
  'before-state',
  'precheck',
  'plan',
  'prepare-pool',
  'approval',
  'window',
  'snapshot',
  'execute',
  'verify',
  'soak',
  'approve-remove',
  'remove-old-pool',
  'finish',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/**
 * Where the migration stands. `phase: 'started'` is written before a destructive call, so a resumed worker knows
 * it must look at the world before acting again.
 */
export interface Cursor {
  step: StepKind;
  /** 1-based batch number for batch steps, 0 otherwise. */
  batch: number;
  phase: 'pending' | 'started';
}

export interface NodeBefore {
  name: string;
  instanceId: string;
  privateIp: string | undefined;
  mac: string | undefined;
  systemDiskId: string | undefined;
  runtime: string;
}

export interface Actor {
  platform: Platform;
  userId: string;
  at: string;
}

export type NodeOutcome = 'done' | 'failed' | 'skipped';

export interface BatchNodeState {
  step: NodeStep;
  since: string;
  outcome?: NodeOutcome;
  detail?: string;
  snapshotId?: string;
  /** When the snapshot was asked for (the 40-minute limit counts from here). */
  snapshotAt?: string;
}

export interface BatchRecord {
  /** 1-based */
  index: number;
  nodes: string[];
  state: 'pending' | 'running' | 'done' | 'failed';
  approvedBy?: Actor;
  /** ACK task of the in-place upgrade; stored before it is followed, so a resumed step follows it again. */
  taskId?: string;
  startedAt?: string;
  finishedAt?: string;
  verifiedAt?: string;
  nodeStates: Record<string, BatchNodeState>;
  /** Pods the batch evicts, per top-level workload (`namespace/Kind/name`), counted when the batch is announced. */
  evictions?: Array<{ workload: string; pods: number }>;
  /** Workloads with pods on the batch's nodes: verified back at their desired replicas after the batch. */
  workloads?: WorkloadRef[];
}

/** A question only a person can answer: approve a batch, decide after a failure, resume a pause. */
export interface Pending {
  nonce: string;
  kind: 'approval' | 'failure' | 'paused';
  subject: ApprovalRequest['subject'] | 'failure' | 'resume';
  /** 1-based batch the question is about, 0 when it is about the whole migration. */
  batch: number;
  node?: string;
  requestedAt: string;
  expiresAt?: string;
}

export interface Failure {
  batch: number;
  node: string | undefined;
  reason: string;
  at: string;
}

export interface MigrationOptions {
  maxParallel: number | undefined;
  snapshot: boolean;
  soakSeconds: number;
  /** Delete bare pods (no controller) during a rotate drain, like `kubectl drain --force`. */
  forceBarePods: boolean;
  /** `start --yes` from the CLI: the requester pre-approved every batch (checked at start). */
  autoApprove: boolean;
  /** `start --override-blockers` from the CLI: the requester overrode the precheck's blockers (checked at start). */
  overrideBlockers?: boolean;
}

export interface RotateState {
  newPoolName: string;
  newPoolId?: string;
  oldCordoned: boolean;
  oldRemoved: boolean;
  /** After an abort: the undrained old nodes were made schedulable again. */
  oldUncordoned?: boolean;
}

export interface PlanRecord {
  maxParallel: number;
  batches: string[][];
  estimatedMinutes: number;
  /** Where the planner could not keep replicas apart or stay within a PDB. */
  notes: string[];
}

export interface PrecheckSummary {
  verdict: Verdict;
  blockers: Finding[];
  warnings: number;
  /** The planner's proposal (all of the pool's nodes); the plan step keeps the nodes still on Docker. */
  plan?: PrecheckReport['plan'];
}

export interface CleanupState {
  state: 'awaiting-approval' | 'running' | 'done' | 'failed';
  requestedBy: Origin;
  nonce: string;
  expiresAt: string;
  approvedBy?: Actor;
  freedBytesByNode?: Record<string, number>;
  /** Cloud Assistant invocations, stored before they are followed so a resumed cleanup does not run twice. */
  invokeIds?: string[];
  reason?: string;
}

export interface MigrationRecord {
  id: string;
  /** Optimistic-concurrency version, bumped by every store write. */
  version: number;
  clusterId: string;
  /** The pool as the requester named it (name or id) until the before-state resolves it. */
  poolRef: string;
  poolId: string | undefined;
  poolName: string | undefined;
  mode: MigrationMode;
  options: MigrationOptions;
  origin: Origin;
  production: boolean;
  state: MigrationState;
  reason?: string;
  cursor: Cursor;
  before: Record<string, NodeBefore>;
  precheck?: PrecheckSummary;
  plan?: PlanRecord;
  batches: BatchRecord[];
  pending?: Pending;
  /** Approvals of the extras (override of blockers, removal of the old pool), first decision recorded. */
  approvals?: Partial<Record<Exclude<ApprovalRequest['subject'], 'batch'>, Actor>>;
  failure?: Failure;
  /** Typed pause/abort, honoured at the next safe boundary (after a parked abort: until its nodes are read). */
  control: { pause?: Actor; abort?: Actor };
  rotate?: RotateState;
  /** Until when the migration is parked (approval expiry, window opening, soak end). */
  parkedUntil?: string;
  timeline: NodeTimelineEntry[];
  results: BatchResult[];
  cleanup?: CleanupState;
  /** Every node as the cluster had it when the migration was aborted or completed (node-truth.ts). */
  nodeReport?: NodeReport;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
}

export const TERMINAL_STATES: ReadonlySet<MigrationState> = new Set(['completed', 'aborted']);

export function isTerminal(record: Pick<MigrationRecord, 'state'>): boolean {
  return TERMINAL_STATES.has(record.state);
}

export interface NewMigration {
  id: string;
  clusterId: string;
  poolRef: string;
  mode: MigrationMode;
  options: MigrationOptions;
  origin: Origin;
  production: boolean;
  now: Date;
}

const ID_POOL = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** `mig-<pool>-<ulid>`: readable in chat, unique per run, and a valid BullMQ job id (no `:`, not all digits). */
export function migrationId(pool: string, ulid: string): string {
  const safe = pool.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  if (!ID_POOL.test(safe)) throw new RangeError(`not a pool name: ${pool}`);
  return `mig-${safe}-${ulid.toLowerCase()}`;
}

export function createMigrationRecord(input: NewMigration): MigrationRecord {
  const at = input.now.toISOString();
  return {
    id: input.id,
    version: 0,
    clusterId: input.clusterId,
    poolRef: input.poolRef,
    poolId: undefined,
    poolName: undefined,
    mode: input.mode,
    options: input.options,
    origin: input.origin,
    production: input.production,
    state: 'pending',
    cursor: { step: 'lease', batch: 0, phase: 'pending' },
    before: {},
    batches: [],
    control: {},
    timeline: [],
    results: [],
    createdAt: at,
    updatedAt: at,
  };
}

export function nodesDone(record: MigrationRecord): number {
  let n = 0;
  for (const b of record.batches) for (const s of Object.values(b.nodeStates)) if (s.outcome === 'done') n++;
  return n;
}

/** The batch the migration is on (1-based), or undefined before the plan and after the last batch. */
export function currentBatch(record: MigrationRecord): number | undefined {
  return record.cursor.batch > 0 ? record.cursor.batch : undefined;
}

/** Steps after the last batch: no batch time is left. */
const AFTER_BATCHES: ReadonlySet<StepKind> = new Set(['approve-remove', 'remove-old-pool', 'finish']);

export function summarize(record: MigrationRecord, minutesPerBatch?: number): MigrationSummary {
  const batchCount = record.batches.length;
  const cur = currentBatch(record);
  const after = AFTER_BATCHES.has(record.cursor.step);
  const left = isTerminal(record) || after ? 0 : cur === undefined ? batchCount : batchCount - cur + 1;
  // The plan was estimated with settings.minutesPerBatch: keep counting with the same rate.
  const perBatch =
    minutesPerBatch ??
    (record.plan && record.plan.batches.length > 0 ? record.plan.estimatedMinutes / record.plan.batches.length : 8);
  const summary: MigrationSummary = {
    migrationId: record.id,
    clusterId: record.clusterId,
    poolId: record.poolId ?? record.poolRef,
    poolName: record.poolName ?? record.poolRef,
    mode: record.mode,
    state: record.state,
    origin: record.origin,
    nodesTotal: record.plan ? record.plan.batches.flat().length : Object.keys(record.before).length,
    // Once the cluster was read at the end, the count is what it showed (what kubectl shows).
    nodesDone: record.nodeReport && !record.nodeReport.error ? record.nodeReport.migrated : nodesDone(record),
    currentBatch: cur,
    batchCount,
    etaMinutes: record.plan ? Math.round(left * perBatch) : undefined,
    startedAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
  if (record.reason !== undefined) summary.reason = record.reason;
  if (record.control.pause && (record.state === 'running' || record.state === 'pending'))
    summary.pausingBy = record.control.pause.userId;
  return summary;
}

export function batchAt(record: MigrationRecord, index: number): BatchRecord {
  const b = record.batches[index - 1];
  if (!b) throw new RangeError(`migration ${record.id} has no batch ${index}`);
  return b;
}
