import type { Command } from 'commander';
import { LIMITS } from '../../domain/bounds.js';
import { intOption } from '../options.js';
import { printJson, runAction } from '../run-action.js';
import { openClient } from './start.js';

export function registerHistory(program: Command): void {
  program
    .command('history [pool]')
    .description('audit log: who started, approved, paused, aborted, when (newest first)')
    .option('--limit <n>', 'entries to show, 1..1000 (default 50)', intOption(LIMITS.historyLimit))
    .option('--json', 'print JSON')
    .action(
      runAction(async (pool: string | undefined, opts: { limit?: number; json?: boolean }) => {
        const client = await openClient('history');
        try {
          const entries = await client.service.history(pool, opts.limit ?? 50);
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
