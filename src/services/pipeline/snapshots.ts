/**
 * Snapshots before a batch (`--snapshot`): ECS CreateSnapshot of each node's system disk, then wait. ACK
 * tolerates 40 minutes of snapshot time; a node whose snapshot runs out fails untouched: the line stops before
 * the batch is upgraded, naming the node (Skip node continues without it, Retry takes a fresh snapshot).
 */
import { batchAt } from '../../domain/migration/record.js';
import { activeNodes, announceBatch, NodeTracker } from './batch-world.js';
import { pollUntil, type StepContext } from './context.js';
import { stepFailed } from './step-failure.js';

function setSnapshot(ctx: StepContext, index: number, node: string, snapshotId: string | undefined, at: string) {
  return ctx.update((r) => ({
    ...r,
    batches: r.batches.map((b) => {
      if (b.index !== index) return b;
      const prev = b.nodeStates[node] ?? { step: 'pending' as const, since: at };
      const next = { ...prev, snapshotAt: at };
      if (snapshotId === undefined) delete next.snapshotId;
      else next.snapshotId = snapshotId;
      return { ...b, nodeStates: { ...b.nodeStates, [node]: next } };
    }),
  }));
}

export async function snapshotStep(ctx: StepContext): Promise<void> {
  const index = ctx.record.cursor.batch;
  await announceBatch(ctx, index);
  const targets = activeNodes(batchAt(ctx.record, index)).filter((n) => ctx.record.before[n]?.systemDiskId);
  const tracker = new NodeTracker(ctx, index);
  for (const node of targets) {
    if (batchAt(ctx.record, index).nodeStates[node]?.snapshotId) continue;
    await ctx.guard();
    const disk = ctx.record.before[node]!.systemDiskId!;
    const { snapshotId } = await ctx.deps.cloud.createSnapshot(disk, `ack-migrate-${ctx.id}-${node}`.slice(0, 128));
    ctx.deps.kill('snapshot:after-create');
    await setSnapshot(ctx, index, node, snapshotId, ctx.now().toISOString());
    tracker.see(node, 'snapshot', snapshotId);
  }
  await tracker.flush();
  const limit = ctx.deps.timing.snapshotTimeoutMs;
  await pollUntil(
    ctx,
    // the per-node limit below decides; this only bounds a snapshot API that never answers
    limit * 2,
    async () => {
      const states = batchAt(ctx.record, index).nodeStates;
      const ids = targets.map((n) => states[n]?.snapshotId).filter((x): x is string => !!x);
      const snaps = new Map((await ctx.deps.cloud.describeSnapshots(ids)).map((s) => [s.snapshotId, s]));
      const now = ctx.now().getTime();
      for (const node of targets) {
        const s = states[node];
        const snap = snaps.get(s?.snapshotId ?? '');
        const status = (snap?.status ?? '').toLowerCase();
        if (status === 'accomplished') continue;
        if (status === 'failed') {
          await setSnapshot(ctx, index, node, undefined, ctx.now().toISOString());
          throw stepFailed(`the snapshot of ${node}'s system disk failed; the node was not touched`, node);
        }
        if (now - Date.parse(s?.snapshotAt ?? new Date(now).toISOString()) > limit) {
          await setSnapshot(ctx, index, node, undefined, ctx.now().toISOString());
          throw stepFailed(
            `the snapshot of ${node}'s system disk did not finish within ${Math.round(limit / 60_000)} min (${snap?.progress ?? 0}%); the node was not touched`,
            node,
          );
        }
        return { changed: false };
      }
      return { done: true };
    },
    () => stepFailed(`snapshots of batch ${index} did not finish`),
  );
  ctx.deps.kill('snapshot:after');
  await ctx.advance();
}
