/** Small text helpers shared by the message builders: durations, labels, bars and truncation. */
import type { ObjectRef } from '../../domain/cluster/snapshot.js';
import { formatDuration } from '../../domain/duration.js';
import type { MigrationState, MigrationSummary, NodeStep, Origin } from '../../domain/migration/events.js';
import type { Verdict } from '../../domain/precheck/report.js';

export { formatDuration };

export function secondsBetween(from: string, to: string): number {
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? Math.max(0, ms / 1000) : 0;
}

export const STATE_LABEL: Record<MigrationState, string> = {
  pending: '🕓 pending',
  running: '🔄 running',
  'awaiting-approval': '✋ awaiting approval',
  'waiting-window': '🕓 waiting for the maintenance window',
  soaking: '⏳ soaking',
  paused: '⏸️ paused',
  completed: '✅ completed',
  aborted: '⛔ aborted',
};

/** How a person caused a state change, for "Paused by alice". */
export const STATE_VERB: Record<MigrationState, string> = {
  pending: 'Re-queued',
  running: 'Resumed',
  'awaiting-approval': 'Waiting for approval',
  'waiting-window': 'Waiting for the window',
  soaking: 'Soaking',
  paused: 'Paused',
  completed: 'Completed',
  aborted: 'Aborted',
};

export const VERDICT_LABEL: Record<Verdict, string> = {
  ready: '✅ ready',
  warnings: '⚠️ ready with warnings',
  blocked: '⛔ blocked',
  'nothing-to-do': '➖ nothing to do (already containerd)',
};

export const STEP_LABEL: Record<NodeStep, string> = {
  pending: 'pending',
  snapshot: 'snapshot',
  cordon: 'cordon',
  drain: 'drain',
  stop: 'stop',
  'replace-disk': 'replace disk',
  init: 'init',
  start: 'start',
  ready: 'ready',
  verify: 'verify',
  done: '✅ done',
  failed: '❌ failed',
  skipped: '⏭️ skipped',
};

/** Steps after which a node needs nothing more. */
export const FINAL_STEPS: ReadonlySet<NodeStep> = new Set<NodeStep>(['done', 'failed', 'skipped']);

export function progressBar(done: number, total: number, width = 10): string {
  const ratio = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const filled = Math.round(ratio * width);
  return `${'▰'.repeat(filled)}${'▱'.repeat(width - filled)} ${done}/${total}`;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

export function objectLabel(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

export function who(origin: Pick<Origin, 'userId' | 'userName'>): string {
  return origin.userName ?? origin.userId;
}

/**
 * The ETA from ACK's estimate of a batch; with a time scale (the demo's sandbox runs faster than real time) the
 * simulated one too, so a demo batch of 15 s does not read as 48 minutes.
 */
export function etaText(minutes: number | undefined, timeScale?: number): string {
  if (minutes === undefined) return '—';
  if (minutes <= 0) return 'any moment';
  const ack = `~${formatDuration(minutes * 60)}`;
  if (timeScale === undefined || timeScale >= 1) return ack;
  return `${ack} (ACK's estimate) · ~${formatDuration(Math.max(1, Math.round(minutes * 60 * timeScale)))} in this demo`;
}

/** The state as people read it: a running migration with a pause asked for is "pausing…". */
export function stateText(s: Pick<MigrationSummary, 'state' | 'pausingBy'>): string {
  if ((s.state === 'running' || s.state === 'pending') && s.pausingBy) return `⏸️ pausing… (asked by ${s.pausingBy})`;
  return STATE_LABEL[s.state];
}

/** Lists at most `max` items, then "… and N more", so a 1,000-node pool still fits in one message. */
export function capList<T>(items: readonly T[], max: number, render: (item: T) => string): string[] {
  const lines = items.slice(0, max).map(render);
  if (items.length > max) lines.push(`… and ${items.length - max} more`);
  return lines;
}
