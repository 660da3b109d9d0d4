/**
 * Which cluster a command is about, and its approval policy, from the config file (docs/contracts.md#configuration):
 * `--cluster`, else the only configured cluster, else ACK_CLUSTER_ID. A cluster missing from the file is production
 * with no approvers: nothing in production can then be approved until someone lists approvers.
 */
import type { ConfigFile } from '../config/config-file.js';
import type { ClusterPolicy } from '../domain/approvals/policy.js';
import { AppError } from '../errors.js';

export interface PolicySource {
  file: Pick<ConfigFile, 'clusters' | 'settings'>;
  defaultClusterId: string | undefined;
}

export function resolveClusterId(source: PolicySource, requested: string | undefined): string {
  if (requested) {
    const known = source.file.clusters;
    if (known.length > 0 && !known.some((c) => c.id === requested) && requested !== source.defaultClusterId) {
      throw new AppError('NOT_FOUND', `unknown cluster "${requested}"`, {
        hint: `configured clusters: ${known.map((c) => c.id).join(', ')}`,
      });
    }
    return requested;
  }
  if (source.file.clusters.length === 1) return source.file.clusters[0]!.id;
  if (source.defaultClusterId) return source.defaultClusterId;
  if (source.file.clusters.length === 0)
    throw new AppError('CONFIG', 'no cluster configured', {
      hint: 'set ACK_CLUSTER_ID or list clusters in ACK_MIGRATE_CONFIG',
    });
  throw new AppError('BAD_INPUT', 'several clusters are configured: name one with --cluster', {
    hint: source.file.clusters.map((c) => c.id).join(', '),
  });
}

/**
 * As resolveClusterId, except that with several clusters configured and none named or defaulted it is undefined:
 * the pool's own cluster decides, and a pool in several of them is refused (src/services/fleet-pool-search.ts).
 */
export function clusterOrFleet(source: PolicySource, requested: string | undefined): string | undefined {
  if (!requested && !source.defaultClusterId && source.file.clusters.length > 1) return undefined;
  return resolveClusterId(source, requested);
}

export function clusterPolicy(source: PolicySource, clusterId: string): ClusterPolicy {
  const c = source.file.clusters.find((x) => x.id === clusterId);
  if (c) return { id: c.id, environment: c.environment, pools: c.pools, approvers: c.approvers };
  return { id: clusterId, environment: 'production', pools: {}, approvers: {} };
}
