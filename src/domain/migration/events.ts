/**
 * Progress events: the typed stream that workers emit and the bot's notifier turns into chat messages.
 * Workers never talk to chat; everything a person sees about a migration comes from these events.
 */
import type { Finding, PrecheckReport } from '../precheck/report.js';

export type Platform = 'slack' | 'dingtalk' | 'console' | 'cli';

export type MigrationMode = 'in-place' | 'rotate';

export type MigrationState =
  | 'pending' // enqueued, not yet picked up
  | 'running' // executing a batch (or preparing: lease, before-state, precheck, plan)
  | 'awaiting-approval' // parked until an approver clicks
  | 'waiting-window' // parked until the next maintenance window opens
  | 'soaking' // parked for --soak after a verified batch
  | 'paused' // stopped by a person or by stop-the-line; needs resume / retry / skip / abort
  | 'completed'
  | 'aborted';

export type NodeStep =
  | 'pending'
  | 'snapshot'
  | 'cordon'
  | 'drain'
  | 'stop'
  | 'replace-disk'
  | 'init'
  | 'start'
  | 'ready'
  | 'verify'
  | 'done'
  | 'failed'
  | 'skipped';

/** Where a command came from and where its answers go (the notifier keeps the thread/card ids). */
export interface Origin {
  platform: Platform;
  channel: string;
  /** Platform user id (Slack user id, DingTalk staff id, console user name, OS user). */
  userId: string;
  userName?: string;
  /** Thread or message to reply under, when the command was typed inside a thread. */
  threadId?: string;
}

/** The live summary of a migration: what the parent message (or DingTalk card) shows. */
export interface MigrationSummary {
  migrationId: string;
  clusterId: string;
  poolId: string;
  poolName: string;
  mode: MigrationMode;
  state: MigrationState;
  origin: Origin;
  nodesTotal: number;
  nodesDone: number;
  /** 1-based index of the batch in progress or awaiting approval. */
  currentBatch: number | undefined;
  batchCount: number;
  etaMinutes: number | undefined;
  startedAt: string;
  updatedAt: string;
  /** Why it is paused, failed or aborted. */
  reason?: string;
  /** Who asked for a pause that takes effect when the current step ends (the migration is still running). */
  pausingBy?: string;
}

export interface BatchInfo {
  /** 1-based */
  index: number;
  nodes: string[];
  /** Pods that the batch will evict, grouped by top-level workload (`namespace/Kind/name` → count). */
  evictions: Array<{ workload: string; pods: number }>;
}

export interface NodeTimelineEntry {
  node: string;
  step: NodeStep;
  at: string;
  detail?: string;
}

export interface BatchResult {
  index: number;
  nodes: Array<{ node: string; outcome: 'done' | 'failed' | 'skipped'; seconds: number; detail?: string }>;
  seconds: number;
}

/** What is true of one node, read from Kubernetes and ECS (src/domain/migration/node-truth.ts). */
export interface NodeTruth {
  node: string;
  /** migrated: containerd, Ready, schedulable, new system disk; untouched: still Docker and schedulable. */
  condition: 'migrated' | 'untouched' | 'mid-way';
  /** What was seen, in words. */
  seen: string;
  /** What a person should do about it; absent when nothing is needed. */
  todo?: string;
}

/** Every node of a migration as the cluster has it, read at abort and at completion. */
export interface NodeReport {
  at: string;
  migrated: number;
  untouched: number;
  midWay: number;
  nodes: NodeTruth[];
  /** The cluster could not be read (then `nodes` is empty). */
  error?: string;
}

/** Who may resume a stopped migration (src/domain/migration/resume-rights.ts). */
export interface ResumeRights {
  /** Resuming re-runs batch `batch` of a production migration: an approver other than the requester must. */
  needsApproval: boolean;
  batch: number;
  /** Nodes of the plan not yet migrated nor skipped (absent before the plan). */
  nodesLeft?: number;
  by: Array<{ platform: Platform; userId: string }>;
}

export interface ApprovalRequest {
  /** One-time value carried by the buttons; a click with another nonce is stale. */
  nonce: string;
  expiresAt: string;
  /** What is being approved: a batch, the removal of the old pool (rotate), a blocker override, a cleanup. */
  subject: 'batch' | 'remove-old-pool' | 'override-blockers' | 'cleanup';
  approvers: string[];
}

export type ProgressEvent =
  | { type: 'precheck.finished'; at: string; origin: Origin; report: PrecheckReport }
  | { type: 'precheck.failed'; at: string; origin: Origin; pool: string; reason: string }
  | { type: 'migration.started'; at: string; migration: MigrationSummary; plan: number[][] }
  | {
      type: 'migration.state';
      at: string;
      migration: MigrationSummary;
      by?: string;
      reason?: string;
      /** A worker carries on with a step an earlier run began and did not finish (a restart, a killed worker). */
      resumed?: boolean;
    }
  | {
      type: 'batch.awaiting-approval';
      at: string;
      migration: MigrationSummary;
      batch: BatchInfo;
      approval: ApprovalRequest;
      lastBatch: BatchResult | undefined;
    }
  | { type: 'batch.started'; at: string; migration: MigrationSummary; batch: BatchInfo; approvedBy?: string }
  | { type: 'node.step'; at: string; migration: MigrationSummary; batch: number; entry: NodeTimelineEntry }
  | { type: 'batch.finished'; at: string; migration: MigrationSummary; result: BatchResult }
  | {
      type: 'migration.failed';
      at: string;
      migration: MigrationSummary;
      batch: number | undefined;
      node: string | undefined;
      reason: string;
      /** Buttons the thread offers: Retry / Skip node / Abort, with their nonce. */
      approval: ApprovalRequest;
      /** Who may resume (Retry) it. */
      resume?: ResumeRights;
    }
  | {
      type: 'migration.finished';
      at: string;
      migration: MigrationSummary;
      timeline: NodeTimelineEntry[];
      batches: BatchResult[];
      nodeReport?: NodeReport;
    }
  | { type: 'cleanup.finished'; at: string; origin: Origin; pool: string; freedBytesByNode: Record<string, number> }
  | { type: 'notice'; at: string; origin: Origin; text: string; findings?: Finding[] };
