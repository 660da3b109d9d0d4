/**
 * How a migration shows up in chat. Threaded platforms (Slack, console): a parent message edited in place and a
 * thread with one reply per batch, failure alerts and the final summary. Platforms without threads (DingTalk):
 * one card edited in place plus short milestone posts that mention people.
 */
import type { ChatPlatform, MessageRef, Target } from '../chat/core/chat-platform.js';
import type { Message } from '../chat/core/message.js';
import { buildFailureAlert, buildRequestApproval } from '../chat/core/messages/approval.js';
import { buildFinalSummary } from '../chat/core/messages/final.js';
import {
  buildBatchMessage,
  buildMigrationCard,
  buildMigrationSummary,
  buildMilestone,
  buildNote,
} from '../chat/core/messages/migration.js';
import type { MigrationEvent, MigrationView } from '../chat/core/migration-view.js';
import type { MigrationState } from '../domain/migration/events.js';
import { approvedLine, typedAnswer, withApprovedBy, withApprovers } from './approval-notice.js';
import type { ThreadRecord } from './thread-record.js';

export interface Surface {
  readonly platform: ChatPlatform;
  readonly channel: string;
  /**
   * Posts now (waiting out rate limits): every reply must arrive, in order. `key` names the message within its
   * migration (`parent`, `batch:2`, `alert:<nonce>`, `final` …): the post ledger holds one message per key, so news
   * told twice (an event published again by a worker that was killed, a thread record a failover forgot) edits
   * that message instead of posting a second one.
   */
  post(target: Target, message: Message, key?: string): Promise<MessageRef>;
  /** Queues an edit through the coalescer; an edit with unchanged content is dropped. Lazy edits wait longer. */
  edit(ref: MessageRef, message: Message, options?: { lazy?: boolean }): void;
}

export interface PresentContext {
  surface: Surface;
  view: MigrationView;
  record: ThreadRecord | undefined;
  save(record: ThreadRecord): Promise<void>;
}

function batchIndexOf(event: MigrationEvent): number | undefined {
  switch (event.type) {
    case 'batch.awaiting-approval':
    case 'batch.started':
      return event.batch.index;
    case 'node.step':
      return event.batch;
    case 'batch.finished':
      return event.result.index;
    case 'migration.failed':
      return event.batch;
    default:
      return undefined;
  }
}

/**
 * Summary states people must see at once (someone has to act, or it ended). While a migration simply runs,
 * summary edits are lazy: they ride along with the next milestone, which keeps a batch to a few chat calls.
 */
const PROMPT_STATES = new Set<MigrationState>([
  'awaiting-approval',
  'paused',
  'completed',
  'aborted',
  'waiting-window',
  'soaking',
]);

/**
 * Events that change the latest batch; it is saved with them so a restarted bot keeps it, node steps included
 * (the step trail of a node resumed after a restart starts where it started).
 */
const STRUCTURAL = new Set([
  'batch.awaiting-approval',
  'batch.started',
  'node.step',
  'batch.finished',
  'migration.failed',
]);

async function ensureParent(ctx: PresentContext, message: Message): Promise<ThreadRecord> {
  if (ctx.record) return ctx.record;
  const { surface, view } = ctx;
  const parent = await surface.post({ channel: surface.channel }, message, 'parent');
  const record: ThreadRecord = {
    migrationId: view.summary.migrationId,
    kind: 'migration',
    platform: surface.platform.platform,
    channel: surface.channel,
    parent,
    requester: view.summary.origin.userId,
    batches: {},
    alerts: {},
    milestones: [],
  };
  await ctx.save(record);
  ctx.record = record;
  return record;
}

function threadOf(surface: Surface, record: ThreadRecord): Target {
  return { channel: surface.channel, threadId: record.parent.threadId ?? record.parent.messageId };
}

