/**
 * The fleet scan behind `/migrate fleet` and `ack-migrate fleet` (docs/contracts.md#fleet-json): every configured
 * cluster (with `settings.discover`, every cluster the account lists too), each pool with a fresh precheck, at most
 * `concurrency` prechecks at once across the fleet, and each pool's newest migration.
 */
import type { ClusterFacts, NodePoolFacts } from '../domain/cluster/snapshot.js';
import { type FleetPool, type FleetView, fleetCluster, unreadableCluster } from '../domain/fleet/fleet-view.js';
import { asAppError } from '../errors.js';
import type { MigrationStore } from '../ports/migration-store.js';
import { fleetClusterIds } from './fleet-pool-search.js';
import { type PrecheckDeps, precheckTarget } from './precheck-service.js';
import { scopedTo } from './scoped-gateways.js';

export const DEFAULT_FLEET_CONCURRENCY = 8;

export interface FleetScanDeps extends PrecheckDeps {
  store: Pick<MigrationStore, 'forPool'>;
  /** Also every cluster DescribeClustersV1 returns (settings.discover). */
  discover?: boolean;
  /** Prechecks at once over the whole fleet. */
  concurrency?: number;
}

export interface FleetProgress {
  clusters: number;
  pools: number;
  done: number;
}

/** The configured clusters (else ACK_CLUSTER_ID), and every listed cluster with `discover` or when none is known. */
async function clusterIds(deps: FleetScanDeps): Promise<string[]> {
  const ids = new Set(deps.fleet ?? []);
  if (ids.size === 0 && deps.defaultClusterId) ids.add(deps.defaultClusterId);
  if (deps.discover || ids.size === 0)
    for (const id of (await fleetClusterIds({ cloud: deps.cloud })) ?? []) ids.add(id);
  return [...ids];
}

/** Runs `tasks` with at most `limit` at once, in order of start. */
async function limited<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < tasks.length; i = next++) out[i] = await tasks[i]!();
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, lane));
  return out;
}

export async function scanFleet(deps: FleetScanDeps, onProgress?: (p: FleetProgress) => void): Promise<FleetView> {
  const ids = await clusterIds(deps);
  const read = await Promise.all(
    ids.map(async (id) => {
      try {
        const { cloud } = await scopedTo(deps, id);
        const [facts, pools] = await Promise.all([cloud.describeCluster(id), cloud.listNodePools(id)]);
        return { id, facts: { ...facts, id: facts.id || id } as ClusterFacts, pools };
      } catch (error) {
        return { id, error: asAppError(error).message };
      }
    }),
  );
  const targets = read.flatMap((c) =>
    'facts' in c && c.facts ? c.pools.map((pool) => ({ cluster: c.facts, pool })) : [],
  );
  const progress: FleetProgress = { clusters: ids.length, pools: targets.length, done: 0 };
  onProgress?.({ ...progress });
  const results = await limited(
    targets.map((t) => async () => {
      const row = await poolRow(deps, t.cluster, t.pool);
      progress.done++;
      onProgress?.({ ...progress });
      return { cluster: t.cluster.id, row };
    }),
    deps.concurrency ?? DEFAULT_FLEET_CONCURRENCY,
  );
  return {
    clusters: read.map((c) =>
      'facts' in c && c.facts
        ? fleetCluster(
            c.facts,
            results.filter((r) => r.cluster === c.id).map((r) => r.row),
          )
        : unreadableCluster(c.id, '', c.error ?? 'unknown error'),
    ),
  };
}

async function poolRow(deps: FleetScanDeps, cluster: ClusterFacts, pool: NodePoolFacts): Promise<FleetPool> {
  const [report, newest] = await Promise.all([
    precheckTarget(deps, { cluster, pool }, undefined).catch((error: unknown) => asAppError(error)),
    deps.store.forPool(cluster.id, pool.id, 1),
  ]);
  const migration = newest[0] ? { id: newest[0].id, state: newest[0].state } : null;
  const base = { id: pool.id, name: pool.name, runtime: pool.runtime, migration };
  if ('verdict' in report) return { ...base, nodes: report.pool.nodes, verdict: report.verdict };
  return { ...base, nodes: pool.nodeCount, verdict: 'error', error: report.message };
}
