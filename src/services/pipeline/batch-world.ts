/**
 * A batch's view of the world and its bookkeeping: one look at the pool's nodes (one paged Kubernetes list)
 * and the batch's instances (one paged DescribeInstances), the evictions it causes, its start, its per-node
 * timeline (node.step events) and its result.
 */
import type { InstanceFacts, NodeFacts, WorkloadRef } from '../../domain/cluster/snapshot.js';
import { planNodeDrain } from '../../domain/drain/filters.js';
import type { BatchResult, NodeStep, NodeTimelineEntry } from '../../domain/migration/events.js';
import { progressed } from '../../domain/migration/node-progress.js';
import { type BatchRecord, batchAt, summarize } from '../../domain/migration/record.js';
import { startBatch } from '../../domain/migration/state-machine.js';
import { batchInfo } from '../migration-events.js';
import type { StepContext } from './context.js';

export interface BatchWorld {
  node(name: string): NodeFacts | undefined;
  instance(name: string): InstanceFacts | undefined;
}

export async function observeNodes(
  ctx: StepContext,
  poolId: string,
  names: string[],
  withInstances = true,
): Promise<BatchWorld> {
  const before = ctx.record.before;
  const ids = names.map((n) => before[n]?.instanceId).filter((x): x is string => !!x);
  const [nodes, instances] = await Promise.all([
    ctx.deps.cluster.listPoolNodes(poolId),
    withInstances && ids.length > 0 ? ctx.deps.cloud.describeInstances(ids) : Promise.resolve([]),
  ]);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const byInstance = new Map(instances.map((i) => [i.instanceId, i]));
  return {
    node: (name) => byName.get(name),
    instance: (name) => byInstance.get(before[name]?.instanceId ?? ''),
  };
}

/** Nodes of the batch still to be worked on (not skipped by a person). */
export function activeNodes(batch: BatchRecord): string[] {
  return batch.nodes.filter((n) => batch.nodeStates[n]?.outcome !== 'skipped');
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet']);

/** Counts the pods the batch will evict, per workload, once (one pod list per node). */
export async function ensureEvictions(ctx: StepContext, index: number): Promise<void> {
  const batch = batchAt(ctx.record, index);
  if (batch.evictions) return;
  const counts = new Map<string, number>();
  const workloads = new Map<string, WorkloadRef>();
  for (const node of batch.nodes) {
    const pods = await ctx.deps.cluster.listPodsOnNode(node);
    for (const pod of planNodeDrain(pods, { force: true }).evict) {
      const key = `${pod.owner.namespace}/${pod.owner.kind}/${pod.owner.name}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (WORKLOAD_KINDS.has(pod.owner.kind)) workloads.set(key, pod.owner);
    }
  }
  const evictions = [...counts].map(([workload, pods]) => ({ workload, pods })).sort((a, b) => b.pods - a.pods);
  await ctx.update((r) => ({
    ...r,
    batches: r.batches.map((b) => (b.index === index ? { ...b, evictions, workloads: [...workloads.values()] } : b)),
  }));
}

/** Marks the batch started and announces it, once. */
export async function announceBatch(ctx: StepContext, index: number): Promise<void> {
  if (batchAt(ctx.record, index).startedAt) return;
  await ensureEvictions(ctx, index);
  const now = ctx.now();
  const r = await ctx.update((x) => startBatch(x, index, now));
  const approvedBy = batchAt(r, index).approvedBy;
  await ctx.emit({
    type: 'batch.started',
    at: now.toISOString(),
    migration: summarize(r),
    batch: batchInfo(r, index),
    ...(approvedBy ? { approvedBy: approvedBy.userId } : {}),
  });
}

/** Collects node step changes of one look and writes them (and their events) at once. */
export class NodeTracker {
  private changes: Array<{ node: string; step: NodeStep; detail?: string }> = [];

  constructor(
    private readonly ctx: StepContext,
    private readonly index: number,
  ) {}

  see(node: string, observed: NodeStep, detail?: string): void {
    const batch = batchAt(this.ctx.record, this.index);
    const pendingStep = [...this.changes].reverse().find((c) => c.node === node)?.step;
    const previous = pendingStep ?? batch.nodeStates[node]?.step ?? 'pending';
    const next = progressed(previous, observed);
    if (next) this.changes.push(detail === undefined ? { node, step: next } : { node, step: next, detail });
  }

  /** Writes what changed; true when something did. */
  async flush(): Promise<boolean> {
    if (this.changes.length === 0) return false;
    const changes = this.changes;
    this.changes = [];
    const at = this.ctx.now().toISOString();
    const entries: NodeTimelineEntry[] = changes.map((c) =>
      c.detail === undefined
        ? { node: c.node, step: c.step, at }
        : { node: c.node, step: c.step, at, detail: c.detail },
    );
    const r = await this.ctx.update((x) => ({
      ...x,
      updatedAt: at,
      timeline: [...x.timeline, ...entries],
      batches: x.batches.map((b) => {
        if (b.index !== this.index) return b;
        const nodeStates = { ...b.nodeStates };
        for (const e of entries) {
          const prev = nodeStates[e.node];
          nodeStates[e.node] = {
            ...(prev ?? {}),
            step: e.step,
            since: at,
            ...(e.detail !== undefined ? { detail: e.detail } : {}),
          };
        }
        return { ...b, nodeStates };
      }),
    }));
    const migration = summarize(r);
    for (const entry of entries) {
      await this.ctx.emit({ type: 'node.step', at, migration, batch: this.index, entry });
    }
    return true;
  }
}

/** The batch is verified: nodes done, result recorded, batch.finished announced. */
export async function finishBatch(ctx: StepContext, index: number): Promise<void> {
  const now = ctx.now();
  const at = now.toISOString();
  const r = await ctx.advance((x) => {
    const b = batchAt(x, index);
    const started = Date.parse(b.startedAt ?? at);
    const nodes: BatchResult['nodes'] = b.nodes.map((n) => {
      const s = b.nodeStates[n];
      const outcome = s?.outcome === 'skipped' ? 'skipped' : 'done';
      const seconds = Math.max(0, Math.round((Date.parse(s?.since ?? at) - started) / 1000));
      return s?.detail && outcome === 'skipped'
        ? { node: n, outcome, seconds, detail: s.detail }
        : { node: n, outcome, seconds };
    });
    const result: BatchResult = { index, nodes, seconds: Math.max(0, Math.round((now.getTime() - started) / 1000)) };
    const doneEntries: NodeTimelineEntry[] = nodes
      .filter((n) => n.outcome === 'done')
      .map((n) => ({ node: n.node, step: 'done', at }));
    return {
      ...x,
      timeline: [...x.timeline, ...doneEntries],
      results: [...x.results.filter((y) => y.index !== index), result],
      batches: x.batches.map((y) =>
        y.index === index
          ? {
              ...y,
              state: 'done' as const,
              finishedAt: at,
              verifiedAt: at,
              nodeStates: Object.fromEntries(
                y.nodes.map((n) => {
                  const s = y.nodeStates[n];
                  if (s?.outcome === 'skipped') return [n, s];
                  return [n, { ...(s ?? {}), step: 'done' as const, since: at, outcome: 'done' as const }];
                }),
              ),
            }
          : y,
      ),
    };
  });
  const result = r.results.find((x) => x.index === index)!;
  await ctx.emit({ type: 'batch.finished', at, migration: summarize(r), result });
}
