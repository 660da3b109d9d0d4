import { finding } from '../findings.js';
import type { PrecheckInput } from '../input.js';
import type { Finding } from '../report.js';

/**
 * The containerd version the migration installs is ACK's answer for the cluster's Kubernetes version
 * (docs/contracts.md#precheck-json, `plan.containerdVersion`). None offered: nothing to migrate to, a blocker. The
 * lookup failed: a warning, since the migration asks again when it starts and stops there if ACK still cannot say.
 */
export function containerdTarget(input: PrecheckInput): Finding[] {
  const target = input.containerd;
  if (!target || target.kind === 'version') return [];
  const object = { kind: 'Cluster' as const, name: input.cluster.id };
  if (target.kind === 'none')
    return [
      finding(
        'containerd-target',
        'blocker',
        object,
        `ACK offers no containerd version for Kubernetes ${input.cluster.version}`,
        'Upgrade the cluster to a version ACK runs containerd pools on (1.20 or later), then run the precheck again.',
      ),
    ];
  return [
    finding(
      'containerd-target',
      'warning',
      object,
      `could not look up the containerd version ACK installs: ${target.reason}`,
      'Run the precheck again; the migration asks ACK again when it starts and stops if it still cannot tell.',
    ),
  ];
}
