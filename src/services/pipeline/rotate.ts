/**
 * Rotate mode (docs/architecture.md#migration-pipeline): a containerd pool cloned from the old one, scaled out to carry
 * the load and Ready before anything moves; the old pool cordoned; its nodes drained batch by batch with our own drain;
 * then, after its own approval, the old nodes removed and the old pool deleted. Each step looks before it acts: the new
 * pool is found by name, cordoning and removal are idempotent, a gone pool is not deleted twice.
 */
import { batchAt } from '../../domain/migration/record.js';
import { markStarted } from '../../domain/migration/state-machine.js';
import { isContainerd } from '../../domain/migration/verification.js';
import { cordonNodes, drainNode } from '../drain.js';
import { activeNodes, announceBatch, NodeTracker } from './batch-world.js';
import { pollUntil, type StepContext } from './context.js';
import { stepFailed } from './step-failure.js';

export function newPoolName(old: string): string {
  const suffix = '-containerd';
  return `${old.slice(0, 63 - suffix.length)}${suffix}`;
}

function oldNodeNames(ctx: StepContext): string[] {
  return Object.keys(ctx.record.before).sort();
}

export async function preparePoolStep(ctx: StepContext): Promise<void> {
  const r = ctx.record;
  const name = r.rotate?.newPoolName ?? newPoolName(r.poolName ?? r.poolRef);
  if (!r.rotate)
    await ctx.update((x) => ({ ...x, rotate: { newPoolName: name, oldCordoned: false, oldRemoved: false } }));
  const size = oldNodeNames(ctx).length;
  let newPoolId = ctx.record.rotate?.newPoolId;
  if (!newPoolId) {
    const existing = (await ctx.deps.cloud.listNodePools(r.clusterId)).find((p) => p.name === name);
    if (existing) {
      newPoolId = existing.id;
    } else {
      const target = await ctx.deps.cloud.containerdVersion(r.clusterId);
      await ctx.guard();
      await ctx.update((x) => markStarted(x, ctx.now()));
      // Created at its full size once; the gateway follows the create task until the nodes have joined.
      const created = await ctx.deps.cloud.createNodePool(r.clusterId, {
        name,
        runtime: 'containerd',
        runtimeVersion: target.runtimeVersion,
        cloneOf: ctx.poolId,
        desiredSize: size,
      });
      ctx.deps.kill('prepare-pool:after-create-pool');
      newPoolId = created.poolId;
    }
    const id = newPoolId;
    await ctx.update((x) => ({ ...x, rotate: { ...x.rotate!, newPoolId: id } }));
  }
  const poolId = newPoolId;
  // A no-op when the pool has its size (scaling_group.desired_size): only a pool found short is topped up.
  await ctx.deps.cloud.scaleNodePool(r.clusterId, poolId, size);
  let lastReady = -1;
  await pollUntil(
    ctx,
    ctx.deps.timing.newPoolTimeoutMs,
    async () => {
      const nodes = await ctx.deps.cluster.listPoolNodes(poolId);
      const ready = nodes.filter((n) => n.ready && !n.unschedulable && isContainerd(n.runtimeVersion)).length;
      const changed = ready !== lastReady;
      lastReady = ready;
      return ready >= size ? { done: true } : { changed };
    },
    () => stepFailed(`the new pool ${name} has ${Math.max(0, lastReady)} of ${size} nodes Ready on containerd`),
  );
  if (!ctx.record.rotate?.oldCordoned) {
    await ctx.guard();
    await cordonNodes(ctx.deps.cluster, oldNodeNames(ctx));
    await ctx.update((x) => ({ ...x, rotate: { ...x.rotate!, oldCordoned: true } }));
    ctx.deps.kill('prepare-pool:after-cordon');
  }
  await ctx.advance();
}

export async function drainBatchStep(ctx: StepContext): Promise<void> {
  const index = ctx.record.cursor.batch;
  await announceBatch(ctx, index);
  const nodes = activeNodes(batchAt(ctx.record, index));
  const tracker = new NodeTracker(ctx, index);
  await ctx.guard();
  await cordonNodes(ctx.deps.cluster, nodes);
  for (const n of nodes) tracker.see(n, 'cordon');
  await tracker.flush();
  ctx.deps.kill('execute:after-cordon');
  const { timing } = ctx.deps;
  const settings = {
    timeoutMs: timing.drainTimeoutMs,
    evictRetryMs: timing.evictRetryMs,
    deletePollMs: timing.deletePollMs,
    force: ctx.record.options.forceBarePods,
  };
  const deps = {
    cluster: ctx.deps.cluster,
    now: ctx.deps.now,
    sleep: ctx.deps.sleep,
    checkpoint: () => ctx.checkpoint(),
  };
  for (const n of nodes) tracker.see(n, 'drain');
  await tracker.flush();
  const results = await Promise.allSettled(nodes.map((n) => drainNode(deps, n, settings)));
  for (const [i, result] of results.entries()) {
    if (result.status === 'fulfilled') tracker.see(nodes[i]!, 'ready', `${result.value.evicted} pod(s) moved`);
  }
  await tracker.flush();
  const failed = results.find((x): x is PromiseRejectedResult => x.status === 'rejected');
  if (failed) throw failed.reason;
  ctx.deps.kill('execute:after-drain-node');
  await ctx.advance();
}

export async function removeOldPoolStep(ctx: StepContext): Promise<void> {
  const r = ctx.record;
  const oldId = ctx.poolId;
  await ctx.guard();
  await ctx.update((x) => markStarted(x, ctx.now()));
  // The gateway waits for the pool to be idle before each call and follows each task to its end: the nodes are
  // removed first, then the empty pool is deleted.
  if ((await ctx.deps.cloud.listNodePools(r.clusterId)).some((p) => p.id === oldId)) {
    const left = await ctx.deps.cluster.listPoolNodes(oldId);
    if (left.length > 0) {
      await ctx.deps.cloud.removeNodePoolNodes(
        r.clusterId,
        oldId,
        left.map((n) => n.name),
      );
      ctx.deps.kill('remove-old-pool:after-remove-nodes');
    }
    await ctx.deps.cloud.deleteNodePool(r.clusterId, oldId);
    ctx.deps.kill('remove-old-pool:after-delete-pool');
  }
  await pollUntil(
    ctx,
    ctx.deps.timing.newPoolTimeoutMs,
    async () =>
      (await ctx.deps.cloud.listNodePools(r.clusterId)).some((p) => p.id === oldId)
        ? { changed: false }
        : { done: true },
    () => stepFailed(`the old pool ${r.poolName} (${oldId}) was not removed in time`),
  );
  await ctx.advance((x) => ({ ...x, rotate: { ...x.rotate!, oldRemoved: true } }));
}
