/**
 * The steps that wait rather than act: a batch's approval, the maintenance window, the soak after a batch, the
 * approval to remove the old pool (rotate), and the end. Waiting never holds a worker: the step records why and
 * until when, and the job parks (jobs/migrate.ts) until an answer or the time wakes it.
 */
import { formatDuration } from '../../domain/duration.js';
import { windowStatus } from '../../domain/maintenance-window.js';
import { type Actor, batchAt } from '../../domain/migration/record.js';
import { complete, parkUntil, requestApproval } from '../../domain/migration/state-machine.js';
import { awaitingApprovalEvent, finishedEvent, stateEvent } from '../migration-events.js';
import { ensureEvictions } from './batch-world.js';
import type { StepContext } from './context.js';

/** `start --yes`: the requester approves in advance; each approval still lands in the audit log. */
async function approveInAdvance(ctx: StepContext, detail: string, batch?: number): Promise<Actor> {
  const o = ctx.record.origin;
  const by: Actor = { platform: o.platform, userId: o.userId, at: ctx.now().toISOString() };
  await ctx.deps.audit({
    platform: by.platform,
    userId: by.userId,
    action: 'approve',
    migrationId: ctx.id,
    pool: ctx.record.poolName ?? ctx.record.poolRef,
    ...(batch !== undefined ? { batch } : {}),
    outcome: 'ok',
    detail,
  });
  return by;
}

async function ask(ctx: StepContext, subject: 'batch' | 'remove-old-pool', batch: number): Promise<void> {
  const now = ctx.now();
  const asked = await ctx.update((x) =>
    requestApproval(x, {
      subject,
      batch,
      nonce: ctx.deps.nonce(),
      ttlSeconds: ctx.deps.config.file.settings.approvalTtl,
      now,
    }),
  );
  await ctx.emit(awaitingApprovalEvent(asked, ctx.policy, now));
  ctx.deps.kill('approval:after-request');
}

export async function approvalStep(ctx: StepContext): Promise<void> {
  const index = ctx.record.cursor.batch;
  const batch = batchAt(ctx.record, index);
  if (batch.approvedBy) {
    ctx.deps.kill('approval:after-approved');
    await ctx.advance();
    return;
  }
  if (ctx.record.options.autoApprove) {
    const by = await approveInAdvance(ctx, `batch ${index} approved in advance (start --yes)`, index);
    await ctx.advance((r) => ({
      ...r,
      batches: r.batches.map((b) => (b.index === index ? { ...b, approvedBy: by } : b)),
    }));
    return;
  }
  await ensureEvictions(ctx, index);
  await ask(ctx, 'batch', index);
}

export async function approveRemoveStep(ctx: StepContext): Promise<void> {
  if (ctx.record.approvals?.['remove-old-pool']) {
    ctx.deps.kill('approve-remove:after-approved');
    await ctx.advance();
    return;
  }
  if (ctx.record.options.autoApprove) {
    const by = await approveInAdvance(ctx, 'removal of the old pool approved in advance (start --yes)');
    await ctx.advance((r) => ({ ...r, approvals: { ...r.approvals, 'remove-old-pool': by } }));
    return;
  }
  await ask(ctx, 'remove-old-pool', 0);
}

export async function windowStep(ctx: StepContext): Promise<void> {
  const now = ctx.now();
  const status = windowStatus(ctx.deps.config.file.settings.maintenanceWindows, now);
  if (status.open) {
    ctx.deps.kill('window:after');
    await ctx.advance();
    return;
  }
  const index = ctx.record.cursor.batch;
  const reason = `outside the maintenance window: batch ${index} waits until ${status.opensAtLocal} (${status.opensAt.toISOString()})`;
  const already = ctx.record.state === 'waiting-window' && ctx.record.parkedUntil === status.opensAt.toISOString();
  const parked = await ctx.update((x) => parkUntil(x, 'waiting-window', status.opensAt, reason, now));
  if (!already) await ctx.emit(stateEvent(parked, now, undefined, reason));
}

export async function soakStep(ctx: StepContext): Promise<void> {
  const now = ctx.now();
  const index = ctx.record.cursor.batch;
  const batch = batchAt(ctx.record, index);
  const from = Date.parse(batch.verifiedAt ?? batch.finishedAt ?? now.toISOString());
  const until = new Date(from + ctx.record.options.soakSeconds * 1000);
  if (until.getTime() <= now.getTime()) {
    ctx.deps.kill('soak:after');
    await ctx.advance();
    return;
  }
  const reason = `soaking ${formatDuration(ctx.record.options.soakSeconds)} after batch ${index}, until ${until.toISOString()}`;
  const already = ctx.record.state === 'soaking';
  const parked = await ctx.update((x) => parkUntil(x, 'soaking', until, reason, now));
  if (!already) await ctx.emit(stateEvent(parked, now, undefined, reason));
}

export async function finishStep(ctx: StepContext): Promise<void> {
  const now = ctx.now();
  const done = await ctx.update((x) => complete(x, now));
  await ctx.emit(finishedEvent(done, now));
  ctx.deps.kill('finish:before-release');
}
