/**
 * The steps before the first batch: lease the pool, record every node's before-state, run the precheck, plan
 * the batches. Each looks at what is already recorded first, so a resumed worker repeats nothing.
 */
import { isProduction, mayAutoApprove } from '../../domain/approvals/policy.js';
import { schedule } from '../../domain/batch-schedule.js';
import { type BatchRecord, type MigrationRecord, type NodeBefore, summarize } from '../../domain/migration/record.js';
import { abortNow, complete, requestApproval } from '../../domain/migration/state-machine.js';
import { isContainerd } from '../../domain/migration/verification.js';
import { awaitingApprovalEvent, finishedEvent, stateEvent } from '../migration-events.js';
import type { StepContext } from './context.js';

const SYSTEM = { platform: 'cli' as const, userId: 'ack-migrate', at: '' };

/** Ends the migration without running anything (unknown pool, pool busy, nothing to do). */
export async function endEarly(ctx: StepContext, how: 'aborted' | 'completed', reason: string): Promise<void> {
  const now = ctx.now();
  const r = await ctx.update((x) =>
    how === 'aborted' ? abortNow(x, { ...SYSTEM, at: now.toISOString() }, now, reason) : complete(x, now, reason),
  );
  await ctx.emit(stateEvent(r, now, undefined, reason));
  await ctx.emit(finishedEvent(r, now));
}

export async function leaseStep(ctx: StepContext): Promise<void> {
  const r = ctx.record;
  const pools = await ctx.deps.cloud.listNodePools(r.clusterId);
  const pool = pools.find((p) => p.name === r.poolRef) ?? pools.find((p) => p.id === r.poolRef);
  if (!pool) {
    const names = pools.map((p) => p.name).join(', ') || '(none)';
    return endEarly(ctx, 'aborted', `unknown pool "${r.poolRef}" in cluster ${r.clusterId}; pools: ${names}`);
  }
  const lease = await ctx.deps.lease.acquire(r.clusterId, pool.id, r.id);
  if (!lease.ok) return endEarly(ctx, 'aborted', `pool ${pool.name} is being migrated by ${lease.holder}`);
  await ctx.deps.store.indexPool(r, [pool.name, pool.id]);
  const now = ctx.now();
  // The start resolved the pool already; the config may have changed since. Never run a production pool on
  // approvals given in advance by someone who may not give them.
  const production = isProduction(ctx.policy, { name: pool.name, id: pool.id });
  for (const [flag, wanted] of [
    ['--yes', r.options.autoApprove],
    ['--override-blockers', r.options.overrideBlockers],
  ] as const) {
    const may = wanted ? mayAutoApprove(ctx.policy, production, r.origin, flag) : { ok: true as const };
    if (!may.ok) {
      await ctx.deps.audit({
        platform: r.origin.platform,
        userId: r.origin.userId,
        action: 'start',
        migrationId: r.id,
        pool: pool.name,
        outcome: 'refused',
        detail: may.message,
      });
      return endEarly(ctx, 'aborted', may.message);
    }
  }
  const updated = await ctx.update((x) => ({
    ...x,
    poolId: pool.id,
    poolName: pool.name,
    production,
    state: 'running',
    updatedAt: now.toISOString(),
  }));
  await ctx.emit(stateEvent(updated, now, undefined, 'started'));
  ctx.deps.kill('lease:after');
  await ctx.advance();
}

export async function beforeStateStep(ctx: StepContext): Promise<void> {
  if (Object.keys(ctx.record.before).length === 0) {
    const nodes = await ctx.deps.cluster.listPoolNodes(ctx.poolId);
    if (nodes.length === 0) return endEarly(ctx, 'completed', `pool ${ctx.record.poolName} has no nodes`);
    let byName = new Map(nodes.map((n) => [n.name, n.instanceId]));
    if (nodes.some((n) => !n.instanceId)) {
      const cloudNodes = await ctx.deps.cloud.listPoolNodes(ctx.record.clusterId, ctx.poolId);
      byName = new Map(
        nodes.map((n) => [n.name, n.instanceId ?? cloudNodes.find((c) => c.nodeName === n.name)?.instanceId]),
      );
    }
    const ids = [...byName.values()].filter((x): x is string => !!x);
    const instances = new Map((await ctx.deps.cloud.describeInstances(ids)).map((i) => [i.instanceId, i]));
    const before: Record<string, NodeBefore> = {};
    for (const n of nodes) {
      const instanceId = byName.get(n.name) ?? '';
      const i = instances.get(instanceId);
      before[n.name] = {
        name: n.name,
        instanceId,
        privateIp: i?.privateIp ?? n.internalIp,
        mac: i?.mac,
        systemDiskId: i?.systemDiskId,
        runtime: n.runtimeVersion,
      };
    }
    await ctx.update((x) => ({ ...x, before }));
  }
  ctx.deps.kill('before-state:after');
  await ctx.advance();
}

