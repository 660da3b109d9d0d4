import type { Command } from 'commander';
import { schedule } from '../../domain/batch-schedule.js';
import { LIMITS } from '../../domain/bounds.js';
import { AppError } from '../../errors.js';
import { intOption } from '../options.js';
import { cliConfig } from '../pool.js';
import { printJson, runAction } from '../run-action.js';

interface PlanOptions {
  nodes?: number;
  maxParallel?: number;
  minutesPerBatch?: number;
  cluster?: string;
  pool?: string;
  json?: boolean;
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('batch plan and ETA: for a node count (--nodes) or a real pool (--cluster, --pool)')
    .option('--nodes <n>', 'number of nodes to plan for, 1..10000', intOption(LIMITS.planNodes))
    .option('--max-parallel <n>', 'largest batch (default: 10% of the nodes, 1..10)', intOption(LIMITS.maxParallel))
    .option('--minutes-per-batch <n>', 'minutes one batch takes, 1..600', intOption(LIMITS.minutesPerBatch))
    .option('--cluster <id>', 'cluster id')
    .option('--pool <name|id>', 'node pool name or id')
    .option('--json', 'print JSON')
    .action(
      runAction(async (opts: PlanOptions) => {
        if (opts.nodes !== undefined && opts.pool)
          throw new AppError('BAD_INPUT', 'plan takes --nodes or --pool, not both');
        if (opts.pool) return await planRealPool(opts, opts.pool);
        if (opts.nodes === undefined) throw new AppError('BAD_INPUT', 'plan needs --nodes N (or --pool NAME)');
        const s = schedule(opts.nodes, opts.maxParallel, opts.minutesPerBatch);
        if (opts.json)
          return printJson({ batches: s.batches, estimatedMinutes: s.estimatedMinutes, maxParallel: s.maxParallel });
        process.stdout.write(
          `${opts.nodes} nodes, max parallel ${s.maxParallel}: ${s.batches.length} batches [${s.batches.join(', ')}], about ${s.estimatedMinutes} min\n`,
        );
      }),
    );
}

/** `plan --pool`: the pool's nodes assigned to batches, from the live cluster. */
async function planRealPool(opts: PlanOptions, pool: string): Promise<void> {
  const { planFromCli } = await import('../../app/cli-clients.js');
  const result = await planFromCli(
    cliConfig(),
    { cluster: opts.cluster, pool, maxParallel: opts.maxParallel },
    { minutesPerBatch: opts.minutesPerBatch },
  );
  const { cluster, plan } = result;
  const nodes = result.snapshot.nodes.length;
  if (opts.json) {
    return printJson({
      cluster: { id: cluster.id, version: cluster.version },
      pool: { id: result.pool.id, name: result.pool.name, runtime: result.pool.runtime, nodes },
      batches: plan.batches,
      estimatedMinutes: plan.estimatedMinutes,
      maxParallel: plan.maxParallel,
      unsplittable: plan.unsplittable,
      overBudget: plan.overBudget,
    });
  }
  const lines = [
    `${result.pool.name} (${result.pool.id}) in ${cluster.id}, ${nodes} nodes, max parallel ${plan.maxParallel}: ${plan.batches.length} batches, about ${plan.estimatedMinutes} min`,
    ...plan.batches.map((b, i) => `  ${String(i + 1).padStart(3)}. ${b.join(', ')}`),
    ...plan.unsplittable.map(
      (w) => `  ! ${w.kind} ${w.namespace}/${w.name}: all ${w.pods} pods on the pool are in batch ${w.batch + 1}`,
    ),
    ...plan.overBudget.map(
      (p) => `  ! PDB ${p.namespace}/${p.name}: batch ${p.batch + 1} evicts ${p.pods} pods, ${p.allowed} allowed now`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
