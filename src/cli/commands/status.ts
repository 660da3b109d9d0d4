import type { Command } from 'commander';
import type { MigrationSummary } from '../../domain/migration/events.js';
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
  program
    .command('status [pool]')
    .description('running and paused migrations, or the latest migration of one pool in detail')
    .option('--json', 'print JSON')
    .action(
      runAction(async (pool: string | undefined, opts: { json?: boolean }) => {
        const client = await openClient('status');
        try {
          const list = await client.service.status(pool);
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
