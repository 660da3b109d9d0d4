import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { MigrationClient } from '../../app/cli-clients.js';
import { LIMITS } from '../../domain/bounds.js';
import type { MigrationMode, Origin, ProgressEvent } from '../../domain/migration/events.js';
import { AppError } from '../../errors.js';
import { durationOption, intOption } from '../options.js';
import { cliConfig } from '../pool.js';
import { printJson, runAction } from '../run-action.js';
import { queuePrefix, requireRedisUrl } from './worker.js';

/**
 * The OS user this process runs as: the CLI's identity for approvals (approvers.cli in the config). Nothing in
 * the environment or the flags changes who approves, so one person cannot be two approvers from one terminal.
 */
export function cliOrigin(): Origin {
  return { platform: 'cli', channel: 'terminal', userId: userInfo().username };
}

/** The migration client for a CLI command (REDIS_URL required). */
/** Loads the queue runtime (BullMQ, ioredis) only for the commands that talk to Redis. */
export async function openClient(command: string, options: { cluster?: string } = {}): Promise<MigrationClient> {
  const config = cliConfig();
  const { openMigrationClient } = await import('../../app/cli-clients.js');
  return openMigrationClient({
    redisUrl: requireRedisUrl(config.redisUrl, command),
    prefix: queuePrefix(),
    config: { file: config.file, defaultClusterId: options.cluster ?? config.defaultClusterId },
    events: { from: '$', blockMs: 1000 },
  });
}

/** One progress line per event of a migration, for `--wait`. */
export function progressLine(e: ProgressEvent): string | undefined {
  switch (e.type) {
    case 'migration.started':
      return `started: ${e.migration.nodesTotal} nodes in ${e.migration.batchCount} batches`;
    case 'migration.state':
      return `${e.migration.state}${e.by ? ` (${e.by})` : ''}${e.reason ? `: ${e.reason}` : ''}`;
    case 'batch.awaiting-approval':
      return `${e.approval.subject === 'batch' ? `batch ${e.batch.index}` : e.approval.subject} awaits an approval until ${e.approval.expiresAt}`;
    case 'batch.started':
      return `batch ${e.batch.index}/${e.migration.batchCount} started: ${e.batch.nodes.join(', ')}${e.approvedBy ? ` (approved by ${e.approvedBy})` : ''}`;
    case 'node.step':
      return `  ${e.entry.node}: ${e.entry.step}${e.entry.detail ? ` (${e.entry.detail})` : ''}`;
    case 'batch.finished':
      return `batch ${e.result.index}/${e.migration.batchCount} done in ${e.result.seconds}s`;
    case 'migration.failed':
      return `STOPPED${e.batch ? ` at batch ${e.batch}` : ''}${e.node ? ` on ${e.node}` : ''}: ${e.reason}`;
    case 'migration.finished':
      return `${e.migration.state}: ${e.migration.nodesDone}/${e.migration.nodesTotal} nodes migrated${e.migration.reason ? ` (${e.migration.reason})` : ''}`;
    case 'notice':
      return e.text;
    default:
      return undefined;
  }
}

interface StartOptions {
  cluster?: string;
  maxParallel?: number;
  snapshot?: boolean;
  soak?: number;
  mode?: MigrationMode;
  yes?: boolean;
  overrideBlockers?: boolean;
  wait?: boolean;
  force?: boolean;
  json?: boolean;
}

function mode(value: string): MigrationMode {
  if (value !== 'in-place' && value !== 'rotate') throw new InvalidArgumentError('must be in-place or rotate.');
  return value;
}

/**
 * Follows one migration's events (subscribed before the start, so nothing of a fast migration is missed):
 * prints them, and resolves to the exit code when it ends: 0 completed, 1 aborted or stopped (a failure needs a
 * person, so the process says what to do and exits instead of hanging).
 */
