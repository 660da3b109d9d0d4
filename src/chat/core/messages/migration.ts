/** The migration's live summary (Slack parent message), the one-card view for DingTalk, and milestones. */
import { etaText, stateText, truncate, who } from '../format.js';
import type { Message } from '../message.js';
import { currentBatch, type MigrationView, openFailure, openRequest } from '../migration-view.js';
import { buildApprovalRequest, buildFailureAlert, buildRequestApproval } from './approval.js';
import { buildBatchProgress } from './batch.js';
import { buildFinalSummary } from './final.js';

function batchField(view: MigrationView): string {
  const { currentBatch: index, batchCount } = view.summary;
  if (index === undefined) return batchCount ? `— of ${batchCount}` : '—';
  return `${index} of ${batchCount}`;
}

/** Pool, state, nodes done/total with a progress bar, current batch, ETA, requester: edited in place. */
export function buildMigrationSummary(view: MigrationView): Message {
  const s = view.summary;
  const body: string[] = [];
  if (s.reason && (s.state === 'paused' || s.state === 'aborted')) body.push(`*Why*: ${truncate(s.reason, 600)}`);
  if (s.state === 'completed') body.push(`Next: \`/migrate cleanup ${s.poolName}\` frees the old Docker directory.`);
  const ended = s.state === 'completed' || s.state === 'aborted';
  const eta = ended ? '' : `, ETA ${etaText(s.etaMinutes, view.timeScale)}`;
  const state = stateText(s);
  const message: Message = {
    text: `${s.poolName}: ${state}, ${s.nodesDone}/${s.nodesTotal} nodes, batch ${batchField(view)}${eta}`,
    header: `Migration of ${s.poolName} to containerd`,
    fields: [
      { label: 'Pool', value: `${s.poolName} (${s.poolId}) · ${s.clusterId}` },
      { label: 'State', value: state },
      { label: 'Nodes', value: `${s.nodesDone}/${s.nodesTotal}` },
      { label: 'Batch', value: batchField(view) },
      { label: 'ETA', value: ended ? '—' : etaText(s.etaMinutes, view.timeScale) },
      { label: 'Requested by', value: who(s.origin) },
    ],
    progress: { done: s.nodesDone, total: s.nodesTotal },
    context: `${s.migrationId} · ${s.mode} · started ${s.startedAt}`,
  };
  if (body.length) message.body = body;
  return message;
}

/** The batch's thread reply in its current phase: approval request, progress, or closed request. */
export function buildBatchMessage(view: MigrationView, index: number): Message | undefined {
  const batch = view.batches[index];
  if (!batch) return undefined;
  if (batch.phase === 'awaiting-approval' && batch.approval) {
    return buildApprovalRequest({ summary: view.summary, batch, approval: batch.approval, lastBatch: batch.lastBatch });
  }
  return buildBatchProgress(view.summary, batch);
}

/**
 * Platforms without threads (DingTalk) get one card per migration: the summary, the batch in progress (or the
 * approval it waits for, or the failure), and its buttons, all updated in place.
 */
export function buildMigrationCard(view: MigrationView): Message {
  const summary = buildMigrationSummary(view);
  if (view.finished) {
    const final = buildFinalSummary(view);
    return { ...summary, body: [...(summary.body ?? []), ...(final.body ?? [])], timeline: final.timeline ?? [] };
  }
  const request = openRequest(view);
  if (request) {
    const ask = buildRequestApproval(view.summary, request);
    return { ...summary, body: [`*${ask.header}*`, ...(ask.body ?? [])], buttons: ask.buttons ?? [] };
  }
  const failure = openFailure(view);
  if (failure) {
    const alert = buildFailureAlert(view.summary, failure);
    return { ...summary, body: alert.body ?? [], buttons: alert.buttons ?? [], timeline: timelineOf(view) };
  }
  const batch = currentBatch(view);
  const part = batch ? buildBatchMessage(view, batch.index) : undefined;
  if (!part) return summary;
  const card: Message = { ...summary, body: [`*${part.header ?? part.text}*`, ...(part.body ?? [])] };
  if (part.timeline) card.timeline = part.timeline;
  if (part.buttons) card.buttons = part.buttons;
  return card;
}

function timelineOf(view: MigrationView) {
  const batch = currentBatch(view);
  return batch ? (buildBatchProgress(view.summary, batch).timeline ?? []) : [];
}

/** A one-line thread reply: a pause asked for or taken, a resume after an interruption. */
export function buildNote(text: string): Message {
  return { text, body: [text] };
}

/** A short post that notifies people (platforms without threads), pointing at the card. */
export function buildMilestone(text: string, mentions: string[]): Message {
  return { text, body: [text], mentions: [...new Set(mentions)] };
}
