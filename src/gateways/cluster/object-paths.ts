/** The path of one named object of each kind the gateway reads or changes (CronJob in its served version). */
import type { WorkloadRef } from '../../domain/cluster/snapshot.js';
import type { ServedApis } from './api-discovery.js';

export const enc = encodeURIComponent;

type PathOf = (ns: string, name: string) => string;

export const WORKLOAD_PATH: Record<Exclude<WorkloadRef['kind'], 'CronJob'>, PathOf> = {
  Deployment: (ns, n) => `/apis/apps/v1/namespaces/${enc(ns)}/deployments/${enc(n)}`,
  StatefulSet: (ns, n) => `/apis/apps/v1/namespaces/${enc(ns)}/statefulsets/${enc(n)}`,
  ReplicaSet: (ns, n) => `/apis/apps/v1/namespaces/${enc(ns)}/replicasets/${enc(n)}`,
  DaemonSet: (ns, n) => `/apis/apps/v1/namespaces/${enc(ns)}/daemonsets/${enc(n)}`,
  Job: (ns, n) => `/apis/batch/v1/namespaces/${enc(ns)}/jobs/${enc(n)}`,
  Pod: (ns, n) => `/api/v1/namespaces/${enc(ns)}/pods/${enc(n)}`,
};

/** A CronJob's path needs the discovered batch version; every other kind is the same on every version. */
export function workloadPath(apis: ServedApis | undefined, kind: WorkloadRef['kind']): PathOf {
  if (kind !== 'CronJob') return WORKLOAD_PATH[kind];
  const version = apis?.cronJobVersion ?? 'v1';
  return (ns, n) => `/apis/batch/${version}/namespaces/${enc(ns)}/cronjobs/${enc(n)}`;
}
