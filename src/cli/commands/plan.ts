import type { Command } from 'commander';
import { schedule } from '../../domain/batch-schedule.js';
import { AppError } from '../../errors.js';
import { intOption } from '../options.js';
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
    .option('--nodes <n>', 'number of nodes to plan for', intOption(1))
    .option('--max-parallel <n>', 'largest batch (default: 10% of the nodes, 1..10)', intOption(1))
    .option('--minutes-per-batch <n>', 'minutes one batch takes', intOption(1))
    .option('--cluster <id>', 'cluster id')
    .option('--pool <name|id>', 'node pool name or id')
    .option('--json', 'print JSON')
    .action(
      runAction(async (opts: PlanOptions) => {
        if (opts.nodes === undefined) {
          if (opts.pool) throw new AppError('NOT_AVAILABLE', 'plan --pool is not available yet: use --nodes N');
          throw new AppError('BAD_INPUT', 'plan needs --nodes N (or --pool NAME)');
        }
        const s = schedule(opts.nodes, opts.maxParallel, opts.minutesPerBatch);
        if (opts.json)
          return printJson({ batches: s.batches, estimatedMinutes: s.estimatedMinutes, maxParallel: s.maxParallel });
        process.stdout.write(
          `${opts.nodes} nodes, max parallel ${s.maxParallel}: ${s.batches.length} batches [${s.batches.join(', ')}], about ${s.estimatedMinutes} min\n`,
        );
      }),
    );
}
