/**
 * The record brought in line with the cluster when the line stops or the migration ends
 * (docs/architecture.md#stop-the-line-and-resume): a node the cluster shows migrated (node-truth.ts) is done, and a
 * batch whose nodes are all done (or skipped by a person) is done, with its result. Nothing is ever undone here, and
 * an open question stays open: a person still decides how to go on. In place only: in rotate mode a batch is done
 * when our own drain verified it, which the cluster cannot tell afterwards.
 */
import type { BatchResult, NodeReport, NodeTimelineEntry } from './events.js';
import type { BatchNodeState, BatchRecord, MigrationRecord } from './record.js';

const FOUND = 'found migrated in the cluster (containerd, Ready, new system disk)';

function settled(s: BatchNodeState | undefined): boolean {
  return s?.outcome === 'done' || s?.outcome === 'skipped';
}

function resultOf(batch: BatchRecord, at: string): BatchResult {
  const started = Date.parse(batch.startedAt ?? at);
  const seconds = (since: string | undefined) => Math.max(0, Math.round((Date.parse(since ?? at) - started) / 1000));
  return {
    index: batch.index,
    nodes: batch.nodes.map((node) => {
      const s = batch.nodeStates[node];
      const outcome = s?.outcome === 'skipped' ? 'skipped' : 'done';
      return outcome === 'skipped' && s?.detail
        ? { node, outcome, seconds: seconds(s.since), detail: s.detail }
        : { node, outcome, seconds: seconds(s?.since) };
    }),
    seconds: seconds(at),
  };
}

export function reconcileWithCluster(record: MigrationRecord, report: NodeReport, now: Date): MigrationRecord {
  if (record.mode !== 'in-place' || report.error !== undefined) return record;
  const migrated = new Set(report.nodes.filter((n) => n.condition === 'migrated').map((n) => n.node));
  if (migrated.size === 0) return record;
  const at = now.toISOString();
  const timeline: NodeTimelineEntry[] = [];
  const results = new Map(record.results.map((r) => [r.index, r]));
  let changed = false;
  const batches = record.batches.map((b) => {
    const nodeStates = { ...b.nodeStates };
    let touched = false;
    for (const node of b.nodes) {
      const s = nodeStates[node];
      if (!migrated.has(node) || settled(s)) continue;
      nodeStates[node] = { ...(s ?? {}), step: 'done', since: at, outcome: 'done', detail: FOUND };
      timeline.push({ node, step: 'done', at, detail: FOUND });
      touched = true;
    }
    const allDone =
      b.nodes.every((n) => settled(nodeStates[n])) && b.nodes.some((n) => nodeStates[n]?.outcome === 'done');
    if (!touched && (b.state === 'done' || !allDone)) return b;
    changed = true;
    const next: BatchRecord = { ...b, nodeStates };
    if (allDone && b.state !== 'done') {
      next.state = 'done';
      next.finishedAt = b.finishedAt ?? at;
      results.set(b.index, resultOf(next, at));
    }
    return next;
  });
  if (!changed) return record;
  return {
    ...record,
    batches,
    timeline: [...record.timeline, ...timeline],
    results: [...results.values()].sort((a, b) => a.index - b.index),
    updatedAt: at,
  };
}
