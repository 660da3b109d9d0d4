/**
 * The CreateClusterNodePool body of a rotate's new pool (docs/architecture.md#migration-pipeline): the old pool's
 * DescribeClusterNodePoolDetail as the create model names it, with containerd and its version, the same RAM role,
 * auto-scaling, resource group and kubelet settings. What names the old pool's own resources is left out.
 */
import { AppError } from '../../errors.js';
import type { NewPoolSpec } from '../../ports/cloud-gateway.js';
import type { RawNodePool } from './ack-api.js';

/** Fields of a scaling group that belong to the old pool's own resources or are set here. */
const NOT_CLONED = new Set(['scaling_group_id', 'desired_size', 'ram_policy', 'login_password']);

export function cloneBody(detail: RawNodePool, spec: NewPoolSpec): Record<string, unknown> {
  const group = detail.scaling_group ?? {};
  // A password cannot be read back: a pool that logs in by password cannot be cloned without a key pair.
  if (!group['key_pair']) {
    throw new AppError(
      'BAD_INPUT',
      `node pool ${spec.cloneOf} logs in by password, which cannot be read back to clone it: add a key pair to the pool or migrate it in place`,
    );
  }
  const scaling: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(group)) if (!NOT_CLONED.has(k)) scaling[k] = v;
  const info = detail.nodepool_info as { type?: string; resource_group_id?: string } | undefined;
  return {
    nodepool_info: {
      name: spec.name,
      type: info?.type ?? 'ess',
      ...(info?.resource_group_id ? { resource_group_id: info.resource_group_id } : {}),
    },
    kubernetes_config: {
      ...(detail.kubernetes_config ?? {}),
      runtime: spec.runtime,
      runtime_version: spec.runtimeVersion,
    },
    scaling_group: { ...scaling, desired_size: spec.desiredSize },
    ...(detail['management'] ? { management: detail['management'] } : {}),
    ...(detail['auto_scaling'] ? { auto_scaling: detail['auto_scaling'] } : {}),
    ...(detail['node_config'] ? { node_config: detail['node_config'] } : {}),
  };
}
