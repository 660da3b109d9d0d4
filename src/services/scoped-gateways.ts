/**
 * Dependencies scoped to one cluster: a service written against `cluster` and `cloud` gets that cluster's gateways
 * when the deployment serves a fleet (`access`, docs/architecture.md#fleet), and keeps the ones it has otherwise.
 */
import type { CloudGateway } from '../ports/cloud-gateway.js';
import type { ClusterAccess } from '../ports/cluster-access.js';
import type { ClusterGateway } from '../ports/cluster-gateway.js';

export interface Scopable {
  cloud: CloudGateway;
  cluster?: ClusterGateway;
  /** Per-cluster gateways; without it every cluster is served by `cluster` and `cloud`. */
  access?: ClusterAccess | undefined;
}

export async function scopedTo<T extends Scopable>(deps: T, clusterId: string): Promise<T> {
  if (!deps.access) return deps;
  const gateways = await deps.access(clusterId);
  return { ...deps, cluster: gateways.cluster, cloud: gateways.cloud };
}
