/** Messages that wait for a click: the approval request of a batch and the failure alert (stop-the-line). */
import type { ApprovalRequest, BatchResult, MigrationSummary } from '../../../domain/migration/events.js';
import { plural, truncate, who } from '../format.js';
import type { Button, Message } from '../message.js';
import type { BatchView, FailureView } from '../migration-view.js';
import { evictionLines, nodeList, podTotal, resultLine } from './batch.js';

export function approvalButtons(summary: MigrationSummary, batch: number, approval: ApprovalRequest): Button[] {
  const payload = { migrationId: summary.migrationId, nonce: approval.nonce, batch };
  return [
    { label: `Approve batch ${batch}`, style: 'primary', payload: { ...payload, decision: 'approve' } },
    {
      label: 'Reject',
      style: 'danger',
      payload: { ...payload, decision: 'reject' },
      confirm: {
        title: `Reject batch ${batch}?`,
        text: `The migration of ${summary.poolName} stays paused until someone resumes or aborts it.`,
        confirm: 'Reject',
        deny: 'Cancel',
      },
    },
  ];
}

export function failureButtons(summary: MigrationSummary, failure: FailureView): Button[] {
  const payload = {
    migrationId: summary.migrationId,
    nonce: failure.approval.nonce,
    ...(failure.batch === undefined ? {} : { batch: failure.batch }),
  };
  const buttons: Button[] = [{ label: 'Retry', style: 'primary', payload: { ...payload, decision: 'retry' } }];
  if (failure.node !== undefined) {
    buttons.push({
      label: 'Skip node',
      payload: { ...payload, node: failure.node, decision: 'skip-node' },
      confirm: {
        title: `Skip ${failure.node}?`,
        text: `${failure.node} stays on Docker and the migration goes on with the next nodes.`,
        confirm: 'Skip node',
        deny: 'Cancel',
      },
    });
  }
  buttons.push({
    label: 'Abort',
    style: 'danger',
    payload: { ...payload, decision: 'abort' },
    confirm: {
      title: `Abort the migration of ${summary.poolName}?`,
      text: 'Nodes already on containerd stay there; the others stay on Docker. There is no rollback.',
      confirm: 'Abort',
      deny: 'Cancel',
    },
  });
  return buttons;
}

function subjectLabel(approval: ApprovalRequest, batch: number): string {
  switch (approval.subject) {
    case 'remove-old-pool':
      return 'removing the old node pool';
    case 'override-blockers':
      return 'overriding the precheck blockers';
    case 'cleanup':
      return 'the cleanup';
    default:
      return `batch ${batch}`;
  }
}

/** What the batch will do (nodes, evictions by workload, last batch's result), with Approve / Reject. */
export function buildApprovalRequest(input: {
  summary: MigrationSummary;
  batch: BatchView;
  approval: ApprovalRequest;
  lastBatch?: BatchResult | undefined;
}): Message {
  const { summary, batch, approval } = input;
  const pods = podTotal(batch);
  const what = subjectLabel(approval, batch.index);
  const body = [`*Nodes* (${batch.nodes.length}): ${nodeList(batch.nodes)}`];
  body.push(
    pods > 0
      ? [
          `*Evicts ${plural(pods, 'pod')}* from ${plural(batch.evictions.length, 'workload')}:`,
          ...evictionLines(batch),
        ].join('\n')
      : '*Evicts no pods.*',
  );
  body.push(input.lastBatch ? `*Last batch*: ${resultLine(input.lastBatch)}` : '*Last batch*: none yet (first batch)');
  const approvers = approval.approvers.length ? approval.approvers.join(', ') : 'any configured approver';
  return {
    text: `Approval needed for ${what} of ${summary.poolName}: ${plural(batch.nodes.length, 'node')}, ${plural(pods, 'pod')} evicted`,
    header: `✋ Batch ${batch.index} of ${summary.batchCount} · ${summary.poolName}: approval needed`,
    fields: [
      { label: 'Nodes', value: String(batch.nodes.length) },
      { label: 'Pods evicted', value: String(pods) },
      { label: 'Requested by', value: who(summary.origin) },
      { label: 'Expires', value: approval.expiresAt },
    ],
    body,
    buttons: approvalButtons(summary, batch.index, approval),
    context: `Approvers: ${approvers} · ${summary.migrationId}`,
  };
}

/** What failed and why, mentioning the requester, with Retry / Skip node / Abort until someone decides. */
export function buildFailureAlert(summary: MigrationSummary, failure: FailureView): Message {
  const where = [
    failure.batch === undefined ? undefined : `batch ${failure.batch}`,
    failure.node === undefined ? undefined : `node \`${failure.node}\``,
  ]
    .filter(Boolean)
    .join(', ');
  const message: Message = {
    text: `Migration of ${summary.poolName} stopped${where ? ` at ${where.replace(/`/g, '')}` : ''}: ${truncate(failure.reason, 300)}`,
    header: `❌ ${summary.poolName}: migration stopped`,
    body: [
      `*What failed*: ${where || 'the migration'}`,
      `*Why*: ${truncate(failure.reason, 800)}`,
      failure.resolution
        ? `*Resolved*: ${failure.resolution}`
        : 'The migration is paused and will not continue on its own. *Retry* runs the failed step again, ' +
          '*Skip node* leaves that node on Docker and goes on, *Abort* stops here (finished nodes stay migrated).',
    ],
    mentions: [summary.origin.userId],
    context: `Requested by ${who(summary.origin)} · ${summary.migrationId}`,
  };
  if (!failure.resolution) message.buttons = failureButtons(summary, failure);
  return message;
}
