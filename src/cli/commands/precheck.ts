import type { Command } from 'commander';
import { LIMITS } from '../../domain/bounds.js';
import type { Finding, PrecheckReport, Severity } from '../../domain/precheck/report.js';
import { intOption } from '../options.js';
import { cliConfig, pickPool } from '../pool.js';
import { printJson, runAction } from '../run-action.js';

interface PrecheckOptions {
  cluster?: string;
  pool?: string;
  maxParallel?: number;
  json?: boolean;
}

const SECTIONS: Array<[Severity, string, string]> = [
  ['blocker', 'Blockers', '✗'],
  ['warning', 'Warnings', '!'],
  ['info', 'Info', 'i'],
];

function objectName(f: Finding): string {
  const o = f.object;
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

function batchLine(nodes: string[], index: number): string {
  const shown = nodes.length > 12 ? [...nodes.slice(0, 12), `… (+${nodes.length - 12})`] : nodes;
  return `  ${String(index + 1).padStart(3)}. [${nodes.length}] ${shown.join(', ')}`;
}

/** The human form of the report: grouped by severity, each finding with its hint, then the plan. */
export function renderPrecheckText(report: PrecheckReport): string {
  const { cluster, pool, plan } = report;
  const lines = [
    `Precheck of pool ${pool.name} (${pool.id}) in cluster ${cluster.id} (Kubernetes ${cluster.version || 'unknown'})`,
    `Runtime ${pool.runtime} ${pool.runtimeVersion}, ${pool.nodes} node${pool.nodes === 1 ? '' : 's'}`,
    `Verdict: ${report.verdict.toUpperCase()}`,
  ];
  for (const [severity, title, mark] of SECTIONS) {
    const findings = report.findings.filter((f) => f.severity === severity);
    if (findings.length === 0) continue;
    lines.push('', `${title} (${findings.length})`);
    for (const f of findings) {
      lines.push(`  ${mark} ${f.rule}  ${objectName(f)}: ${f.message}`);
      if (f.hint) lines.push(`      → ${f.hint}`);
    }
  }
  if (report.findings.length === 0) lines.push('', 'No findings.');
  if (plan.batches.length > 0) {
    lines.push(
      '',
      `Plan: ${plan.batches.length} batch${plan.batches.length === 1 ? '' : 'es'}, max parallel ${plan.maxParallel}, about ${plan.estimatedMinutes} min${plan.containerdVersion ? `, to containerd ${plan.containerdVersion}` : ''}`,
    );
    plan.batches.forEach((b, i) => {
      lines.push(batchLine(b, i));
    });
  }
  return `${lines.join('\n')}\n`;
}

export function registerPrecheck(program: Command): void {
  program
    .command('precheck [pool]')
    .description('impact report and batch plan for a node pool (the pool as an argument or --pool)')
    .option('--cluster <id>', 'cluster id (default: ACK_CLUSTER_ID, else the only cluster)')
    .option('--pool <name|id>', 'node pool name or id (instead of the argument)')
    .option('--max-parallel <n>', 'largest batch (default: 10% of the nodes, 1..10)', intOption(LIMITS.maxParallel))
    .option('--json', 'print the report as JSON (docs/contracts.md#precheck-json)')
    .action(
      runAction(async (positional: string | undefined, opts: PrecheckOptions) => {
        const pool = pickPool(positional, opts.pool, true);
        const { precheckFromCli } = await import('../../app/cli-clients.js');
        const report = await precheckFromCli(cliConfig(), {
          cluster: opts.cluster,
          pool,
          maxParallel: opts.maxParallel,
        });
        if (opts.json) printJson(report);
        else process.stdout.write(renderPrecheckText(report));
      }),
    );
}
