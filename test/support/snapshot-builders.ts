/**
 * Builders for ClusterSnapshot test data: short to write, realistic by default (Docker nodes of pool `np-a`,
 * pods labelled and owned the way the gateway reports them). Shared by the precheck, planner and other tests.
 */
import type {
  AckCheckItem,
  ClusterFacts,
  ClusterSnapshot,
  ContainerSpec,
  NodeFacts,
  NodePoolFacts,
  PdbFacts,
  PodFacts,
  PodTemplate,
  VolumeSpec,
  WorkloadFacts,
  WorkloadKind,
  WorkloadRef,
} from '../../src/domain/cluster/snapshot.js';
import type { PrecheckInput } from '../../src/domain/precheck/input.js';

export function container(overrides: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    name: 'app',
    image: 'registry.example.com/app:1.0',
    command: [],
    args: [],
    volumeMounts: [],
    env: [],
    privileged: false,
    ...overrides,
  };
}

export function template(overrides: Partial<PodTemplate> = {}): PodTemplate {
  return {
    containers: [container()],
    initContainers: [],
    ephemeralContainers: [],
    volumes: [],
    nodeSelector: {},
    tolerations: [],
    ...overrides,
  };
}

/** A pod template whose one container mounts each hostPath (`readOnly` per entry, default writable). */
export function hostPathTemplate(
  paths: Array<string | { path: string; readOnly?: boolean }>,
  overrides: Partial<ContainerSpec> = {},
): PodTemplate {
  const entries = paths.map((p) => (typeof p === 'string' ? { path: p, readOnly: false } : p));
  const volumes: VolumeSpec[] = entries.map((e, i) => ({ name: `host-${i}`, hostPath: { path: e.path } }));
  const volumeMounts = entries.map((e, i) => ({
    name: `host-${i}`,
    mountPath: `/host/${i}`,
    readOnly: e.readOnly ?? false,
  }));
  return template({ volumes, containers: [container({ volumeMounts, ...overrides })] });
}

export function node(name: string, overrides: Partial<NodeFacts> = {}): NodeFacts {
  return {
    name,
    poolId: 'np-a',
    instanceId: `i-${name}`,
    internalIp: '10.0.0.1',
    ready: true,
    unschedulable: false,
    runtimeVersion: 'docker://19.3.15',
    labels: { 'alibabacloud.com/nodepool-id': 'np-a' },
    ...overrides,
  };
}

const CONTROLLER_KIND: Record<WorkloadKind, string | undefined> = {
  Deployment: 'ReplicaSet',
  ReplicaSet: 'ReplicaSet',
  StatefulSet: 'StatefulSet',
  DaemonSet: 'DaemonSet',
  Job: 'Job',
  CronJob: 'Job',
  Pod: undefined,
};

export interface WorkloadOptions {
  namespace?: string;
  /** One pod per entry, on that node (a node may repeat). */
  on?: string[];
  /** spec.replicas (Deployments and StatefulSets); default the number of pods. */
  replicas?: number;
  template?: PodTemplate;
  labels?: Record<string, string>;
  /** Phase of the pods (default Running). */
  phase?: string;
}

export interface PdbOptions {
  namespace?: string;
  matchLabels?: Record<string, string>;
  disruptionsAllowed?: number;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  expectedPods?: number;
  currentHealthy?: number;
  desiredHealthy?: number;
}

export class SnapshotBuilder {
  private readonly nodes: NodeFacts[] = [];
  private readonly pods: PodFacts[] = [];
  private readonly workloads: WorkloadFacts[] = [];
  private readonly pdbs: PdbFacts[] = [];

  node(name: string, overrides: Partial<NodeFacts> = {}): this {
    this.nodes.push(node(name, overrides));
    return this;
  }

  /** `count` nodes named `<prefix>-1` … `<prefix>-<count>`. */
  nodeRange(prefix: string, count: number, overrides: Partial<NodeFacts> = {}): this {
    for (let i = 1; i <= count; i++) this.node(`${prefix}-${i}`, overrides);
    return this;
  }

  /** A top-level workload (WorkloadFacts) and its pods on the given nodes. */
  workload(kind: WorkloadKind, name: string, options: WorkloadOptions = {}): this {
    const namespace = options.namespace ?? 'default';
    const ref: WorkloadRef = { kind, namespace, name };
    const labels = options.labels ?? { app: name };
    const spec = options.template ?? template();
    const on = options.on ?? [];
    const replicated = kind === 'Deployment' || kind === 'StatefulSet';
    if (kind !== 'Pod') {
      this.workloads.push({
        ref,
        replicas: replicated ? (options.replicas ?? on.length) : undefined,
        readyReplicas: replicated ? on.length : undefined,
        selector: { matchLabels: labels },
        template: spec,
      });
    }
    on.forEach((nodeName, i) => {
      const podName = kind === 'Pod' ? name : `${name}-${i}`;
      // Each pod gets its own copy, as from the API: nothing may rely on pods sharing spec objects.
      this.pod(podName, nodeName, {
        namespace,
        labels,
        owner: ref,
        spec: structuredClone(spec),
        phase: options.phase ?? 'Running',
      });
    });
    return this;
  }

