/**
 * A pool named without a cluster, in a deployment that serves several (docs/architecture.md#fleet): looked up in
 * every cluster of the fleet. Found in one, that is the cluster; in several, the command is refused naming them, so
 * a pool name never picks a cluster by chance.
 */
import type { ClusterFacts, NodePoolFacts } from '../domain/cluster/snapshot.js';
import { AppError } from '../errors.js';
import type { CloudGateway } from '../ports/cloud-gateway.js';
import type { ClusterAccess } from '../ports/cluster-access.js';
import { scopedTo } from './scoped-gateways.js';

export interface FleetSearchDeps {
  cloud: CloudGateway & { listClusters?: () => Promise<ClusterFacts[]> };
  access?: ClusterAccess | undefined;
  /** The configured clusters; empty or absent: the clusters the cloud lists. */
  fleet?: readonly string[] | undefined;
}

interface Found {
  cluster: ClusterFacts;
  pool: NodePoolFacts;
}

/** The fleet's cluster ids; undefined when the cloud cannot list them. */
export async function fleetClusterIds(deps: FleetSearchDeps): Promise<string[] | undefined> {
  if (deps.fleet && deps.fleet.length > 0) return [...deps.fleet];
  if (!deps.cloud.listClusters) return undefined;
  try {
    return (await deps.cloud.listClusters()).map((c) => c.id);
  } catch {
    return undefined;
  }
}

/** Undefined when the fleet has fewer than two clusters (the caller's single-cluster rules apply). */
export async function findPoolInFleet(deps: FleetSearchDeps, pool: string): Promise<Found | undefined> {
  const ids = await fleetClusterIds(deps);
  if (!ids || ids.length < 2) return undefined;
  const unreadable: string[] = [];
  const hits = await Promise.all(
    ids.map(async (id) => {
      try {
        const { cloud } = await scopedTo(deps, id);
        const pools = await cloud.listNodePools(id);
        const match = pools.find((p) => p.name === pool) ?? pools.find((p) => p.id === pool);
        return match ? { id, pool: match, cloud } : undefined;
      } catch {
        // A cluster this identity cannot read holds no pool it could migrate; it is named if nothing is found.
        unreadable.push(id);
        return undefined;
      }
    }),
  );
  const found = hits.filter((h) => h !== undefined);
  if (found.length === 0) {
    const unread = unreadable.length > 0 ? ` (could not read ${unreadable.sort().join(', ')})` : '';
    throw new AppError('NOT_FOUND', `unknown pool "${pool}" in clusters ${ids.join(', ')}${unread}`, {
      hint: 'check the pool name, or name its cluster with --cluster ID',
    });
  }
  if (found.length > 1)
    throw new AppError(
      'BAD_INPUT',
      `pool "${pool}" is in several clusters (${found.map((f) => f.id).join(', ')}): add --cluster ID`,
    );
  const hit = found[0]!;
  const cluster = await hit.cloud.describeCluster(hit.id);
  return { cluster: { ...cluster, id: cluster.id || hit.id }, pool: hit.pool };
}
