import type { Command } from 'commander';
import type { MigrationClient } from '../../app/cli-clients.js';
import type { AuditEntry } from '../../domain/audit/audit-entry.js';
import { LIMITS } from '../../domain/bounds.js';
import { intOption } from '../options.js';
import { pickPool, poolOption } from '../pool.js';
import { printJson, runAction } from '../run-action.js';
import { openClient } from './start.js';

interface HistoryOptions {
  pool?: string;
  cluster?: string;
  all?: boolean;
  limit?: number;
  json?: boolean;
}

/** The entries about migrations of one cluster (an entry names its migration, the record its cluster). */
async function inCluster(client: MigrationClient, entries: AuditEntry[], cluster: string): Promise<AuditEntry[]> {
  const clusterOf = new Map<string, string | undefined>();
  for (const id of new Set(entries.map((e) => e.migrationId).filter((id): id is string => id !== undefined))) {
    clusterOf.set(id, (await client.service.record(id))?.clusterId);
  }
  return entries.filter((e) => e.migrationId !== undefined && clusterOf.get(e.migrationId) === cluster);
}

export function registerHistory(program: Command): void {
  poolOption(
    program
      .command('history [pool]')
      .description('who started, approved, paused, aborted, and what was refused, when (newest first)')
      .option('--cluster <id>', "only that cluster's migrations")
      .option('--all', 'every entry, lookups (status, history, faq, precheck) and malformed commands included'),
  )
    .option('--limit <n>', 'entries to show, 1..1000 (default 50)', intOption(LIMITS.historyLimit))
    .option('--json', 'print JSON')
    .action(
      runAction(async (positional: string | undefined, opts: HistoryOptions) => {
        const pool = pickPool(positional, opts.pool);
        const client = await openClient('history', opts.cluster ? { cluster: opts.cluster } : {});
        try {
          const listed = await client.service.history(pool, opts.limit ?? 50, { all: opts.all === true });
          const entries = opts.cluster ? await inCluster(client, listed, opts.cluster) : listed;
          if (opts.json) return printJson({ entries });
          if (entries.length === 0) process.stdout.write('no entries\n');
          for (const e of entries) {
            const about = [e.migrationId, e.batch !== undefined ? `batch ${e.batch}` : undefined]
              .filter(Boolean)
              .join(' ');
            process.stdout.write(
              `${e.at}  ${e.platform}:${e.userId}  ${e.action}${e.pool ? ` ${e.pool}` : ''}  ${e.outcome}${about ? `  ${about}` : ''}${e.detail ? `  ${e.detail}` : ''}\n`,
            );
          }
        } finally {
          await client.close();
        }
      }),
    );
}
