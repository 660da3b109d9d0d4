/**
 * Scale scenarios for benchmarks and load tests: N Docker nodes in a few pools, two DaemonSets on every node,
 * and Deployments of 10–50 replicas (each with a PDB allowing one disruption) filling the rest up to M pods
 * per node. Deterministic: the same arguments always yield the same scenario.
 */
import { DEFAULT_TIMING, type KubeObject, type Scenario, type ScenarioNodePool } from './types.js';

export interface ScaleOptions {
  nodes: number;
  podsPerNode: number;
  /** Number of node pools the nodes are split into (default: one per 500 nodes, at least 1). */
  pools?: number;
  seed?: number;
  namespaces?: number;
}

const DAEMONSETS = ['kube-proxy-worker', 'terway-eniip'];

export function generateScaleScenario(options: ScaleOptions): Scenario {
  const { nodes, podsPerNode } = options;
  const poolCount = Math.max(1, options.pools ?? Math.ceil(nodes / 500));
  const namespaces = options.namespaces ?? 20;
  let state = (options.seed ?? 42) >>> 0;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const nodePools: ScenarioNodePool[] = [];
  for (let p = 0; p < poolCount; p++) {
    const count = Math.floor(nodes / poolCount) + (p < nodes % poolCount ? 1 : 0);
    nodePools.push({
      id: `np-${p + 1}`,
      name: `pool-${p + 1}`,
      runtime: 'docker',
      runtimeVersion: '19.03.15',
      nodes: count,
      instanceType: 'ecs.g7.xlarge',
      labels: {},
      environment: p === 0 ? 'staging' : 'production',
    });
  }
  const manifests: KubeObject[] = [];
  for (const name of DAEMONSETS) {
    const labels = { 'k8s-app': name };
    manifests.push({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name, namespace: 'kube-system', labels },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            tolerations: [{ operator: 'Exists' }],
            containers: [{ name, image: `registry-cn-hangzhou-vpc.ack.aliyuncs.com/acs/${name}:v1.22.15` }],
          },
        },
      },
    });
  }
  const perNode = Math.max(0, podsPerNode - DAEMONSETS.length);
  let remaining = nodes * perNode;
  for (let i = 0; remaining > 0; i++) {
    let replicas = 10 + Math.floor(random() * 41);
    if (remaining - replicas < 2) replicas = remaining;
    replicas = Math.min(replicas, remaining);
    remaining -= replicas;
    const name = `svc-${String(i).padStart(5, '0')}`;
    const namespace = `team-${i % namespaces}`;
    const labels = { app: name };
    manifests.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, labels },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'app',
                image: `registry.cn-hangzhou.aliyuncs.com/scale/${name}:1.0.${i % 10}`,
                ports: [{ containerPort: 8080 }],
                resources: { requests: { cpu: '50m', memory: '64Mi' } },
              },
            ],
          },
        },
      },
    });
    manifests.push({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name, namespace },
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    });
  }
  return {
    cluster: { id: 'c-scale', name: 'scale', region: 'cn-hangzhou', version: '1.22.15-aliyun.1' },
    nodePools,
    manifests,
    timing: { ...DEFAULT_TIMING },
    faults: [],
    source: `generated (${nodes} nodes × ${podsPerNode} pods)`,
  };
}