  deployment(name: string, options: WorkloadOptions = {}): this {
    return this.workload('Deployment', name, options);
  }

  daemonSet(name: string, options: WorkloadOptions = {}): this {
    const on = options.on ?? this.nodes.map((n) => n.name);
    return this.workload('DaemonSet', name, { ...options, on });
  }

  /** A pod with no controller: its own top owner. */
  barePod(name: string, nodeName: string, options: Omit<WorkloadOptions, 'on' | 'replicas'> = {}): this {
    return this.workload('Pod', name, { ...options, on: [nodeName] });
  }

  pod(name: string, nodeName: string, overrides: Partial<PodFacts> = {}): this {
    const namespace = overrides.namespace ?? 'default';
    const owner = overrides.owner ?? { kind: 'Pod', namespace, name };
    this.pods.push({
      namespace,
      name,
      uid: `uid-${namespace}-${name}`,
      nodeName,
      phase: 'Running',
      ready: true,
      labels: {},
      owner,
      controllerKind: CONTROLLER_KIND[owner.kind],
      mirror: false,
      spec: template(),
      ...overrides,
    });
    return this;
  }

  pdb(name: string, options: PdbOptions = {}): this {
    const allowed = options.disruptionsAllowed ?? 1;
    this.pdbs.push({
      namespace: options.namespace ?? 'default',
      name,
      selector: { matchLabels: options.matchLabels ?? { app: name } },
      minAvailable: options.minAvailable,
      maxUnavailable: options.maxUnavailable ?? (options.minAvailable === undefined ? allowed : undefined),
      disruptionsAllowed: allowed,
      currentHealthy: options.currentHealthy ?? 3,
      desiredHealthy: options.desiredHealthy ?? 3 - allowed,
      expectedPods: options.expectedPods ?? 3,
    });
    return this;
  }

  build(): ClusterSnapshot {
    return { nodes: [...this.nodes], pods: [...this.pods], workloads: [...this.workloads], pdbs: [...this.pdbs] };
  }
}

export function snapshotBuilder(): SnapshotBuilder {
  return new SnapshotBuilder();
}

export function clusterFacts(overrides: Partial<ClusterFacts> = {}): ClusterFacts {
  return {
    id: 'c-demo',
    name: 'demo',
    region: 'cn-hangzhou',
    version: '1.22.15-aliyun.1',
    state: 'running',
    ...overrides,
  };
}

export function poolFacts(overrides: Partial<NodePoolFacts> = {}): NodePoolFacts {
  return {
    id: 'np-a',
    name: 'pool-a',
    runtime: 'docker',
    runtimeVersion: '19.03.15',
    nodeCount: 0,
    instanceTypes: ['ecs.g6.xlarge'],
    labels: {},
    ...overrides,
  };
}

export function ackCheckItem(overrides: Partial<AckCheckItem> = {}): AckCheckItem {
  return { name: 'NodePoolStatus', passed: true, level: 'warning', message: '', ...overrides };
}

/** A precheck input for a snapshot: a 1.22 cluster, Docker pool `pool-a`, no ACK findings, default parallelism. */
export function precheckInput(snapshot: ClusterSnapshot, overrides: Partial<PrecheckInput> = {}): PrecheckInput {
  return {
    cluster: clusterFacts(),
    pool: poolFacts({ nodeCount: snapshot.nodes.length }),
    snapshot,
    ackChecks: [],
    maxParallel: undefined,
    ...overrides,
  };
}

export interface ScaleOptions {
  nodes: number;
  podsPerNode: number;
  /** Seed of the deterministic generator. */
  seed?: number;
}

/**
 * A large, realistic pool: kube-proxy and a CNI DaemonSet on every node, Deployments of 2–10 replicas spread at
 * random over the nodes (half with a PDB allowing 1), 100 Deployments per namespace. Deterministic per seed.
 */
export function scaleSnapshot({ nodes, podsPerNode, seed = 1 }: ScaleOptions): ClusterSnapshot {
  const random = mulberry32(seed);
  const b = new SnapshotBuilder().nodeRange('node', nodes);
  const names = Array.from({ length: nodes }, (_, i) => `node-${i + 1}`);
  b.daemonSet('kube-proxy', {
    namespace: 'kube-system',
    template: hostPathTemplate(['/lib/modules', '/run/xtables.lock']),
  });
  b.daemonSet('cni', {
    namespace: 'kube-system',
    template: hostPathTemplate(['/etc/cni/net.d', '/opt/cni/bin', '/var/log', { path: '/proc', readOnly: true }]),
  });
  let left = nodes * (podsPerNode - 2);
  for (let d = 0; left > 0; d++) {
    const replicas = Math.min(left, 2 + Math.floor(random() * 9));
    left -= replicas;
    const on = Array.from({ length: replicas }, () => names[Math.floor(random() * nodes)]!);
    const namespace = `ns-${Math.floor(d / 100)}`;
    const name = `app-${d}`;
    b.deployment(name, { namespace, on });
    if (d % 2 === 0) b.pdb(name, { namespace, disruptionsAllowed: 1, expectedPods: replicas });
  }
  return b.build();
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
