/**
 * The Kubernetes side, as the domain and jobs need it. The only implementation that talks to a cluster lives in
 * src/gateways/cluster/ (the one folder allowed to import @kubernetes/client-node).
 */
import type { ClusterSnapshot, NodeFacts, PodFacts, WorkloadRef } from '../domain/cluster/snapshot.js';

export type EvictionOutcome =
  | { status: 'evicted' }
  | { status: 'gone' } // 404: already deleted
  | { status: 'blocked'; reason: string; pdb?: string } // 429: a PDB allows no disruption now
  | { status: 'misconfigured'; reason: string }; // 500: more than one PDB selects the pod

export interface NodeWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  node: NodeFacts;
}

export interface WorkloadStatus {
  ref: WorkloadRef;
  desired: number;
  ready: number;
}

export interface ClusterGateway {
  /**
   * The pool's nodes (label alibabacloud.com/nodepool-id = poolId) and everything on them: the pods of each node
   * by field selector, controllers and PDBs in paginated lists (limit 500), in the versions the cluster serves.
   * Never one call per pod, never a read of every pod of the cluster.
   */
  snapshotPool(poolId: string): Promise<ClusterSnapshot>;
  listPoolNodes(poolId: string): Promise<NodeFacts[]>;
  getNode(name: string): Promise<NodeFacts | undefined>;
  /** Sets spec.unschedulable (cordon = true, uncordon = false). Idempotent. */
  setUnschedulable(name: string, unschedulable: boolean): Promise<void>;
  listPodsOnNode(name: string): Promise<PodFacts[]>;
  /** Eviction in the version the cluster takes (policy/v1 from 1.22, policy/v1beta1 before); maps 429/500/404. */
  evictPod(namespace: string, name: string): Promise<EvictionOutcome>;
  /** Deletes a pod outright (bare pods with force). */
  deletePod(namespace: string, name: string): Promise<void>;
  /** True while a pod with that uid still exists (a recreated pod of the same name has another uid). */
  podExists(namespace: string, name: string, uid: string): Promise<boolean>;
  /** Streams node changes of a pool until the returned function is called. */
  watchPoolNodes(poolId: string, onEvent: (event: NodeWatchEvent) => void): Promise<() => void>;
  /** Desired vs ready replicas, to verify that workloads came back after a batch. */
  workloadStatus(refs: WorkloadRef[]): Promise<WorkloadStatus[]>;
}
