import { compareMinor, parseKubernetesVersion } from '../../cluster/kubernetes-version.js';
import { finding } from '../findings.js';
import type { PrecheckInput } from '../input.js';
import type { Finding } from '../report.js';

/**
 * ACK runs containerd node pools on clusters 1.20 and later (and supports Docker only up to 1.22). Older clusters must
 * be upgraded first; an unreadable version is a blocker too, because the precheck cannot vouch for it.
 */
export const MIN_CONTAINERD_VERSION = { major: 1, minor: 20 } as const;

export function clusterVersion(input: PrecheckInput): Finding[] {
  const { cluster } = input;
  const object = { kind: 'Cluster' as const, name: cluster.id };
  const minimum = `${MIN_CONTAINERD_VERSION.major}.${MIN_CONTAINERD_VERSION.minor}`;
  const version = parseKubernetesVersion(cluster.version);
  if (!version)
    return [
      finding(
        'cluster-version',
        'blocker',
        object,
        `cluster version ${JSON.stringify(cluster.version ?? '')} is unknown, so containerd support (${minimum}+) cannot be confirmed`,
        'Check current_version of the cluster in the ACK console (DescribeClusterDetail), then run the precheck again.',
      ),
    ];
  if (compareMinor(version, MIN_CONTAINERD_VERSION.major, MIN_CONTAINERD_VERSION.minor) >= 0) return [];
  return [
    finding(
      'cluster-version',
      'blocker',
      object,
      `cluster version ${cluster.version} cannot run containerd node pools (ACK needs ${minimum} or later)`,
      `Upgrade the cluster to ${minimum} or 1.22 first (Docker pools keep working there), then migrate the pools.`,
    ),
  ];
}
