/**
 * Verification of a migrated node (docs/architecture.md#migration-pipeline): Ready, schedulable, runtime
 * `containerd://…`, private IP and MAC unchanged, and (in place) a new system disk. "Not yet" (still NotReady, still
 * cordoned) is told apart from a mismatch (IP or MAC changed, disk not replaced) so the worker waits for the first and
 * stops at once on the second.
 */
import type { InstanceFacts, NodeFacts } from '../cluster/snapshot.js';
import type { MigrationMode } from './events.js';
import type { NodeBefore } from './record.js';

export type NodeVerdict =
  | { status: 'ok' }
  | { status: 'waiting'; reason: string }
  | { status: 'mismatch'; reason: string };

export function isContainerd(runtimeVersion: string | undefined): boolean {
  return (runtimeVersion ?? '').startsWith('containerd://');
}

export function verifyNode(input: {
  mode: MigrationMode;
  before: NodeBefore;
  node: Pick<NodeFacts, 'ready' | 'unschedulable' | 'runtimeVersion' | 'internalIp'> | undefined;
  instance: Pick<InstanceFacts, 'privateIp' | 'mac' | 'systemDiskId' | 'status'> | undefined;
}): NodeVerdict {
  const { before, node, instance } = input;
  const name = before.name;
  if (!node) return { status: 'waiting', reason: `${name} is not registered in Kubernetes` };
  if (input.mode === 'in-place') {
    if (!instance) return { status: 'mismatch', reason: `${name}: ECS instance ${before.instanceId} not found` };
    if (before.privateIp && instance.privateIp && instance.privateIp !== before.privateIp)
      return { status: 'mismatch', reason: `${name}: private IP changed ${before.privateIp} → ${instance.privateIp}` };
    if (before.mac && instance.mac && instance.mac !== before.mac)
      return { status: 'mismatch', reason: `${name}: MAC changed ${before.mac} → ${instance.mac}` };
    if (!isContainerd(node.runtimeVersion)) {
      if (
        node.ready &&
        !node.unschedulable &&
        instance.status === 'Running' &&
        instance.systemDiskId === before.systemDiskId
      )
        return { status: 'mismatch', reason: `${name}: still runs ${node.runtimeVersion || 'an unknown runtime'}` };
      return { status: 'waiting', reason: `${name}: runtime is ${node.runtimeVersion || 'unknown'}` };
    }
    if (before.systemDiskId && instance.systemDiskId === before.systemDiskId)
      return { status: 'mismatch', reason: `${name}: system disk ${before.systemDiskId} was not replaced` };
  } else if (!isContainerd(node.runtimeVersion)) {
    return {
      status: 'mismatch',
      reason: `${name}: runs ${node.runtimeVersion || 'an unknown runtime'}, not containerd`,
    };
  }
  if (!node.ready) return { status: 'waiting', reason: `${name} is not Ready` };
  if (node.unschedulable) return { status: 'waiting', reason: `${name} is still cordoned` };
  return { status: 'ok' };
}

/**
 * Whether a node already finished the in-place migration (look before acting: never upgrade it again): on
 * containerd, Ready, its instance running on a new system disk. A node that stopped half-way (containerd on
 * disk but NotReady or stopped) is not finished and goes through the upgrade again.
 */
export function alreadyMigrated(
  before: NodeBefore,
  node: Pick<NodeFacts, 'runtimeVersion' | 'ready'> | undefined,
  instance: Pick<InstanceFacts, 'systemDiskId' | 'status'> | undefined,
): boolean {
  if (!node || !isContainerd(node.runtimeVersion) || !node.ready) return false;
  if (instance && instance.status !== 'Running') return false;
  return !before.systemDiskId || !instance?.systemDiskId || instance.systemDiskId !== before.systemDiskId;
}
