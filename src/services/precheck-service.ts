/**
 * The I/O half of the precheck: find the cluster and the pool, gather the pool's snapshot and ACK's own check at
 * the same time, then hand everything to the pure report builder (src/domain/precheck) or the planner.
 */
import type { AckCheckItem, ClusterFacts, ClusterSnapshot, NodePoolFacts } from '../domain/cluster/snapshot.js';
import type { BatchPlan } from '../domain/planner/index.js';
import { buildPrecheckReport, planForPrecheck } from '../domain/precheck/index.js';
import type { ContainerdTarget } from '../domain/precheck/input.js';
import type { PrecheckReport } from '../domain/precheck/report.js';
import { AppError, isAppError } from '../errors.js';
import type { CloudGateway } from '../ports/cloud-gateway.js';
import type { ClusterAccess } from '../ports/cluster-access.js';
import type { ClusterGateway } from '../ports/cluster-gateway.js';
import { findPoolInFleet } from './fleet-pool-search.js';
import { scopedTo } from './scoped-gateways.js';

/** A cloud gateway that can also list the clusters it sees (the real one can; fakes may not). */
export type PrecheckCloud = CloudGateway & { listClusters?: () => Promise<ClusterFacts[]> };

export interface PrecheckDeps {
  cluster: ClusterGateway;
  cloud: PrecheckCloud;
  /** ACK_CLUSTER_ID (or a channel's binding): used when the request names no cluster. */
  defaultClusterId?: string | undefined;
  /** A fleet: each cluster's own gateways (docs/architecture.md#fleet). */
  access?: ClusterAccess | undefined;
  /** The configured clusters, where a pool named without a cluster is looked for. */
  fleet?: readonly string[] | undefined;
}

export interface PrecheckRequest {
  /** Cluster id; default: deps.defaultClusterId, else the only cluster the cloud knows. */
  cluster?: string | undefined;
  /** Pool name or id. */
  pool: string;
  maxParallel?: number | undefined;
}

export interface PoolTarget {
  cluster: ClusterFacts;
  pool: NodePoolFacts;
}

export interface PoolPlan extends PoolTarget {
  snapshot: ClusterSnapshot;
  plan: BatchPlan;
}

function listClusters(clusters: ClusterFacts[]): string {
  return clusters.map((c) => (c.name && c.name !== c.id ? `${c.id} (${c.name})` : c.id)).join(', ') || '(none)';
}

async function knownClusters(cloud: PrecheckCloud): Promise<ClusterFacts[] | undefined> {
  if (!cloud.listClusters) return undefined;
  try {
    return await cloud.listClusters();
  } catch {
    return undefined;
  }
}

async function resolveClusterId(deps: PrecheckDeps, requested: string | undefined): Promise<string> {
  const id = requested ?? deps.defaultClusterId;
  if (id) return id;
  const clusters = await knownClusters(deps.cloud);
  if (clusters?.length === 1) return clusters[0]!.id;
  const names = clusters ? `; clusters: ${listClusters(clusters)}` : '';
  throw new AppError('BAD_INPUT', `no cluster given: use --cluster ID or set ACK_CLUSTER_ID${names}`);
}

function isNotFound(error: unknown): boolean {
  if (!isAppError(error)) return false;
  const code = String(error.details.code ?? '');
  return error.code === 'NOT_FOUND' || error.details.status === 404 || /NotFound|NotExist/i.test(code);
}

/** The cluster and the pool (by name or id); an unknown one is a NOT_FOUND that names what exists. */
export async function resolvePool(deps: PrecheckDeps, request: PrecheckRequest): Promise<PoolTarget> {
  if (!request.cluster && !deps.defaultClusterId) {
    const inFleet = await findPoolInFleet(deps, request.pool);
    if (inFleet) return inFleet;
  }
  const clusterId = await resolveClusterId(deps, request.cluster);
  let cluster: ClusterFacts;
  let pools: NodePoolFacts[];
  try {
    const { cloud } = await scopedTo(deps, clusterId);
    [cluster, pools] = await Promise.all([cloud.describeCluster(clusterId), cloud.listNodePools(clusterId)]);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    const clusters = await knownClusters(deps.cloud);
    let names = clusters ? `; clusters: ${listClusters(clusters)}` : '';
    // Without a cluster list (the service may not offer one), at least name the configured cluster.
    if (!clusters && deps.defaultClusterId && deps.defaultClusterId !== clusterId)
      names = `; clusters: ${deps.defaultClusterId}`;
    throw new AppError('NOT_FOUND', `unknown cluster "${clusterId}"${names}`, { cause: error });
  }
  const pool = pools.find((p) => p.name === request.pool) ?? pools.find((p) => p.id === request.pool);
  if (!pool) {
    const names = pools.map((p) => `${p.name} (${p.id})`).join(', ') || '(none)';
    throw new AppError(
      'NOT_FOUND',
      `unknown pool "${request.pool}" in cluster ${cluster.id || clusterId}; pools: ${names}`,
    );
  }
  return { cluster: { ...cluster, id: cluster.id || clusterId }, pool };
}

