/**
 * What a chat user can know about one migration, folded from its progress events. Pure: the notifier keeps one
 * view per migration and renders messages from it; the builders never look at raw events.
 */
import type {
  ApprovalRequest,
  BatchInfo,
  BatchResult,
  MigrationSummary,
  NodeReport,
  NodeStep,
  NodeTimelineEntry,
  ProgressEvent,
  ResumeRights,
} from '../../domain/migration/events.js';
import { STATE_VERB } from './format.js';

export type MigrationEvent = Extract<ProgressEvent, { migration: MigrationSummary }>;

export interface NodeProgress {
  node: string;
  step: NodeStep;
  /** Every step the node entered, in order, with its start time. */
  steps: Array<{ step: NodeStep; at: string }>;
  detail?: string;
}

export type BatchPhase = 'awaiting-approval' | 'running' | 'finished' | 'stopped';

export interface BatchView {
  index: number;
  nodes: string[];
  evictions: BatchInfo['evictions'];
  phase: BatchPhase;
  /** The open approval request while phase is awaiting-approval. */
  approval?: ApprovalRequest;
  lastBatch?: BatchResult;
  approvedBy?: string;
  startedAt?: string;
  progress: Record<string, NodeProgress>;
  result?: BatchResult;
  /** How an approval request ended when it did not end in an approval ("Rejected by bob"). */
  resolution?: string;
}

export interface FailureView {
  at: string;
  batch: number | undefined;
  node: string | undefined;
  reason: string;
  approval: ApprovalRequest;
  /** Who may resume (Retry) it. */
  resume?: ResumeRights;
  /** Set once someone acted on it (retry, skip, abort) or the migration moved on. */
  resolution?: string;
}

/** An approval that is not about a batch: overriding precheck blockers, removing the old pool, a cleanup. */
export interface RequestView {
  at: string;
  subject: Exclude<ApprovalRequest['subject'], 'batch'>;
  approval: ApprovalRequest;
  /** Nodes concerned (the cleanup lists them). */
  nodes: string[];
  /** Why it was asked (the summary's reason then), kept so later news does not rewrite the question. */
  reason?: string;
  resolution?: string;
}

/** A one-off line for the thread: a pause asked for or taken, a resume after an interruption. Posted once. */
export interface NoteView {
  key: string;
  text: string;
}

export interface MigrationView {
  summary: MigrationSummary;
  /** Real seconds per simulated second when the cloud is the demo's sandbox (the ETA is shown both ways). */
  timeScale?: number;
  notes: NoteView[];
  plan?: number[][];
  batches: Record<number, BatchView>;
  failures: FailureView[];
  requests: RequestView[];
  /** How it ended; `nodeReport` is every node as the cluster had it then. */
  finished?: { at: string; timeline: NodeTimelineEntry[]; batches: BatchResult[]; nodeReport?: NodeReport };
}

const MOVING_ON = new Set<MigrationSummary['state']>(['running', 'pending', 'waiting-window', 'soaking']);

export function isMigrationEvent(event: ProgressEvent): event is MigrationEvent {
  return 'migration' in event;
}

export function emptyView(summary: MigrationSummary): MigrationView {
  return { summary, batches: {}, failures: [], requests: [], notes: [] };
}

function batchFrom(view: MigrationView, info: BatchInfo): BatchView {
  const existing = view.batches[info.index];
  const batch: BatchView = existing ?? {
    index: info.index,
    nodes: [],
    evictions: [],
    phase: 'running',
    progress: {},
  };
  batch.nodes = info.nodes;
  batch.evictions = info.evictions;
  view.batches[info.index] = batch;
  return batch;
}

/** The batch a node event refers to, created from what we know when the bot missed its start (restart). */
function batchAt(view: MigrationView, index: number): BatchView {
  const batch = view.batches[index] ?? { index, nodes: [], evictions: [], phase: 'running', progress: {} };
  view.batches[index] = batch;
  return batch;
}

function closeApprovals(view: MigrationView, resolution: string, approved: boolean): void {
  for (const request of view.requests) request.resolution ??= resolution;
  for (const batch of Object.values(view.batches)) {
    if (batch.phase === 'awaiting-approval') {
      // An approved batch is about to run: showing it as "not started" until batch.started arrives would be
      // wrong, and would cost an extra edit per batch.
      batch.phase = approved ? 'running' : 'stopped';
      if (!approved) batch.resolution = resolution;
      delete batch.approval;
    }
  }
}

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

function closeFailures(view: MigrationView, resolution: string): void {
  for (const failure of view.failures) failure.resolution ??= resolution;
}

function note(view: MigrationView, key: string, text: string): void {
  if (!view.notes.some((n) => n.key === key)) view.notes.push({ key, text });
}

/** Pauses asked for and taken, and a worker carrying on after an interruption, get a line in the thread. */
function noteState(
  view: MigrationView,
  event: Extract<MigrationEvent, { type: 'migration.state' }>,
  before: MigrationSummary,
) {
  const s = event.migration;
  const where = s.currentBatch === undefined ? '' : ` at batch ${s.currentBatch} of ${s.batchCount}`;
  if (event.resumed) {
    note(
      view,
      `resumed:${event.at}`,
      `▶️ Resumed${where} after an interruption (a restart or a stopped worker): the step that was under way is looked at again before anything is repeated.`,
    );
  }
  if (s.pausingBy && s.pausingBy !== before.pausingBy) {
    note(
      view,
      `pausing:${event.at}`,
      `⏸️ Pause requested by ${s.pausingBy}: pausing… the migration stops when the current step ends.`,
    );
  }
  if (s.state === 'paused' && before.state !== 'paused') {
    note(
      view,
      `paused:${event.at}`,
      `⏸️ Paused${s.reason ? `: ${s.reason}` : ''}. \`/migrate resume ${s.poolName}\` carries on, \`/migrate abort ${s.poolName}\` stops for good.`,
    );
  }
}

