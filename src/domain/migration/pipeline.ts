/**
 * The order of the pipeline (docs/architecture.md#migration-pipeline): lease → before-state → precheck → plan →
 * [prepare-pool] → for each batch [approval] → [window] → [snapshot] → execute → verify → [soak] → [approve-remove →
 * remove-old-pool] → finish. Which optional steps a migration has depends only on its record and whether windows are
 * configured, so any worker computes the same sequence.
 */
import type { Cursor, MigrationRecord, StepKind } from './record.js';

export interface PipelineContext {
  /** settings.maintenanceWindows is not empty. */
  windowsConfigured: boolean;
}

type Position = Pick<Cursor, 'step' | 'batch'>;

/**
 * Production batches wait for an approval (docs/architecture.md#approvals-and-rights); `--yes` still records one, given
 * by the requester.
 */
export function batchNeedsApproval(record: Pick<MigrationRecord, 'production'>): boolean {
  return record.production;
}

function batchSteps(record: MigrationRecord, ctx: PipelineContext, batch: number, last: boolean): Position[] {
  const steps: StepKind[] = [];
  if (batchNeedsApproval(record)) steps.push('approval');
  if (ctx.windowsConfigured) steps.push('window');
  if (record.options.snapshot && record.mode === 'in-place') steps.push('snapshot');
  steps.push('execute', 'verify');
  if (record.options.soakSeconds > 0 && !last) steps.push('soak');
  return steps.map((step) => ({ step, batch }));
}

/** Every position of the pipeline, in order. Before the plan exists it ends at `plan`. */
export function pipeline(record: MigrationRecord, ctx: PipelineContext): Position[] {
  const head: Position[] = (['lease', 'before-state', 'precheck', 'plan'] as const).map((step) => ({ step, batch: 0 }));
  if (!record.plan) return head;
  const out = [...head];
  if (record.mode === 'rotate') out.push({ step: 'prepare-pool', batch: 0 });
  const n = record.batches.length;
  for (let i = 1; i <= n; i++) out.push(...batchSteps(record, ctx, i, i === n));
  if (record.mode === 'rotate') out.push({ step: 'approve-remove', batch: 0 }, { step: 'remove-old-pool', batch: 0 });
  out.push({ step: 'finish', batch: 0 });
  return out;
}

/** The position after `cursor`; `finish` stays `finish`. */
export function stepAfter(record: MigrationRecord, cursor: Position, ctx: PipelineContext): Cursor {
  const all = pipeline(record, ctx);
  const i = all.findIndex((p) => p.step === cursor.step && p.batch === cursor.batch);
  if (i < 0) {
    // The cursor names a step this migration no longer has (e.g. windows were removed from the config while it
    // was parked): continue with the first step of the same batch that still exists, else the next batch.
    const sameOrLater = all.find((p) => p.batch > cursor.batch || (p.batch === cursor.batch && p.batch > 0));
    const target = sameOrLater ?? all[all.length - 1]!;
    return { ...target, phase: 'pending' };
  }
  const next = all[i + 1] ?? all[i]!;
  return { step: next.step, batch: next.batch, phase: 'pending' };
}

/** The step names a kill switch may name, `<step>:<point>`, in pipeline order (crash tests iterate them). */
export const KILL_POINTS = [
  'lease:after',
  'before-state:after',
  'precheck:after',
  'plan:after',
  'prepare-pool:after-create-pool',
  'prepare-pool:after-cordon',
  'approval:after-request',
  'approval:after-park',
  'approval:after-approved',
  'window:after',
  'snapshot:after-create',
  'snapshot:after',
  'execute:after-start-recorded',
  'execute:after-create-task',
  'execute:after-record-task',
  'execute:while-following',
  'execute:after-task-done',
  'execute:after-cordon',
  'execute:after-drain-node',
  'verify:after',
  'soak:after',
  'approve-remove:after-approved',
  'remove-old-pool:after-remove-nodes',
  'remove-old-pool:after-delete-pool',
  'finish:before-release',
] as const;
export type KillPoint = (typeof KILL_POINTS)[number];
