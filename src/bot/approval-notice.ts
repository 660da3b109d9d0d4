/**
 * What makes an approval reach its approvers (docs/architecture.md#approvals-and-rights): a batch's request
 * mentions each approver (a thread reply notifies only who is in the thread or mentioned) and says how to answer
 * by typing, for people without buttons; the final summary names who approved each batch.
 */
import type { Message } from '../chat/core/message.js';
import type { MigrationView } from '../chat/core/migration-view.js';

/** The typed form of the Approve / Reject buttons (docs/contracts.md#command-grammar). */
export function typedAnswer(pool: string, batch: number): string {
  return `Or type \`/migrate approve ${pool} batch ${batch}\` (or \`reject\`).`;
}

/** While batch `index` waits for approval: its approvers are mentioned, and the typed answer is shown. */
export function withApprovers(message: Message, view: MigrationView, index: number): Message {
  const batch = view.batches[index];
  const approval = batch?.phase === 'awaiting-approval' ? batch.approval : undefined;
  if (!approval) return message;
  return {
    ...message,
    mentions: [...new Set([...(message.mentions ?? []), ...approval.approvers])],
    body: [...(message.body ?? []), typedAnswer(view.summary.poolName, index)],
  };
}

/** "Approved: batch 1 by U…; batch 2 by U…", when any batch was approved. */
export function approvedLine(view: MigrationView): string | undefined {
  const by = Object.values(view.batches)
    .filter((b) => b.approvedBy)
    .sort((a, b) => a.index - b.index)
    .map((b) => `batch ${b.index} by ${b.approvedBy}`);
  return by.length ? `*Approved*: ${by.join('; ')}` : undefined;
}

export function withApprovedBy(message: Message, view: MigrationView): Message {
  const line = approvedLine(view);
  return line ? { ...message, body: [...(message.body ?? []), line] } : message;
}