export async function presentThreaded(event: MigrationEvent, ctx: PresentContext): Promise<void> {
  const { surface, view } = ctx;
  // A node step, or the migration simply running again after an approval (batch.started follows at once with
  // the same news), can ride along with the next milestone instead of costing an edit of its own.
  const lazy =
    event.type === 'node.step' || (event.type === 'migration.state' && !PROMPT_STATES.has(view.summary.state));
  const summary = buildMigrationSummary(view);
  const record = await ensureParent(ctx, summary);
  surface.edit(record.parent, summary, { lazy: !PROMPT_STATES.has(view.summary.state) });
  let dirty = false;

  const index = batchIndexOf(event);
  for (const [key, batch] of Object.entries(view.batches)) {
    const n = Number(key);
    // Finished batches do not change any more, except the one this event is about.
    if (n !== index && batch.phase === 'finished') continue;
    const built = buildBatchMessage(view, n);
    if (!built) continue;
    const message = withApprovers(built, view, n);
    const ref = record.batches[key];
    if (ref) surface.edit(ref, message, { lazy: lazy && (n === index || index === undefined) });
    else if (n === index) {
      record.batches[key] = await surface.post(threadOf(surface, record), message, `batch:${key}`);
      dirty = true;
    }
  }
  if (index !== undefined && STRUCTURAL.has(event.type) && view.batches[index]) {
    record.batch = view.batches[index];
    dirty = true;
  }

  for (const failure of view.failures) {
    const ref = record.alerts[failure.approval.nonce];
    const message = buildFailureAlert(view.summary, failure);
    if (ref) surface.edit(ref, message);
    else if (!failure.resolution) {
      record.alerts[failure.approval.nonce] = await surface.post(
        threadOf(surface, record),
        message,
        `alert:${failure.approval.nonce}`,
      );
      dirty = true;
    }
  }

  // Non-batch approvals (blocker override, old pool removal, cleanup) get a reply of their own, by nonce.
  for (const request of view.requests) {
    const ref = record.alerts[request.approval.nonce];
    const built = buildRequestApproval(view.summary, request);
    const message = { ...built, mentions: [...new Set([...(built.mentions ?? []), ...request.approval.approvers])] };
    if (ref) surface.edit(ref, message);
    else if (!request.resolution) {
      record.alerts[request.approval.nonce] = await surface.post(
        threadOf(surface, record),
        message,
        `alert:${request.approval.nonce}`,
      );
      dirty = true;
    }
  }

  for (const note of view.notes) {
    if (record.alerts[note.key]) continue;
    record.alerts[note.key] = await surface.post(threadOf(surface, record), buildNote(note.text), `note:${note.key}`);
    dirty = true;
  }

  if (view.finished && !record.final) {
    record.final = await surface.post(
      threadOf(surface, record),
      withApprovedBy(buildFinalSummary(view), view),
      'final',
    );
    dirty = true;
  }
  if (dirty) await ctx.save(record);
}

function milestoneFor(event: MigrationEvent, view: MigrationView): { key: string; message: Message } | undefined {
  const s = view.summary;
  const requester = s.origin.userId;
  switch (event.type) {
    case 'batch.awaiting-approval': {
      if (event.approval.subject !== 'batch') {
        const what = event.approval.subject.replace(/-/g, ' ');
        return {
          key: `approval:${event.approval.nonce}`,
          message: buildMilestone(`✋ ${s.poolName}: approval needed for ${what}. Decide on the migration card.`, [
            ...event.approval.approvers,
            requester,
          ]),
        };
      }
      const pods = event.batch.evictions.reduce((sum, e) => sum + e.pods, 0);
      return {
        key: `approval:${event.approval.nonce}`,
        message: buildMilestone(
          `✋ ${s.poolName}: batch ${event.batch.index} of ${s.batchCount} needs approval ` +
            `(${event.batch.nodes.length} nodes, ${pods} pods evicted). Approve or reject on the migration card. ` +
            typedAnswer(s.poolName, event.batch.index),
          [...event.approval.approvers, requester],
        ),
      };
    }
    case 'migration.failed':
      return {
        key: `failed:${event.approval.nonce}`,
        message: buildMilestone(
          `❌ ${s.poolName} stopped${event.node ? ` at ${event.node}` : ''}: ${event.reason}. ` +
            (event.node
              ? 'Retry, skip the node or abort on the migration card.'
              : 'Retry or abort on the migration card.'),
          [requester],
        ),
      };
    case 'migration.finished':
    case 'migration.state':
      if (s.state !== 'completed' && s.state !== 'aborted') return undefined;
      return {
        key: 'ended',
        message: buildMilestone(
          s.state === 'completed'
            ? `✅ ${s.poolName} migrated to containerd: ${s.nodesDone}/${s.nodesTotal} nodes.${
                approvedLine(view) ? ` ${approvedLine(view)?.replace(/\*/g, '')}.` : ''
              }`
            : `⛔ ${s.poolName}: migration aborted${s.reason ? ` (${s.reason})` : ''}; ${s.nodesDone}/${s.nodesTotal} nodes migrated.`,
          [requester],
        ),
      };
    default:
      return undefined;
  }
}

export async function presentCard(event: MigrationEvent, ctx: PresentContext): Promise<void> {
  const { surface, view } = ctx;
  const card = buildMigrationCard(view);
  const record = await ensureParent(ctx, card);
  // The card is also the batch view: structural events show at once, node steps and plain progress lazily.
  const lazy =
    event.type === 'node.step' || (event.type === 'migration.state' && !PROMPT_STATES.has(view.summary.state));
  surface.edit(record.parent, card, { lazy });
  const milestone = milestoneFor(event, view);
  let dirty = false;
  if (milestone && !record.milestones.includes(milestone.key)) {
    await surface.post({ channel: surface.channel }, milestone.message, `milestone:${milestone.key}`);
    record.milestones = [...record.milestones.slice(-50), milestone.key];
    dirty = true;
  }
  for (const note of view.notes) {
    if (record.milestones.includes(note.key)) continue;
    await surface.post(
      { channel: surface.channel },
      buildMilestone(`${view.summary.poolName}: ${note.text}`, []),
      `milestone:${note.key}`,
    );
    record.milestones = [...record.milestones.slice(-50), note.key];
    dirty = true;
  }
  const index = batchIndexOf(event);
  if (index !== undefined && STRUCTURAL.has(event.type) && view.batches[index]) {
    record.batch = view.batches[index];
    dirty = true;
  }
  if (dirty) await ctx.save(record);
}
