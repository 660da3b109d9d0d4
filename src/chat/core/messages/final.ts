/**
 * The final summary: per-node timeline and durations, and what changed. When the worker read the cluster at the
 * end (the node report), the counts and every node's line say what the cluster showed: migrated, untouched, or
 * left mid-way with what to do about it.
 */
import type { BatchResult, NodeReport, NodeTimelineEntry, NodeTruth } from '../../../domain/migration/events.js';
import { describeTruth } from '../../../domain/migration/node-truth.js';
import { FINAL_STEPS, formatDuration, plural, STEP_LABEL, secondsBetween, who } from '../format.js';
import type { Message, TimelineRow } from '../message.js';
import type { MigrationView, NodeProgress } from '../migration-view.js';
import { MAX_TIMELINE_ROWS, stepTrail } from './batch.js';

function progressByNode(timeline: NodeTimelineEntry[]): Map<string, NodeProgress> {
  const nodes = new Map<string, NodeProgress>();
  for (const entry of [...timeline].sort((a, b) => a.at.localeCompare(b.at))) {
    const p = nodes.get(entry.node) ?? { node: entry.node, step: entry.step, steps: [] };
    p.steps.push({ step: entry.step, at: entry.at });
    p.step = entry.step;
    if (entry.detail) p.detail = entry.detail;
    nodes.set(entry.node, p);
  }
  return nodes;
}

const CONDITION_LABEL: Record<NodeTruth['condition'], string> = {
  migrated: '✅ migrated',
  untouched: '➖ untouched',
  'mid-way': '⚠️ left mid-way',
};

/** A node the record does not hold done or skipped is shown as the cluster has it. */
function withTruth(all: TimelineRow[], report: NodeReport | undefined): TimelineRow[] {
  if (!report || report.error) return all;
  const truth = new Map(report.nodes.map((n) => [n.node, n]));
  const settled = new Set([STEP_LABEL.done, STEP_LABEL.skipped]);
  return all.map((row) => {
    const t = truth.get(row.node);
    if (!t || settled.has(row.step)) return row;
    const detail = [row.detail, t.condition === 'mid-way' ? t.todo : undefined].filter(Boolean).join(' — ');
    return { ...row, step: CONDITION_LABEL[t.condition], ...(detail ? { detail } : {}) };
  });
}

function rows(batches: BatchResult[], timeline: NodeTimelineEntry[], report?: NodeReport): TimelineRow[] {
  const progress = progressByNode(timeline);
  const outcomes = batches.flatMap((b) => b.nodes);
  const seen = new Set(outcomes.map((n) => n.node));
  const all: TimelineRow[] = outcomes.map((n) => {
    const p = progress.get(n.node);
    const row: TimelineRow = { node: n.node, step: STEP_LABEL[n.outcome], duration: formatDuration(n.seconds) };
    const detail = [p ? stepTrail(p) : '', n.detail ?? p?.detail ?? ''].filter(Boolean).join(' — ');
    if (detail) row.detail = detail;
    return row;
  });
  // Nodes in the timeline but in no finished batch (an abort mid-batch) still belong in the record.
  for (const [node, p] of progress) {
    if (seen.has(node)) continue;
    const first = p.steps[0];
    const last = p.steps[p.steps.length - 1];
    const row: TimelineRow = { node, step: STEP_LABEL[p.step], detail: stepTrail(p) };
    if (first && last && FINAL_STEPS.has(p.step)) row.duration = formatDuration(secondsBetween(first.at, last.at));
    all.push(row);
  }
  const shown = withTruth(all, report);
  if (shown.length <= MAX_TIMELINE_ROWS) return shown;
  return [...shown.slice(0, MAX_TIMELINE_ROWS), { node: `… ${shown.length - MAX_TIMELINE_ROWS} more`, step: '' }];
}

const code = (nodes: NodeTruth[]) => nodes.map((n) => `\`${n.node}\``).join(', ');

/** What the cluster showed of every node, with what to do about the ones left mid-way. */
function truthLines(report: NodeReport): string[] {
  const of = (c: NodeTruth['condition']) => report.nodes.filter((n) => n.condition === c);
  const lines: string[] = [];
  if (of('untouched').length) lines.push(`- Untouched (still on Docker, schedulable): ${code(of('untouched'))}`);
  const midWay = of('mid-way');
  if (midWay.length) {
    lines.push(`- Left mid-way: ${plural(midWay.length, 'node')}`);
    for (const n of midWay) lines.push(`  - ${describeTruth(n)}`);
  }
  return lines;
}

export function buildFinalSummary(view: MigrationView): Message {
  const s = view.summary;
  const finished = view.finished ?? { at: s.updatedAt, timeline: [], batches: [] };
  const outcomes = finished.batches.flatMap((b) => b.nodes);
  const count = (o: string) => outcomes.filter((n) => n.outcome === o).length;
  const report = finished.nodeReport && !finished.nodeReport.error ? finished.nodeReport : undefined;
  // What the cluster showed at the end, when it was read; else what the record holds.
  const done = report ? report.migrated : count('done');
  const of = report ? report.nodes.length : s.nodesTotal;
  const total = secondsBetween(s.startedAt, finished.at);
  const completed = s.state === 'completed';
  const changed: string[] = [];
  if (done > 0) {
    changed.push(`- Container runtime docker → containerd on ${plural(done, 'node')}`);
    if (s.mode === 'in-place') {
      changed.push('- System disks replaced (new disk ids); private IPs, MACs and data disks unchanged (verified)');
    } else {
      changed.push('- Workloads moved to the new containerd node pool; the old pool was drained');
    }
  }
  const skipped = outcomes.filter((n) => n.outcome === 'skipped').map((n) => `\`${n.node}\``);
  if (skipped.length) changed.push(`- Skipped, still on Docker: ${skipped.join(', ')}`);
  const failed = outcomes.filter((n) => n.outcome === 'failed').map((n) => `\`${n.node}\``);
  if (failed.length) changed.push(`- Failed: ${failed.join(', ')}`);
  const untouched = s.nodesTotal - outcomes.length;
  if (report) changed.push(...truthLines(report));
  else if (!completed && untouched > 0) changed.push(`- Not touched: ${plural(untouched, 'node')} (still on Docker)`);
  const body = [[`*What changed*`, ...(changed.length ? changed : ['- Nothing'])].join('\n')];
  if (finished.nodeReport?.error) body.push(`*Nodes*: ${finished.nodeReport.error}; the counts are the record's`);
  if (completed)
    body.push(`Next: \`/migrate cleanup ${s.poolName}\` removes the old Docker directory from the data disks.`);
  if (!completed && s.reason) body.push(`*Why*: ${s.reason}`);
  return {
    text: `Migration of ${s.poolName} ${completed ? 'completed' : s.state}: ${done}/${of} nodes on containerd in ${formatDuration(total)}`,
    header: `${completed ? '✅' : '⛔'} ${s.poolName}: migration ${completed ? 'completed' : s.state}`,
    fields: [
      { label: 'Nodes migrated', value: `${done}/${of}` },
      report
        ? { label: 'Untouched / left mid-way', value: `${report.untouched} / ${report.midWay}` }
        : { label: 'Failed / skipped', value: `${count('failed')} / ${count('skipped')}` },
      { label: 'Batches', value: String(finished.batches.length) },
      { label: 'Duration', value: formatDuration(total) },
    ],
    timeline: rows(finished.batches, finished.timeline, finished.nodeReport),
    body,
    mentions: [s.origin.userId],
    context: `Requested by ${who(s.origin)} · ${s.migrationId} · ${s.mode}`,
  };
}
