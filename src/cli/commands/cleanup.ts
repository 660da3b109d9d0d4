import type { Command } from 'commander';
import type { ProgressEvent } from '../../domain/migration/events.js';
import { AppError } from '../../errors.js';
import { pickPool, poolOption } from '../pool.js';
import { printJson, runAction } from '../run-action.js';
import { cliOrigin, openClient } from './start.js';

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

interface CleanupOptions {
  pool?: string;
  cluster?: string;
  yes?: boolean;
  wait?: boolean;
  json?: boolean;
}

export function registerCleanup(program: Command): void {
  poolOption(
    program
      .command('cleanup [pool]')
      .description('after a finished migration: remove the old Docker directory on the data disks (needs an approval)')
      .option('--cluster <id>', 'cluster id'),
  )
    .option('--yes', 'approve the cleanup as this OS user (a cli approver, or a non-production pool)')
    .option('--wait', 'wait for the cleanup to finish and print the space freed per node')
    .option('--json', 'print JSON')
    .action(
      runAction(async (positional: string | undefined, opts: CleanupOptions) => {
        const pool = pickPool(positional, opts.pool, true);
        const client = await openClient('cleanup');
        let finished: ((e: Extract<ProgressEvent, { type: 'cleanup.finished' }>) => void) | undefined;
        const done = new Promise<Extract<ProgressEvent, { type: 'cleanup.finished' }>>((ok) => {
          finished = ok;
        });
        const unsubscribe = opts.wait
          ? await client.events.subscribe(async (e) => {
              if (e.type === 'cleanup.finished' && e.pool === pool) finished?.(e);
            })
          : undefined;
        try {
          const origin = cliOrigin();
          const asked = await client.service.requestCleanup({
            pool,
            origin,
            ...(opts.cluster ? { cluster: opts.cluster } : {}),
          });
          if (!asked.ok) throw new AppError(asked.code, asked.message);
          let result = asked;
          if (opts.yes) {
            const record = await client.service.record(asked.migration.migrationId);
            const nonce = record?.cleanup?.nonce;
            if (!nonce) throw new AppError('CONFLICT', 'the cleanup request disappeared; run the command again');
            const approved = await client.service.decide({
              migrationId: asked.migration.migrationId,
              decision: 'approve',
              nonce,
              actor: origin,
            });
            if (!approved.ok) throw new AppError(approved.code, approved.message);
            result = approved;
          }
          if (!opts.json) process.stdout.write(`${result.message}\n`);
          if (!opts.wait) {
            if (opts.json) printJson(result);
            return;
          }
          if (!opts.yes) process.stdout.write('waiting for an approver (chat) ...\n');
          const e = await done;
          if (opts.json) return printJson(e);
          let total = 0;
          for (const [node, bytes] of Object.entries(e.freedBytesByNode).sort()) {
            total += bytes;
            process.stdout.write(`  ${node}: ${gib(bytes)} freed\n`);
          }
          process.stdout.write(`cleanup of ${pool} done: ${gib(total)} freed\n`);
        } finally {
          await unsubscribe?.();
          await client.close();
        }
      }),
    );
}