/** Applies one event. Mutates and returns the view (created from the event when there is none yet). */
export function applyEvent(current: MigrationView | undefined, event: MigrationEvent): MigrationView {
  const view = current ?? emptyView(event.migration);
  const before = view.summary;
  view.summary = event.migration;
  switch (event.type) {
    case 'migration.started':
      view.plan = event.plan;
      break;
    case 'migration.state': {
      const { state } = event.migration;
      const by = event.by ? ` by ${event.by}` : '';
      const why = event.reason ?? event.migration.reason;
      const resolution = `${STATE_VERB[state]}${by}${why ? `: ${why}` : ''}`;
      // Moving on from a question means someone said yes; pausing or aborting means no.
      const approved = MOVING_ON.has(state) && event.by !== undefined;
      // A decision on an ended migration answers its cleanup request: the service's words say which way.
      const decided =
        state === 'completed' && event.by !== undefined && event.reason ? sentence(event.reason) : undefined;
      const answered = decided ?? (approved ? `Approved${by}` : resolution);
      // A failure pauses the migration itself, so "paused" must not close the alert that says why.
      if (state !== 'awaiting-approval') closeApprovals(view, answered, approved);
      if (state !== 'paused') closeFailures(view, resolution);
      noteState(view, event, before);
      break;
    }
    case 'batch.awaiting-approval': {
      const { subject } = event.approval;
      if (subject !== 'batch') {
        if (!view.requests.some((r) => r.approval.nonce === event.approval.nonce)) {
          const { reason } = event.migration;
          view.requests.push({
            at: event.at,
            subject,
            approval: event.approval,
            nodes: event.batch.nodes,
            ...(reason ? { reason } : {}),
          });
        }
        break;
      }
      const batch = batchFrom(view, event.batch);
      batch.phase = 'awaiting-approval';
      batch.approval = event.approval;
      if (event.lastBatch) batch.lastBatch = event.lastBatch;
      delete batch.resolution;
      break;
    }
    case 'batch.started': {
      const batch = batchFrom(view, event.batch);
      batch.phase = 'running';
      delete batch.approval;
      delete batch.resolution;
      batch.startedAt ??= event.at;
      if (event.approvedBy) batch.approvedBy = event.approvedBy;
      for (const node of batch.nodes) batch.progress[node] ??= { node, step: 'pending', steps: [] };
      for (const failure of view.failures) failure.resolution ??= 'Resumed';
      break;
    }
    case 'node.step': {
      const batch = batchAt(view, event.batch);
      const { node, step, at, detail } = event.entry;
      if (!batch.nodes.includes(node)) batch.nodes.push(node);
      const progress = batch.progress[node] ?? { node, step, steps: [] };
      const last = progress.steps[progress.steps.length - 1];
      // Redis streams deliver at least once: a repeated entry must not add a step.
      if (!(last && last.step === step && last.at === at)) progress.steps.push({ step, at });
      progress.step = step;
      if (detail !== undefined) progress.detail = detail;
      else delete progress.detail;
      batch.progress[node] = progress;
      break;
    }
    case 'batch.finished': {
      const batch = batchAt(view, event.result.index);
      batch.phase = 'finished';
      batch.result = event.result;
      for (const n of event.result.nodes) if (!batch.nodes.includes(n.node)) batch.nodes.push(n.node);
      break;
    }
    case 'migration.failed': {
      if (event.batch !== undefined && event.node !== undefined) {
        const batch = batchAt(view, event.batch);
        const progress = batch.progress[event.node] ?? { node: event.node, step: 'failed', steps: [] };
        progress.step = 'failed';
        progress.detail = event.reason;
        batch.progress[event.node] = progress;
      }
      if (!view.failures.some((f) => f.approval.nonce === event.approval.nonce)) {
        view.failures.push({
          at: event.at,
          batch: event.batch,
          node: event.node,
          reason: event.reason,
          approval: event.approval,
          ...(event.resume ? { resume: event.resume } : {}),
        });
      }
      break;
    }
    case 'migration.finished':
      view.finished = {
        at: event.at,
        timeline: event.timeline,
        batches: event.batches,
        ...(event.nodeReport ? { nodeReport: event.nodeReport } : {}),
      };
      closeApprovals(view, STATE_VERB[event.migration.state], false);
      closeFailures(view, STATE_VERB[event.migration.state]);
      break;
  }
  return view;
}

/** The non-batch approval that still waits for a click, if any. */
export function openRequest(view: MigrationView): RequestView | undefined {
  return view.requests.find((r) => r.resolution === undefined);
}

/** The failure alert that still waits for a click, if any. */
export function openFailure(view: MigrationView): FailureView | undefined {
  return view.failures.find((f) => f.resolution === undefined);
}

/** The batch a user most wants to see: awaiting approval or running, else the last one. */
export function currentBatch(view: MigrationView): BatchView | undefined {
  const all = Object.values(view.batches).sort((a, b) => a.index - b.index);
  return all.find((b) => b.phase === 'awaiting-approval' || b.phase === 'running') ?? all[all.length - 1];
}
