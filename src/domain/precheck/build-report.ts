/**
 * The precheck report of docs/contracts.md#precheck-json: every rule's findings, sorted, the verdict, and the batch
 * plan. A pool already on containerd short-cuts to `nothing-to-do` with that single finding and an empty plan.
 */
import { sortFindings, verdictOf } from './findings.js';
import { effectiveMaxParallel, type PrecheckInput } from './input.js';
import type { PrecheckReport, RuleId } from './report.js';
import { alreadyContainerd, isPoolOnContainerd } from './rules/already-containerd.js';
import { planForPrecheck, replicasOneBatch } from './rules/replicas-one-batch.js';
import { PRECHECK_RULES } from './rules.js';

export interface PrecheckOptions {
  /** Minutes one batch takes, for the ETA (default 8). */
  minutesPerBatch?: number;
}

const PLANNED: ReadonlySet<RuleId> = new Set(['already-containerd', 'replicas-one-batch']);

export function buildPrecheckReport(input: PrecheckInput, options: PrecheckOptions = {}): PrecheckReport {
  const { cluster, pool, snapshot } = input;
  const containerdVersion = input.containerd?.kind === 'version' ? input.containerd.runtimeVersion : null;
  const head = {
    cluster: { id: cluster.id, version: cluster.version },
    pool: {
      id: pool.id,
      name: pool.name,
      runtime: pool.runtime,
      runtimeVersion: pool.runtimeVersion,
      nodes: snapshot.nodes.length,
    },
  };
  if (isPoolOnContainerd(input)) {
    return {
      ...head,
      verdict: 'nothing-to-do',
      findings: alreadyContainerd(input),
      plan: { maxParallel: effectiveMaxParallel(input), batches: [], estimatedMinutes: 0, containerdVersion },
    };
  }
  const plan = planForPrecheck(input, options.minutesPerBatch);
  const findings = sortFindings([
    ...Object.entries(PRECHECK_RULES)
      .filter(([id]) => !PLANNED.has(id as RuleId))
      .flatMap(([, rule]) => rule(input)),
    ...replicasOneBatch(input, plan),
  ]);
  return {
    ...head,
    verdict: verdictOf(findings),
    findings,
    plan: {
      maxParallel: plan.maxParallel,
      batches: plan.batches,
      estimatedMinutes: plan.estimatedMinutes,
      containerdVersion,
    },
  };
}