function follower(json: boolean) {
  let target: string | undefined;
  const early: ProgressEvent[] = [];
  let resolveEnd: (code: number) => void = () => {};
  const ended = new Promise<number>((ok) => {
    resolveEnd = ok;
  });
  const handle = (e: ProgressEvent) => {
    if (!('migration' in e) || e.migration.migrationId !== target) {
      if (e.type === 'notice' && !json && e.origin.platform === 'cli') process.stdout.write(`${e.text}\n`);
      return;
    }
    if (json) printJson(e);
    else {
      const line = progressLine(e);
      if (line) process.stdout.write(`${line}\n`);
    }
    if (e.type === 'migration.finished') resolveEnd(e.migration.state === 'completed' ? 0 : 1);
    if (e.type === 'migration.failed') {
      const pool = e.migration.poolName;
      const { origin } = e.migration;
      const r = e.resume;
      let hint = `the migration is paused; after fixing the cause: ack-migrate resume ${pool} (retries the batch) or ack-migrate abort ${pool}`;
      if (r && !r.needsApproval) {
        hint = `the migration is paused and every node is already migrated: ack-migrate resume ${pool} verifies and finishes it, or ack-migrate abort ${pool}`;
      } else if (r) {
        // Who may resume comes from the config (approvers.<platform>), without the requester unless allowed.
        const self = r.by.some((p) => p.platform === origin.platform && p.userId === origin.userId);
        const who = r.by.length
          ? r.by.map((p) => `${p.userId} (${p.platform})`).join(', ')
          : 'nobody is configured (approvers.<platform> in the config)';
        const left =
          r.nodesLeft === undefined ? '' : ` (${r.nodesLeft} node${r.nodesLeft === 1 ? '' : 's'} left to migrate)`;
        const what = `${r.batch > 0 ? `batch ${r.batch}` : 'the failed step'}${left}`;
        hint =
          `the migration is paused; resuming re-runs ${what} of a production migration, so it needs ` +
          `${self ? 'an approver' : `an approver other than ${origin.userId}`}: ${who}. After fixing the cause ` +
          `one of them resumes it (ack-migrate resume ${pool}, /migrate resume ${pool} in chat, or Retry in the ` +
          `thread); ack-migrate abort ${pool} stops it`;
      }
      if (!json) process.stderr.write(`ack-migrate: ${hint}\n`);
      resolveEnd(1);
    }
  };
  return {
    onEvent: async (e: ProgressEvent) => {
      if (target === undefined) early.push(e);
      else handle(e);
    },
    follow(id: string): Promise<number> {
      target = id;
      for (const e of early.splice(0)) handle(e);
      return ended;
    },
  };
}

export function registerStart(program: Command): void {
  program
    .command('start <pool>')
    .description('start a migration (in place by default); --yes --wait runs it to its end from this terminal')
    .option('--cluster <id>', 'cluster id')
    .option('--max-parallel <n>', 'largest batch (default: 10% of the nodes, 1..10)', intOption(LIMITS.maxParallel))
    .option('--snapshot', 'snapshot each system disk before its batch')
    .option('--soak <duration>', 'wait after each verified batch, 0s..24h', durationOption(LIMITS.soakSeconds))
    .option('--mode <mode>', 'in-place or rotate', mode)
    .option('--force', 'rotate: delete pods with no controller while draining (kubectl drain --force)')
    .option('--yes', 'approve every batch as this OS user (a cli approver, or a non-production pool)')
    .option('--override-blockers', "override the precheck's blockers as this OS user (a cli approver; audited)")
    .option('--wait', 'follow the migration and exit when it ends (1 if it stops or is aborted)')
    .option('--json', 'print JSON')
    .action(
      runAction(async (pool: string, opts: StartOptions) => {
        const client = await openClient('start');
        const follow = follower(opts.json ?? false);
        const unsubscribe = opts.wait ? await client.events.subscribe(follow.onEvent) : undefined;
        try {
          const { migration, created } = await client.service.start({
            pool,
            snapshot: opts.snapshot ?? false,
            soakSeconds: opts.soak ?? 0,
            mode: opts.mode ?? 'in-place',
            origin: cliOrigin(),
            autoApprove: opts.yes ?? false,
            overrideBlockers: opts.overrideBlockers ?? false,
            forceBarePods: opts.force ?? false,
            ...(opts.cluster ? { cluster: opts.cluster } : {}),
            ...(opts.maxParallel !== undefined ? { maxParallel: opts.maxParallel } : {}),
          });
          if (opts.json) printJson({ migration, created });
          else
            process.stdout.write(
              created
                ? `started ${migration.migrationId} (${migration.mode})\n`
                : `a migration of ${pool} is already ${migration.state}: ${migration.migrationId}\n`,
            );
          if (!opts.wait) return;
          if (!created) throw new AppError('CONFLICT', `not waiting: ${migration.migrationId} was started elsewhere`);
          process.exitCode = await follow.follow(migration.migrationId);
        } finally {
          await unsubscribe?.();
          await client.close();
        }
      }),
    );
}
