import type { Command } from 'commander';
import { AppError } from '../../errors.js';
import { pickPool, poolOption } from '../pool.js';
import { printJson, runAction } from '../run-action.js';
import { cliOrigin, openClient } from './start.js';
import { summaryLine } from './status.js';

const WHAT = {
  pause: 'pause a migration (takes effect when the running step ends)',
  resume:
    'resume a paused migration (after a failure it retries the batch: in production an approver other than the requester, unless every node is already migrated)',
  abort: 'abort a migration (finished nodes stay migrated)',
} as const;

/** `pause|resume|abort <pool>`: the typed controls, as the OS user (checked against approvers.cli). */
export function registerControl(program: Command, decision: keyof typeof WHAT): void {
  poolOption(program.command(`${decision} [pool]`).description(WHAT[decision]).option('--cluster <id>', 'cluster id'))
    .option('--json', 'print JSON')
    .action(
      runAction(async (positional: string | undefined, opts: { pool?: string; cluster?: string; json?: boolean }) => {
        const pool = pickPool(positional, opts.pool, true);
        const client = await openClient(decision);
        try {
          const result = await client.service.controlByPool({
            pool,
            decision,
            actor: cliOrigin(),
            ...(opts.cluster ? { cluster: opts.cluster } : {}),
          });
          if (opts.json) {
            printJson(result);
            if (!result.ok) process.exitCode = 2;
            return;
          }
          if (!result.ok) throw new AppError(result.code, result.message);
          process.stdout.write(`${result.message}\n${summaryLine(result.migration)}\n`);
        } finally {
          await client.close();
        }
      }),
    );
}

export function registerPause(program: Command): void {
  registerControl(program, 'pause');
}
