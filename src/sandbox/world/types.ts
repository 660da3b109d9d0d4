/**
 * The records the world keeps. Pods are stored compactly (a pod of a controller shares its template and labels
 * with its siblings) so 150,000 of them fit in modest memory; their Kubernetes JSON is built only when asked.
 */
import type { KubeObject, Runtime } from '../scenario/types.js';
import type { Requirement } from './labels.js';

export type InstanceStatus = 'Pending' | 'Running' | 'Stopping' | 'Stopped' | 'Starting';

export interface PoolRecord {
  id: string;
  name: string;
  runtime: Runtime;
  runtimeVersion: string;
  instanceType: string;
  labels: Record<string, string>;
  environment: string | undefined;
}

export interface InstanceRecord {
  instanceId: string;
  nodeName: string;
  poolId: string;
  status: InstanceStatus;
  privateIp: string;
  mac: string;
  systemDiskId: string;
  dataDiskIds: string[];
  instanceType: string;
  zoneId: string;
  region: string;
  /** Simulated epoch ms. */
  createdAt: number;
}

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface NodeRecord {
  name: string;
  uid: string;
  poolId: string;
  instanceId: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Taints set through the API (the not-ready/unschedulable taints are derived when serialised). */
  taints: Taint[];
  unschedulable: boolean;
  ready: boolean;
  runtime: Runtime;
  runtimeVersion: string;
  internalIp: string;
  /** Index of the node's /24 pod range (pod IPs 10.128.0.0/9). */
  podRange: number;
  nextPodIp: number;
  createdAt: number;
  /** Simulated ms of the last Ready transition (the condition's lastTransitionTime). */
  readySince: number;
  resourceVersion: number;
}

export type GroupKind = 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job';

/** A controller that owns pods directly. A Deployment's pods belong to its ReplicaSet's group. */
export interface PodGroup {
  kind: GroupKind;
  namespace: string;
  name: string;
  uid: string;
  /** The stored controller object (ReplicaSet, StatefulSet, DaemonSet or Job). */
  object: KubeObject;
  /** The Deployment that owns a ReplicaSet, if any. */
  owner: KubeObject | undefined;
  /** Labels every pod of the group carries (template labels + pod-template-hash / controller-revision-hash). */
  podLabels: Record<string, string>;
  /** template.spec as written in the manifest (shared by every pod, never mutated). */
  podSpec: Record<string, unknown>;
  /** JSON of the defaulted pod spec without its opening brace, built on first use for fast serialisation. */
  specJsonTail: string | undefined;
  nodeSelector: Requirement[];
  tolerations: Toleration[];
  /** Pods that exist (including those still starting). */
  pods: Set<PodRecord>;
  /** Pod creations scheduled but not yet done (a recreate waits a couple of simulated seconds). */
  pendingCreates: number;
  /** DaemonSet: pod per node, and nodes whose pod creation is scheduled. */
  byNode: Map<string, PodRecord>;
  pendingNodes: Set<string>;
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export interface PodRecord {
  key: string;
  namespace: string;
  name: string;
  uid: string;
  group: PodGroup | undefined;
  /** The manifest of a pod with no controller. */
  bare: KubeObject | undefined;
  labels: Record<string, string>;
  nodeName: string | undefined;
  phase: PodPhase;
  /** Containers started and passing readiness (the node must be Ready too for the pod to be Ready). */
  containersReady: boolean;
  createdAt: number;
  startedAt: number | undefined;
  readySince: number | undefined;
  deletionTimestamp: number | undefined;
  ip: string | undefined;
  resourceVersion: number;
}

export interface PdbRecord {
  object: KubeObject;
  namespace: string;
  name: string;
  selector: Requirement[];
  /** Pods approved for eviction but not yet observed gone: name → simulated ms. */
  disruptedPods: Map<string, number>;
  /** Groups whose pod labels match the selector, valid while the world's group set is unchanged. */
  matchCache: { version: number; groups: PodGroup[] } | undefined;
}

export interface PdbStatus {
  currentHealthy: number;
  desiredHealthy: number;
  disruptionsAllowed: number;
  expectedPods: number;
}

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * A change, with the fields selectors look at as they were before it (when they changed), so a filtered watch
 * can turn "now matches" into ADDED and "no longer matches" into DELETED, as the API server does.
 */
export type WorldChange =
  | {
      type: ChangeType;
      kind: 'Node';
      resourceVersion: number;
      node: NodeRecord;
      previous?: Pick<NodeRecord, 'labels' | 'unschedulable'>;
    }
  | {
      type: ChangeType;
      kind: 'Pod';
      resourceVersion: number;
      pod: PodRecord;
      previous?: Pick<PodRecord, 'nodeName' | 'phase'>;
    };

export type EvictionResult =
  | { code: 201; message: string }
  | { code: 404; message: string }
  | { code: 400; message: string }
  | { code: 429; message: string; pdb: string; cause: string }
  | { code: 500; message: string };
