import type { Command } from 'commander';
import type { MigrationSummary } from '../../domain/migration/events.js';
import { pickPool, poolOption } from '../pool.js';
import { printJson, runAction } from '../run-action.js';
import { openClient } from './start.js';

export function summaryLine(m: MigrationSummary): string {
  const batch = m.currentBatch
    ? `, batch ${m.currentBatch}/${m.batchCount}`
    : m.batchCount
      ? `, ${m.batchCount} batches`
      : '';
  const eta =
    m.etaMinutes !== undefined && m.state !== 'completed' && m.state !== 'aborted'
      ? `, about ${m.etaMinutes} min left`
      : '';
  const why = m.reason ? ` (${m.reason})` : '';
  return `${m.migrationId}  ${m.poolName}  ${m.mode}  ${m.state}${why}  ${m.nodesDone}/${m.nodesTotal} nodes${batch}${eta}`;
}

export function registerStatus(program: Command): void {
  poolOption(
    program
      .command('status [pool]')
      .description('running and paused migrations, or the latest migration of one pool in detail')
      .option('--cluster <id>', 'cluster id (default: ACK_CLUSTER_ID and the clusters of the config file)'),
  )
    .option('--json', 'print JSON')
    .action(
      runAction(async (positional: string | undefined, opts: { pool?: string; cluster?: string; json?: boolean }) => {
        const pool = pickPool(positional, opts.pool);
        const client = await openClient('status', opts.cluster ? { cluster: opts.cluster } : {});
        try {
          const all = await client.service.status(pool);
          // With --cluster, only that cluster's migrations (the config file may name others).
          const list = opts.cluster ? all.filter((m) => m.clusterId === opts.cluster) : all;
          if (opts.json) {
            if (pool === undefined) return printJson({ migrations: list });
            const record = list[0] ? await client.service.record(list[0].migrationId) : undefined;
            return printJson({
              migration: list[0] ?? null,
              batches: record?.batches ?? [],
              pending: record?.pending ?? null,
              nodeReport: record?.nodeReport ?? null,
            });
          }
          if (list.length === 0) {
            process.stdout.write(pool ? `no migration of ${pool}\n` : 'no migration in progress\n');
            return;
          }
          for (const m of list) process.stdout.write(`${summaryLine(m)}\n`);
          if (pool !== undefined) {
            const record = await client.service.record(list[0]!.migrationId);
            for (const b of record?.batches ?? []) {
              const who = b.approvedBy ? `, approved by ${b.approvedBy.userId}` : '';
              process.stdout.write(`  batch ${b.index}: ${b.state}${who}: ${b.nodes.join(', ')}\n`);
            }
          }
        } finally {
          await client.close();
        }
      }),
    );
}
