/**
 * `/migrate approve|reject <pool> [batch N]` (docs/contracts.md#command-grammar): the Approve / Reject buttons,
 * typed, for platforms or people without buttons (DingTalk without a card template, a phone). It finds the
 * batch approval waiting on the pool and its one-time nonce (kept with the migration's thread), and hands it to
 * the service's decide() like a click: same rights, first decision wins, the batch must be the one waiting.
 */
import type { Origin } from '../domain/migration/events.js';
import type { DecisionResult, MigrationService } from '../ports/migration-service.js';
import type { BotThreadStore } from './thread-record.js';

export interface TypedDecision {
  verb: 'approve' | 'reject';
  pool: string;
  batch?: number;
}

export async function decideTyped(
  deps: { service: MigrationService; threads: BotThreadStore },
  command: TypedDecision,
  actor: Origin,
): Promise<DecisionResult> {
  const { service, threads } = deps;
  const refuse = async (code: 'NOT_FOUND' | 'STALE', message: string): Promise<DecisionResult> => {
    await service.audit({
      platform: actor.platform,
      userId: actor.userId,
      action: command.verb,
      pool: command.pool,
      outcome: 'refused',
      detail: message,
      ...(command.batch === undefined ? {} : { batch: command.batch }),
    });
    return { ok: false, code, message };
  };
  const waiting = (await service.status(command.pool)).find((m) => m.state === 'awaiting-approval');
  if (!waiting) return refuse('NOT_FOUND', `no batch of ${command.pool} is waiting for approval`);
  const batch = (await threads.get(waiting.migrationId))?.batch;
  const approval = batch?.phase === 'awaiting-approval' ? batch.approval : undefined;
  if (!batch || !approval || batch.index !== waiting.currentBatch) {
    return refuse(
      'NOT_FOUND',
      `${command.pool} is waiting for an approval that is not a batch's, or its request is not posted yet; ` +
        'answer it with the buttons, or try again in a moment',
    );
  }
  if (command.batch !== undefined && command.batch !== batch.index) {
    return refuse(
      'STALE',
      `batch ${command.batch} is not waiting for approval; batch ${batch.index} of ${command.pool} is`,
    );
  }
  return service.decide({
    migrationId: waiting.migrationId,
    decision: command.verb,
    nonce: approval.nonce,
    batch: batch.index,
    actor,
  });
}
