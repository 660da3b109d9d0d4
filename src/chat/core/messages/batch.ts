/** The per-batch thread reply: an approval request first, then the nodes' step timelines, then durations. */
import type { BatchResult, MigrationSummary } from '../../../domain/migration/events.js';
import { capList, FINAL_STEPS, formatDuration, plural, STEP_LABEL, secondsBetween, truncate } from '../format.js';
import type { Message, TimelineRow } from '../message.js';
import type { BatchView, NodeProgress } from '../migration-view.js';

/** Rows in one timeline table; Slack caps a message at 50 blocks and people cannot read more anyway. */
export const MAX_TIMELINE_ROWS = 40;

/** "cordon 2s › drain 31s › stop" — each finished step with its duration, the current one without. */
export function stepTrail(progress: NodeProgress): string {
  const parts = progress.steps.map((s, i) => {
    const next = progress.steps[i + 1];
    if (FINAL_STEPS.has(s.step)) return STEP_LABEL[s.step];
    return next ? `${STEP_LABEL[s.step]} ${formatDuration(secondsBetween(s.at, next.at))}` : STEP_LABEL[s.step];
  });
  return parts.filter((p) => p !== STEP_LABEL.pending).join(' › ');
}

function nodeRow(batch: BatchView, node: string): TimelineRow {
  const progress = batch.progress[node];
  const outcome = batch.result?.nodes.find((n) => n.node === node);
  const step = outcome ? outcome.outcome : (progress?.step ?? 'pending');
  const row: TimelineRow = { node, step: STEP_LABEL[step] };
  const first = progress?.steps[0];
  const last = progress?.steps[progress.steps.length - 1];
  if (outcome) row.duration = formatDuration(outcome.seconds);
  else if (first && last && FINAL_STEPS.has(last.step))
    row.duration = formatDuration(secondsBetween(first.at, last.at));
  const trail = progress ? stepTrail(progress) : '';
  const extra = outcome?.detail ?? progress?.detail;
  const detail = [trail, extra ? truncate(extra, 160) : ''].filter(Boolean).join(' — ');
  if (detail) row.detail = detail;
  return row;
}

export function batchTimeline(batch: BatchView): TimelineRow[] {
  const rows = batch.nodes.slice(0, MAX_TIMELINE_ROWS).map((node) => nodeRow(batch, node));
  const hidden = batch.nodes.length - rows.length;
  if (hidden > 0) rows.push({ node: `… ${hidden} more`, step: '' });
  return rows;
}

export function resultLine(result: BatchResult): string {
  const count = (o: 'done' | 'failed' | 'skipped') => result.nodes.filter((n) => n.outcome === o).length;
  const parts = [`${count('done')} done`];
  if (count('failed')) parts.push(`${count('failed')} failed`);
  if (count('skipped')) parts.push(`${count('skipped')} skipped`);
  return `batch ${result.index}: ${parts.join(', ')} in ${formatDuration(result.seconds)}`;
}

function title(summary: MigrationSummary, batch: BatchView): string {
  return `Batch ${batch.index} of ${summary.batchCount} · ${summary.poolName}`;
}

/** A running or finished batch: one row per node with its current step, step durations and total duration. */
export function buildBatchProgress(summary: MigrationSummary, batch: BatchView): Message {
  const rows = batchTimeline(batch);
  const done = batch.nodes.filter((n) => {
    const step = batch.progress[n]?.step;
    return step !== undefined && FINAL_STEPS.has(step);
  }).length;
  let status: string;
  if (batch.result) status = `finished in ${formatDuration(batch.result.seconds)}`;
  else if (batch.phase === 'stopped') status = 'not started';
  else status = `running, ${done}/${batch.nodes.length} nodes finished`;
  const context = [
    batch.approvedBy ? `Approved by ${batch.approvedBy}` : undefined,
    batch.resolution,
    summary.migrationId,
  ].filter(Boolean);
  const message: Message = {
    text: `${title(summary, batch)}: ${status} (${plural(batch.nodes.length, 'node')})`,
    header: `${batch.result ? '✅' : batch.phase === 'stopped' ? '⏹️' : '🔄'} ${title(summary, batch)}: ${status}`,
    timeline: rows,
    context: context.join(' · '),
  };
  if (batch.result) message.body = [`*Result*: ${resultLine(batch.result)}`];
  return message;
}

export function evictionLines(batch: BatchView): string[] {
  const sorted = [...batch.evictions].sort((a, b) => b.pods - a.pods);
  return capList(sorted, 10, (e) => `- \`${e.workload}\`: ${plural(e.pods, 'pod')}`);
}

export function podTotal(batch: BatchView): number {
  return batch.evictions.reduce((sum, e) => sum + e.pods, 0);
}

export function nodeList(nodes: readonly string[]): string {
  return capList(nodes, 12, (n) => `\`${n}\``).join(', ');
}