export async function precheckStep(ctx: StepContext): Promise<void> {
  let r = ctx.record;
  if (!r.precheck) {
    const report = await ctx.deps.precheck({
      cluster: r.clusterId,
      pool: ctx.poolId,
      maxParallel: r.options.maxParallel,
    });
    const blockers = report.findings.filter((f) => f.severity === 'blocker');
    const warnings = report.findings.filter((f) => f.severity === 'warning');
    r = await ctx.update((x) => ({
      ...x,
      precheck: { verdict: report.verdict, blockers, warnings: warnings.length, plan: report.plan },
    }));
    if (blockers.length + warnings.length > 0) {
      const text = `precheck of ${r.poolName}: ${report.verdict} (${blockers.length} blocker(s), ${warnings.length} warning(s))`;
      await ctx.emit({
        type: 'notice',
        at: ctx.now().toISOString(),
        origin: r.origin,
        text,
        findings: [...blockers, ...warnings],
      });
    }
  }
  const verdict = r.precheck!.verdict;
  if (verdict === 'nothing-to-do') return endEarly(ctx, 'completed', `pool ${r.poolName} already runs containerd`);
  if (verdict === 'blocked' && !r.approvals?.['override-blockers']) {
    const blockers = r.precheck!.blockers;
    if (r.options.overrideBlockers) {
      // `start --override-blockers` by a CLI approver (checked at start and at the lease): recorded and audited.
      const by = { platform: r.origin.platform, userId: r.origin.userId, at: ctx.now().toISOString() };
      await ctx.deps.audit({
        platform: by.platform,
        userId: by.userId,
        action: 'override-blockers',
        migrationId: r.id,
        pool: r.poolName ?? r.poolRef,
        outcome: 'ok',
        detail: `overrode ${blockers.length} blocker(s) in advance (start --override-blockers): ${blockers.map((b) => b.rule).join(', ')}`,
      });
      await ctx.update((x) => ({ ...x, approvals: { ...x.approvals, 'override-blockers': by } }));
    } else if (r.options.autoApprove) {
      // `start --yes` approves batches, not blockers: say so now instead of waiting for an override nobody gives.
      const rules = [...new Set(blockers.map((b) => b.rule))].join(', ');
      return endEarly(
        ctx,
        'aborted',
        `the precheck found ${blockers.length} blocker(s) (${rules}); --yes does not override them: fix them, or start again with --override-blockers (a CLI approver)`,
      );
    }
  }
  if (verdict === 'blocked' && !ctx.record.approvals?.['override-blockers']) {
    const now = ctx.now();
    const asked = await ctx.update((x) =>
      requestApproval(x, {
        subject: 'override-blockers',
        batch: 0,
        nonce: ctx.deps.nonce(),
        ttlSeconds: ctx.deps.config.file.settings.approvalTtl,
        now,
        reason: `the precheck found ${x.precheck!.blockers.length} blocker(s): an approver must override them`,
      }),
    );
    await ctx.emit(awaitingApprovalEvent(asked, ctx.policy, now));
    return;
  }
  ctx.deps.kill('precheck:after');
  await ctx.advance();
}

function batchesFor(r: MigrationRecord): string[][] {
  const todo = new Set(
    Object.values(r.before)
      .filter((b) => !isContainerd(b.runtime))
      .map((b) => b.name),
  );
  const proposed = (r.precheck?.plan?.batches ?? []).map((b) => b.filter((n) => todo.has(n))).filter((b) => b.length);
  const planned = new Set(proposed.flat());
  const missing = [...todo].filter((n) => !planned.has(n)).sort();
  if (missing.length > 0) {
    const sizes = schedule(missing.length, r.options.maxParallel ?? r.precheck?.plan?.maxParallel).batches;
    let i = 0;
    for (const size of sizes) {
      proposed.push(missing.slice(i, i + size));
      i += size;
    }
  }
  return proposed;
}

export async function planStep(ctx: StepContext): Promise<void> {
  let r = ctx.record;
  if (!r.plan) {
    const at = ctx.now().toISOString();
    const batches = batchesFor(r);
    if (batches.length === 0) return endEarly(ctx, 'completed', `every node of ${r.poolName} already runs containerd`);
    const records: BatchRecord[] = batches.map((nodes, i) => ({
      index: i + 1,
      nodes,
      state: 'pending',
      nodeStates: Object.fromEntries(nodes.map((n) => [n, { step: 'pending' as const, since: at }])),
    }));
    const maxParallel = Math.max(...batches.map((b) => b.length));
    const minutes = ctx.deps.config.file.settings.minutesPerBatch;
    r = await ctx.update((x) => ({
      ...x,
      plan: { maxParallel, batches, estimatedMinutes: batches.length * minutes, notes: [] },
      batches: records,
    }));
    const order = Object.keys(r.before).sort();
    await ctx.emit({
      type: 'migration.started',
      at,
      migration: summarize(r, minutes),
      // Each batch as positions of its nodes in the pool's sorted node list.
      plan: batches.map((b) => b.map((n) => order.indexOf(n))),
    });
  }
  ctx.deps.kill('plan:after');
  await ctx.advance();
}
