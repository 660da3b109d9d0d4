/**
 * Who may approve and control a migration (docs/architecture.md#approvals-and-rights). A pool is production unless its
 * cluster or the pool itself is marked otherwise. Production decisions need a listed approver for the platform the
 * click came from, and by default not the requester. Outside production the requester may decide too.
 */
import type { Origin, Platform } from '../migration/events.js';

export type Environment = 'production' | 'staging' | 'test';

/** The part of a cluster's config this policy reads (structurally the config file's cluster entry). */
export interface ClusterPolicy {
  id: string;
  environment: Environment;
  pools: Record<string, { environment: Environment }>;
  approvers: Partial<Record<Platform, string[]>>;
}

export interface ApprovalSettings {
  allowSelfApproval: boolean;
  /** Seconds an approval request stays valid. */
  approvalTtl: number;
}

export function environmentOf(cluster: ClusterPolicy, pool: { name?: string; id?: string }): Environment {
  const byName = pool.name ? cluster.pools[pool.name] : undefined;
  const byId = pool.id ? cluster.pools[pool.id] : undefined;
  return (byName ?? byId)?.environment ?? cluster.environment;
}

export function isProduction(cluster: ClusterPolicy, pool: { name?: string; id?: string }): boolean {
  return environmentOf(cluster, pool) === 'production';
}

export function approversFor(cluster: ClusterPolicy, platform: Platform): string[] {
  return cluster.approvers[platform] ?? [];
}

export function isApprover(cluster: ClusterPolicy, actor: { platform: Platform; userId: string }): boolean {
  return approversFor(cluster, actor.platform).includes(actor.userId);
}

export type RightsCheck = { ok: true } | { ok: false; message: string };

export interface RightsInput {
  cluster: ClusterPolicy;
  production: boolean;
  requester: Origin;
  actor: { platform: Platform; userId: string };
  settings: Pick<ApprovalSettings, 'allowSelfApproval'>;
  /** Approving a batch or an extra is held to the self-approval rule; pause/abort are not (stopping is always safe). */
  kind: 'approve' | 'control';
}

function sameUser(a: { platform: Platform; userId: string }, b: { platform: Platform; userId: string }): boolean {
  return a.platform === b.platform && a.userId === b.userId;
}

export function checkRights(input: RightsInput): RightsCheck {
  const { cluster, actor } = input;
  const listed = isApprover(cluster, actor);
  const requester = sameUser(actor, input.requester);
  if (!input.production) {
    if (listed || requester) return { ok: true };
    return {
      ok: false,
      message: `${actor.userId} is neither the requester nor an approver of cluster ${cluster.id} on ${actor.platform}`,
    };
  }
  if (!listed)
    return { ok: false, message: `${actor.userId} is not an approver of cluster ${cluster.id} on ${actor.platform}` };
  if (input.kind === 'approve' && requester && !input.settings.allowSelfApproval)
    return {
      ok: false,
      message: `${actor.userId} started this migration and cannot approve it (allowSelfApproval is off)`,
    };
  return { ok: true };
}

/**
 * `start --yes` approves every batch as the requester, `--override-blockers` overrides the precheck's blockers:
 * only a CLI approver, or anyone outside production.
 */
export function mayAutoApprove(
  cluster: ClusterPolicy,
  production: boolean,
  requester: Origin,
  flag: '--yes' | '--override-blockers' = '--yes',
): RightsCheck {
  if (!production) return { ok: true };
  if (requester.platform === 'cli' && isApprover(cluster, requester)) return { ok: true };
  return {
    ok: false,
    message: `${flag} needs ${requester.userId} in approvers.cli of cluster ${cluster.id} (the pool is production)`,
  };
}