/** ACK's own check; when it cannot run at all, the report says so instead of failing as a whole. */
async function ackCheck(deps: PrecheckDeps, target: PoolTarget): Promise<AckCheckItem[]> {
  try {
    return await deps.cloud.runUpgradeCheck(target.cluster.id, target.pool.id);
  } catch (error) {
    const e = isAppError(error) ? error : undefined;
    if (e && e.code !== 'CLOUD_API' && e.code !== 'TIMEOUT') throw error;
    return [
      {
        name: 'NodePoolUpgrade',
        passed: false,
        level: 'warning',
        message: `ACK's own NodePoolUpgrade check could not run: ${e ? e.message : String(error)}`,
      },
    ];
  }
}

/** The containerd the migration will install (the plan names it); why not, when ACK cannot say. */
async function containerdTarget(deps: PrecheckDeps, target: PoolTarget): Promise<ContainerdTarget> {
  try {
    const { runtimeVersion } = await deps.cloud.containerdVersion(target.cluster.id);
    return { kind: 'version', runtimeVersion };
  } catch (error) {
    const e = isAppError(error) ? error : undefined;
    if (e?.code === 'NOT_FOUND') return { kind: 'none' };
    if (e && e.code !== 'CLOUD_API' && e.code !== 'TIMEOUT') throw error;
    return { kind: 'unknown', reason: e ? e.message : String(error) };
  }
}

export interface PrecheckOptions {
  /** Skip ACK's own check (for a plan-only answer): its findings are then absent from the report. */
  skipAckCheck?: boolean;
}

export async function runPrecheck(
  fleet: PrecheckDeps,
  request: PrecheckRequest,
  options: PrecheckOptions = {},
): Promise<PrecheckReport> {
  return precheckTarget(fleet, await resolvePool(fleet, request), request.maxParallel, options);
}

/** The precheck of a pool already resolved (a fleet scan has read every cluster's pools once). */
export async function precheckTarget(
  fleet: PrecheckDeps,
  target: PoolTarget,
  maxParallel: number | undefined,
  options: PrecheckOptions = {},
): Promise<PrecheckReport> {
  const deps = await scopedTo(fleet, target.cluster.id);
  // A pool already on containerd has nothing to upgrade: ACK's check would only add latency.
  const skipAck = options.skipAckCheck || target.pool.runtime === 'containerd';
  const [snapshot, ackChecks, containerd] = await Promise.all([
    deps.cluster.snapshotPool(target.pool.id),
    skipAck ? Promise.resolve([]) : ackCheck(deps, target),
    containerdTarget(deps, target),
  ]);
  return buildPrecheckReport({
    cluster: target.cluster,
    pool: target.pool,
    snapshot,
    ackChecks,
    containerd,
    maxParallel,
  });
}

/** The batch plan of a real pool (no precheck rules, no ACK check). */
export async function planPool(
  fleet: PrecheckDeps,
  request: PrecheckRequest,
  options: { minutesPerBatch?: number | undefined } = {},
): Promise<PoolPlan> {
  const target = await resolvePool(fleet, request);
  const deps = await scopedTo(fleet, target.cluster.id);
  const snapshot = await deps.cluster.snapshotPool(target.pool.id);
  // The same plan the precheck reports: only nodes still on Docker, at the parallelism it settles on.
  const plan = planForPrecheck(
    { cluster: target.cluster, pool: target.pool, snapshot, ackChecks: [], maxParallel: request.maxParallel },
    options.minutesPerBatch,
  );
  return { ...target, snapshot, plan };
}
