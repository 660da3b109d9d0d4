/**
 * The few fields of Kubernetes objects that the gateway reads, as they arrive on the wire (JSON). Both the raw
 * list path and client-node's typed objects fit these shapes, so one set of trimmers serves both.
 */

export interface RawOwnerReference {
  kind?: string;
  name?: string;
  controller?: boolean;
}

export interface RawMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: RawOwnerReference[];
  deletionTimestamp?: unknown;
}

export interface RawContainer {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  volumeMounts?: Array<{ name?: string; mountPath?: string; readOnly?: boolean }>;
  env?: Array<{ name?: string; value?: string }>;
  securityContext?: { privileged?: boolean };
}

export interface RawVolume {
  name?: string;
  hostPath?: { path?: string; type?: string };
  emptyDir?: unknown;
}

export interface RawPodSpec {
  nodeName?: string;
  containers?: RawContainer[];
  initContainers?: RawContainer[];
  ephemeralContainers?: RawContainer[];
  volumes?: RawVolume[];
  nodeSelector?: Record<string, string>;
  tolerations?: Array<{ key?: string; operator?: string; value?: string; effect?: string }>;
}

export interface RawCondition {
  type?: string;
  status?: string;
}

export interface RawPod {
  metadata?: RawMeta;
  spec?: RawPodSpec;
  status?: { phase?: string; conditions?: RawCondition[] };
}

export interface RawNode {
  metadata?: RawMeta;
  spec?: { providerID?: string; unschedulable?: boolean };
  status?: {
    addresses?: Array<{ type?: string; address?: string }>;
    conditions?: RawCondition[];
    nodeInfo?: { containerRuntimeVersion?: string };
  };
}

export interface RawSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key?: string; operator?: string; values?: string[] }>;
}

export interface RawTemplate {
  spec?: RawPodSpec;
}

/** Deployment, StatefulSet, ReplicaSet, DaemonSet, Job and CronJob share what we read of them. */
export interface RawWorkload {
  metadata?: RawMeta;
  spec?: {
    replicas?: number;
    parallelism?: number;
    selector?: RawSelector;
    template?: RawTemplate;
    jobTemplate?: { spec?: { selector?: RawSelector; template?: RawTemplate } };
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    desiredNumberScheduled?: number;
    numberReady?: number;
    active?: number;
    ready?: number;
    succeeded?: number;
  };
}

export interface RawPdb {
  metadata?: RawMeta;
  spec?: { selector?: RawSelector; minAvailable?: number | string; maxUnavailable?: number | string };
  status?: { disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; expectedPods?: number };
}

export interface RawList<T> {
  metadata?: { continue?: string; resourceVersion?: string };
  items?: T[];
}

/** The apiserver's error body. */
export interface RawStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: Array<{ reason?: string; message?: string; field?: string }> };
}
