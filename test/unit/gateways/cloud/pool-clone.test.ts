/**
 * The rotate's CreateClusterNodePool body (src/gateways/cloud/pool-clone.ts) from a DescribeClusterNodePoolDetail
 * shaped as the SDK's model names it: what makes the new pool the old one's twin is kept, what names the old
 * pool's own resources is not, and a pool that logs in by password is refused before any call.
 */
import { describe, expect, it } from 'vitest';
import type { RawNodePool } from '../../../../src/gateways/cloud/ack-api.js';
import { cloneBody } from '../../../../src/gateways/cloud/pool-clone.js';

function detail(): RawNodePool {
  return {
    nodepool_info: {
      nodepool_id: 'np-old',
      name: 'pool-a',
      type: 'ess',
      resource_group_id: 'rg-acfm2ab3cd',
      region_id: 'cn-hangzhou',
      is_default: false,
      created: '2024-03-01T08:00:00+08:00',
    },
    status: { state: 'active', total_nodes: 6, healthy_nodes: 6 },
    scaling_group: {
      scaling_group_id: 'asg-old',
      desired_size: 6,
      instance_types: ['ecs.g7.xlarge', 'ecs.g6.xlarge'],
      vswitch_ids: ['vsw-a', 'vsw-b'],
      security_group_ids: ['sg-1'],
      system_disk_category: 'cloud_essd',
      system_disk_size: 120,
      data_disks: [{ category: 'cloud_essd', size: 200 }],
      key_pair: 'ops-key',
      ram_role_name: 'KubernetesWorkerRole-prod',
      ram_policy: 'KubernetesWorkerRole-prod',
      image_type: 'AliyunLinux3',
      instance_charge_type: 'PostPaid',
      tags: [{ key: 'team', value: 'payments' }],
    },
    kubernetes_config: {
      runtime: 'docker',
      runtime_version: '19.03.15',
      cpu_policy: 'static',
      labels: [{ key: 'workload', value: 'payments' }],
      taints: [{ key: 'dedicated', value: 'payments', effect: 'NoSchedule' }],
      node_name_mode: 'customized,aliyun.com,5,test',
      cms_enabled: true,
    },
    auto_scaling: { enable: true, min_instances: 3, max_instances: 12, type: 'cpu' },
    management: { enable: true, auto_repair: true, upgrade_config: { auto_upgrade: false } },
    node_config: { kubelet_configuration: { maxPods: 64, evictionHard: { 'memory.available': '500Mi' } } },
  } as unknown as RawNodePool;
}

const spec = {
  name: 'pool-a-containerd',
  runtime: 'containerd' as const,
  runtimeVersion: '1.6.97',
  cloneOf: 'np-old',
  desiredSize: 6,
};

describe('the rotate clone body', () => {
  it('keeps the twin: containerd at the resolved version, RAM role, auto-scaling, resource group, kubelet settings', () => {
    const body = cloneBody(detail(), spec) as {
      nodepool_info: Record<string, unknown>;
      kubernetes_config: Record<string, unknown>;
      scaling_group: Record<string, unknown>;
      auto_scaling: unknown;
      management: unknown;
      node_config: unknown;
    };
    expect(body.nodepool_info).toEqual({ name: 'pool-a-containerd', type: 'ess', resource_group_id: 'rg-acfm2ab3cd' });
    expect(body.kubernetes_config).toMatchObject({
      runtime: 'containerd',
      runtime_version: '1.6.97',
      cpu_policy: 'static',
      labels: [{ key: 'workload', value: 'payments' }],
      taints: [{ key: 'dedicated', value: 'payments', effect: 'NoSchedule' }],
    });
    expect(body.scaling_group).toMatchObject({
      desired_size: 6,
      instance_types: ['ecs.g7.xlarge', 'ecs.g6.xlarge'],
      vswitch_ids: ['vsw-a', 'vsw-b'],
      key_pair: 'ops-key',
      ram_role_name: 'KubernetesWorkerRole-prod',
      system_disk_size: 120,
      tags: [{ key: 'team', value: 'payments' }],
    });
    expect(body.auto_scaling).toEqual({ enable: true, min_instances: 3, max_instances: 12, type: 'cpu' });
    expect(body.management).toEqual({ enable: true, auto_repair: true, upgrade_config: { auto_upgrade: false } });
    expect(body.node_config).toEqual({
      kubelet_configuration: { maxPods: 64, evictionHard: { 'memory.available': '500Mi' } },
    });
  });

  it("leaves out what names the old pool's own resources, and its status", () => {
    const body = cloneBody(detail(), spec) as Record<string, Record<string, unknown>>;
    expect(body.scaling_group).not.toHaveProperty('scaling_group_id');
    expect(body.scaling_group).not.toHaveProperty('ram_policy'); // deprecated alias of ram_role_name
    expect(body.nodepool_info).not.toHaveProperty('nodepool_id');
    expect(body).not.toHaveProperty('status');
    expect(Object.keys(body).sort()).toEqual(
      ['auto_scaling', 'kubernetes_config', 'management', 'node_config', 'nodepool_info', 'scaling_group'].sort(),
    );
  });

  it('refuses a pool that logs in by password, naming what to do, before any call', () => {
    const byPassword = detail();
    const group = byPassword.scaling_group as Record<string, unknown>;
    delete group.key_pair;
    group.login_password = '******';
    expect(() => cloneBody(byPassword, spec)).toThrowError(
      expect.objectContaining({
        code: 'BAD_INPUT',
        message:
          'node pool np-old logs in by password, which cannot be read back to clone it: add a key pair to the pool or migrate it in place',
      }),
    );
  });
});
