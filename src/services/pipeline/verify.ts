/**
 * Verification after each batch (docs/architecture.md#migration-pipeline): in place, every node Ready, schedulable, on
 * containerd, same IP and MAC, new system disk; in rotate mode, the old nodes empty of evictable pods and the new
 * pool's nodes Ready on containerd. Then the batch's workloads must be back at their desired replicas. A mismatch stops
 * the line at once; "not yet" is waited for up to the ready timeout, then stops the line naming the node or workload.
 */
import { planNodeDrain } from '../../domain/drain/filters.js';
import { batchAt } from '../../domain/migration/record.js';
import { verifyNode } from '../../domain/migration/verification.js';
import { activeNodes, finishBatch, NodeTracker, observeNodes } from './batch-world.js';
import { pollUntil, type StepContext } from './context.js';
import { stepFailed } from './step-failure.js';

async function workloadsBack(ctx: StepContext, index: number): Promise<string | undefined> {
  const refs = batchAt(ctx.record, index).workloads ?? [];
  if (refs.length === 0) return undefined;
  const status = await ctx.deps.cluster.workloadStatus(refs);
  const short = status.find((s) => s.ready < s.desired);
  return short
    ? `${short.ref.namespace}/${short.ref.kind}/${short.ref.name} has ${short.ready}/${short.desired} ready replicas`
    : undefined;
}

type Waiting = { reason: string; node?: string };

/**
 * Polls until every node of the batch checks out and the batch's workloads are back, then finishes the batch.
 * `checkNodes` returns why it must wait (empty reason: nodes are fine) or throws to stop the line.
 */
async function verifyBatch(
  ctx: StepContext,
  index: number,
  checkNodes: (tracker: NodeTracker) => Promise<Waiting>,
): Promise<void> {
  const tracker = new NodeTracker(ctx, index);
  let waiting: Waiting = { reason: 'not checked yet' };
  await pollUntil(
    ctx,
    ctx.deps.timing.readyTimeoutMs,
    async () => {
      waiting = await checkNodes(tracker);
      const changed = await tracker.flush();
      if (waiting.reason) return { changed };
      const short = await workloadsBack(ctx, index);
      if (short) {
        waiting = { reason: short };
        return { changed };
      }
      return { done: true };
    },
    () => stepFailed(`verification of batch ${index} timed out: ${waiting.reason}`, waiting.node),
  );
  await finishBatch(ctx, index);
  ctx.deps.kill('verify:after');
}

export async function verifyInPlace(ctx: StepContext): Promise<void> {
  const index = ctx.record.cursor.batch;
  const targets = activeNodes(batchAt(ctx.record, index));
  await verifyBatch(ctx, index, async (tracker) => {
    const world = await observeNodes(ctx, ctx.poolId, targets);
    let waiting: Waiting = { reason: '' };
    for (const name of targets) {
      const v = verifyNode({
        mode: 'in-place',
        before: ctx.record.before[name]!,
        node: world.node(name),
        instance: world.instance(name),
      });
      if (v.status === 'mismatch') throw stepFailed(v.reason, name);
      if (v.status === 'waiting' && !waiting.reason) waiting = { reason: v.reason, node: name };
      if (v.status === 'ok') tracker.see(name, 'verify');
    }
    return waiting;
  });
}

export async function verifyRotate(ctx: StepContext): Promise<void> {
  const index = ctx.record.cursor.batch;
  const oldNodes = activeNodes(batchAt(ctx.record, index));
  const newPoolId = ctx.record.rotate?.newPoolId;
  if (!newPoolId) throw stepFailed('the new containerd pool is not recorded');
  await verifyBatch(ctx, index, async (tracker) => {
    let waiting: Waiting = { reason: '' };
    for (const name of oldNodes) {
      const left = planNodeDrain(await ctx.deps.cluster.listPodsOnNode(name), {
        force: ctx.record.options.forceBarePods,
      }).evict.filter((p) => p.phase !== 'Succeeded' && p.phase !== 'Failed');
      if (left.length > 0) {
        waiting = {
          reason: `${name} still runs ${left.length} pod(s), e.g. ${left[0]!.namespace}/${left[0]!.name}`,
          node: name,
        };
        break;
      }
      tracker.see(name, 'verify');
    }
    for (const node of await ctx.deps.cluster.listPoolNodes(newPoolId)) {
      const v = verifyNode({
        mode: 'rotate',
        before: {
          name: node.name,
          instanceId: '',
          privateIp: undefined,
          mac: undefined,
          systemDiskId: undefined,
          runtime: '',
        },
        node,
        instance: undefined,
      });
      if (v.status === 'mismatch') throw stepFailed(v.reason, node.name);
      if (v.status === 'waiting' && !waiting.reason) waiting = { reason: v.reason, node: node.name };
    }
    return waiting;
  });
}
