/**
 * Who may resume a stopped migration (docs/architecture.md#approvals-and-rights). Answering a failure question
 * (Retry, or a typed resume) re-runs the failed batch: in production that needs an approver other than the
 * requester, like approving the batch did. When nothing is left to migrate (every node of the plan is done, or
 * skipped by a person) the resume only verifies and finishes, so it needs control rights, as pause and abort do.
 */
import type { ApprovalSettings, ClusterPolicy } from '../approvals/policy.js';
import type { DecisionKind } from './decisions.js';
import type { Platform, ResumeRights } from './events.js';
import type { MigrationRecord } from './record.js';

const APPROVE_LIKE: ReadonlySet<DecisionKind> = new Set(['approve', 'reject', 'retry', 'skip-node']);

type Person = ResumeRights['by'][number];

/** Nodes of the plan not yet done nor skipped; undefined before there is a plan. */
export function nodesLeft(record: Pick<MigrationRecord, 'plan' | 'batches'>): string[] | undefined {
  if (!record.plan || record.batches.length === 0) return undefined;
  return record.batches.flatMap((b) =>
    b.nodes.filter((n) => {
      const outcome = b.nodeStates[n]?.outcome;
      return outcome !== 'done' && outcome !== 'skipped';
    }),
  );
}

/** Whether answering the open failure question would run a batch again (not only verify and finish). */
export function resumeReRunsBatch(record: Pick<MigrationRecord, 'pending' | 'plan' | 'batches'>): boolean {
  if (record.pending?.kind !== 'failure') return false;
  const left = nodesLeft(record);
  return left === undefined || left.length > 0;
}

/** The rights a decision needs (`checkRights(... kind ...)`). */
export function decisionRights(
  decision: DecisionKind,
  record: Pick<MigrationRecord, 'pending' | 'plan' | 'batches'>,
): 'approve' | 'control' {
  if ((decision === 'resume' || decision === 'retry') && record.pending?.kind === 'failure')
    return resumeReRunsBatch(record) ? 'approve' : 'control';
  return APPROVE_LIKE.has(decision) ? 'approve' : 'control';
}

function same(a: Person, b: Person): boolean {
  return a.platform === b.platform && a.userId === b.userId;
}

export function resumeRights(
  record: Pick<MigrationRecord, 'pending' | 'plan' | 'batches' | 'production' | 'origin'>,
  cluster: ClusterPolicy,
  settings: Pick<ApprovalSettings, 'allowSelfApproval'>,
): ResumeRights {
  const requester: Person = { platform: record.origin.platform, userId: record.origin.userId };
  const needsApproval = record.production && resumeReRunsBatch(record);
  const listed: Person[] = Object.entries(cluster.approvers).flatMap(([platform, users]) =>
    (users ?? []).map((userId) => ({ platform: platform as Platform, userId })),
  );
  let by: Person[];
  if (!record.production) by = [requester, ...listed.filter((p) => !same(p, requester))];
  else if (needsApproval && !settings.allowSelfApproval) by = listed.filter((p) => !same(p, requester));
  else by = listed;
  const left = nodesLeft(record);
  const rights: ResumeRights = { needsApproval, batch: record.pending?.batch ?? 0, by };
  if (left !== undefined) rights.nodesLeft = left.length;
  return rights;
}

/** `U0ALICE (slack), root (cli)`, or `nobody`. */
export function namePeople(people: ResumeRights['by']): string {
  return people.length ? people.map((p) => `${p.userId} (${p.platform})`).join(', ') : 'nobody';
}

/** `batch 2 (3 nodes left to migrate)`: what a resume runs again. */
export function reRunText(rights: Pick<ResumeRights, 'batch' | 'nodesLeft'>): string {
  const what = rights.batch > 0 ? `batch ${rights.batch}` : 'the failed step';
  if (rights.nodesLeft === undefined) return what;
  return `${what} (${rights.nodesLeft} ${rights.nodesLeft === 1 ? 'node' : 'nodes'} left to migrate)`;
}

/** Why a resume was refused, and who can do it instead. */
export function whoMayResume(rights: ResumeRights, requester: string): string {
  const what = reRunText(rights);
  if (rights.by.length === 0)
    return `resuming re-runs ${what} of a production migration and no approver other than ${requester} is configured (approvers.<platform> in the config)`;
  return `resuming re-runs ${what} of a production migration: it needs an approver other than ${requester}: ${namePeople(rights.by)}`;
}
