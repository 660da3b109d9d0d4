/**
 * What the precheck and the planner see of a cluster: plain data, produced by the ClusterGateway (Kubernetes)
 * and the CloudGateway (ACK/ECS), trimmed to the fields the rules need so 150,000 pods fit in memory.
 */

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob' | 'ReplicaSet' | 'Pod';

export interface ObjectRef {
  kind: WorkloadKind | 'PodDisruptionBudget' | 'Node' | 'NodePool' | 'Cluster';
  namespace?: string;
  name: string;
}

export interface WorkloadRef {
  kind: WorkloadKind;
  namespace: string;
  name: string;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly: boolean;
}

export interface ContainerSpec {
  name: string;
  image: string;
  command: string[];
  args: string[];
  volumeMounts: VolumeMount[];
  env: Array<{ name: string; value?: string }>;
  privileged: boolean;
}

export interface VolumeSpec {
  name: string;
  hostPath?: { path: string; type?: string };
  emptyDir?: boolean;
}

/** A pod spec as found in a pod or in a workload's template (Deployment, CronJob's jobTemplate, …). */
export interface PodTemplate {
  containers: ContainerSpec[];
  initContainers: ContainerSpec[];
  ephemeralContainers: ContainerSpec[];
  volumes: VolumeSpec[];
  nodeSelector: Record<string, string>;
  tolerations: Array<{ key?: string; operator?: string; value?: string; effect?: string }>;
}

export interface NodeFacts {
  name: string;
  /** ACK label alibabacloud.com/nodepool-id */
  poolId: string | undefined;
  /** From spec.providerID `<region>.<instance-id>` */
  instanceId: string | undefined;
  internalIp: string | undefined;
  ready: boolean;
  unschedulable: boolean;
  /** status.nodeInfo.containerRuntimeVersion, e.g. `docker://19.3.15`, `containerd://1.6.28` */
  runtimeVersion: string;
  labels: Record<string, string>;
}

export interface PodFacts {
  namespace: string;
  name: string;
  uid: string;
  nodeName: string | undefined;
  phase: string;
  ready: boolean;
  labels: Record<string, string>;
  /** The top owner (Pod → ReplicaSet → Deployment, Job → CronJob, …); a pod with no controller is its own owner (kind Pod). */
  owner: WorkloadRef;
  /** ownerReferences with controller: true, kind only (ReplicaSet, DaemonSet, Node for mirror pods, …). */
  controllerKind: string | undefined;
  /** Mirror (static) pods carry the kubernetes.io/config.mirror annotation and cannot be evicted. */
  mirror: boolean;
  spec: PodTemplate;
}

export interface WorkloadFacts {
  ref: WorkloadRef;
  /** spec.replicas for Deployments and StatefulSets; undefined for DaemonSets, Jobs, CronJobs. */
  replicas: number | undefined;
  readyReplicas: number | undefined;
  selector: LabelSelector;
  template: PodTemplate;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}

export interface PdbFacts {
  namespace: string;
  name: string;
  selector: LabelSelector;
  minAvailable: number | string | undefined;
  maxUnavailable: number | string | undefined;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
}

/** Everything that runs on one pool's nodes, plus the controllers and PDBs that reach them. */
export interface ClusterSnapshot {
  /** The pool's nodes only. */
  nodes: NodeFacts[];
  /** Pods bound to the pool's nodes. */
  pods: PodFacts[];
  /** Top-level workloads that own pods on the pool, and Jobs/CronJobs whose templates could land there. */
  workloads: WorkloadFacts[];
  /** PDBs in namespaces that have pods on the pool. */
  pdbs: PdbFacts[];
}

export interface ClusterFacts {
  id: string;
  name: string;
  region: string;
  /** e.g. `1.22.15-aliyun.1` */
  version: string;
  state: string;
}

export interface NodePoolFacts {
  id: string;
  name: string;
  /** `docker` or `containerd` */
  runtime: string;
  runtimeVersion: string;
  nodeCount: number;
  instanceTypes: string[];
  labels: Record<string, string>;
}

export interface InstanceFacts {
  instanceId: string;
  nodeName: string | undefined;
  status: string;
  privateIp: string | undefined;
  mac: string | undefined;
  systemDiskId: string | undefined;
}

/** An item of ACK's own NodePoolUpgrade cluster check (RunClusterCheck / GetClusterCheck). */
export interface AckCheckItem {
  name: string;
  passed: boolean;
  level: 'blocker' | 'warning' | 'info';
  message: string;
  target?: string;
}
