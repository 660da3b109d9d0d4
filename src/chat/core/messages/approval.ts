/** Messages that wait for a click: the approval request of a batch and the failure alert (stop-the-line). */
import type { ApprovalRequest, BatchResult, MigrationSummary } from '../../../domain/migration/events.js';
import { reRunText } from '../../../domain/migration/resume-rights.js';
import { capList, plural, truncate, who } from '../format.js';
import type { Button, Message } from '../message.js';
import type { BatchView, FailureView, RequestView } from '../migration-view.js';
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

/** What the batch will do (nodes, evictions by workload, last batch's result), with Approve / Reject. */
export function buildApprovalRequest(input: {
  summary: MigrationSummary;
  batch: BatchView;
  approval: ApprovalRequest;
  lastBatch?: BatchResult | undefined;
}): Message {
  const { summary, batch, approval } = input;
  const pods = podTotal(batch);
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
    text: `Approval needed for batch ${batch.index} of ${summary.poolName}: ${plural(batch.nodes.length, 'node')}, ${plural(pods, 'pod')} evicted`,
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

/** Who may Retry (resume): named from the config when resuming re-runs a production batch. */
function resumeLine(summary: MigrationSummary, failure: FailureView): string[] {
  const r = failure.resume;
  if (!r) return [];
  const pool = summary.poolName;
  if (!r.needsApproval)
    return [
      `*Every node is already migrated*: ${who(summary.origin)} or an approver can resume (\`/migrate resume ${pool}\`) to verify and finish.`,
    ];
  const { origin } = summary;
  const self = r.by.some((p) => p.platform === origin.platform && p.userId === origin.userId);
  const names = r.by.length
    ? r.by.map((p) => `${p.userId} (${p.platform})`).join(', ')
    : 'nobody is configured (approvers.<platform> in the config)';
  const what = reRunText(r);
  return [
    `*Who can resume*: Resuming re-runs ${what} of a production migration: it needs ${self ? 'an approver' : `an approver other than ${origin.userId}`}: ${names}.`,
  ];
}

/** What each button does; Skip node only where there is one (a single failed node). */
function failureChoices(failure: FailureView): string {
  const skip = failure.node === undefined ? '' : '*Skip node* leaves that node on Docker and goes on, ';
  return (
    'The migration is paused and will not continue on its own. *Retry* runs the failed step again, ' +
    `${skip}*Abort* stops here (finished nodes stay migrated).`
  );
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
      failure.resolution ? `*Resolved*: ${failure.resolution}` : failureChoices(failure),
      ...(failure.resolution ? [] : resumeLine(summary, failure)),
    ],
    mentions: [summary.origin.userId],
    context: `Requested by ${who(summary.origin)} · ${summary.migrationId}`,
  };
  if (!failure.resolution) message.buttons = failureButtons(summary, failure);
  return message;
}

const REQUEST_TEXT: Record<
  RequestView['subject'],
  { title: string; button: string; what: (s: MigrationSummary, r: RequestView) => string }
> = {
  'override-blockers': {
    title: 'precheck blockers need an override',
    button: 'Override blockers',
    what: (_s, r) =>
      `${r.reason ?? 'The precheck found blockers.'} Approving starts the migration anyway; what the blockers name may break.`,
  },
  'remove-old-pool': {
    title: 'remove the old node pool?',
    button: 'Remove old pool',
    what: (s) =>
      `Every workload of ${s.poolName} now runs on the new containerd pool. Approving deletes the old Docker pool.`,
  },
  cleanup: {
    title: 'clean up the old Docker data?',
    button: 'Approve cleanup',
    what: (_s, r) =>
      `Removes the old Docker directory from the data disks of ${plural(r.nodes.length, 'node')}: ${capList(r.nodes, 12, (n) => `\`${n}\``).join(', ')}.`,
  },
};

/** An approval that is not about a batch (blocker override, old pool removal, cleanup), with its buttons. */
export function buildRequestApproval(summary: MigrationSummary, request: RequestView): Message {
  const text = REQUEST_TEXT[request.subject];
  const payload = { migrationId: summary.migrationId, nonce: request.approval.nonce };
  const approvers = request.approval.approvers.length
    ? request.approval.approvers.join(', ')
    : 'any configured approver';
  const message: Message = {
    text: `${summary.poolName}: ${text.title}`,
    header: `${request.resolution ? '⏹️' : '✋'} ${summary.poolName}: ${text.title}`,
    body: [text.what(summary, request), ...(request.resolution ? [`*Resolved*: ${request.resolution}`] : [])],
    context: `Approvers: ${approvers} · expires ${request.approval.expiresAt} · ${summary.migrationId}`,
  };
  if (!request.resolution) {
    message.buttons = [
      {
        label: text.button,
        style: 'primary',
        payload: { ...payload, decision: 'approve' },
        confirm: {
          title: `${text.button}?`,
          text: truncate(text.what(summary, request), 280),
          confirm: text.button,
          deny: 'Cancel',
        },
      },
      {
        label: 'Reject',
        style: 'danger',
        payload: { ...payload, decision: 'reject' },
        confirm: {
          title: 'Reject?',
          text: 'Nothing is changed; the migration waits.',
          confirm: 'Reject',
          deny: 'Cancel',
        },
      },
    ];
  }
  return message;
}
