/**
 * ACK (CS, ROA 2015-12-15) and ECS (RPC 2014-05-26), as the domain and jobs need them. The implementation lives
 * in src/gateways/cloud/ (the one folder allowed to import @alicloud/*). Every failure is an AppError('CLOUD_API')
 * that names the action and the service's code; throttling and 5xx are retried inside the gateway first.
 */
import type { AckCheckItem, ClusterFacts, InstanceFacts, NodePoolFacts } from '../domain/cluster/snapshot.js';

export interface PoolNode {
  nodeName: string;
  instanceId: string;
  privateIp: string | undefined;
  state: string;
}

export interface UpgradeRequest {
  nodeNames: string[];
  runtimeType: 'containerd';
  /** From containerdVersion(): ACK re-initialises the nodes from this request (use_replace). */
  runtimeVersion: string | undefined;
  /** The cluster's current_version (the kubelet stays where it is). */
  kubernetesVersion?: string;
  useReplace: true;
  maxParallelism: number;
}

export type TaskState = 'running' | 'paused' | 'success' | 'failed' | 'canceled';

export interface TaskFacts {
  taskId: string;
  state: TaskState;
  /**
   * Per resource, what ACK reports (`task_result`): the instance id, joined to a node by the caller through its
   * before-state when `nodeName` is empty.
   */
  nodes: Array<{
    nodeName: string;
    instanceId?: string;
    step: string;
    state: 'pending' | 'running' | 'success' | 'failed';
    message?: string;
  }>;
  error: { code: string; message: string } | undefined;
}

export interface NewPoolSpec {
  name: string;
  runtime: 'containerd';
  runtimeVersion: string | undefined;
  /** Cloned from the old pool: instance types, vswitches, labels, taints … as the gateway reads them. */
  cloneOf: string;
  desiredSize: number;
}

export interface InvocationResult {
  instanceId: string;
  status: 'running' | 'success' | 'failed';
  output: string;
  exitCode: number | undefined;
}

/** The containerd ACK installs with the cluster's Kubernetes version (DescribeKubernetesVersionMetadata). */
export interface RuntimeTarget {
  kubernetesVersion: string;
  runtimeVersion: string;
}

export interface CloudGateway {
  describeCluster(clusterId: string): Promise<ClusterFacts>;
  containerdVersion(clusterId: string): Promise<RuntimeTarget>;
  listNodePools(clusterId: string): Promise<NodePoolFacts[]>;
  listPoolNodes(clusterId: string, poolId: string): Promise<PoolNode[]>;
  /** DescribeInstances in pages of 100, and DescribeDisks per instance (its InstanceId filter) for the system disk. */
  describeInstances(instanceIds: string[]): Promise<InstanceFacts[]>;
  /** ACK's own NodePoolUpgrade check: RunClusterCheck, then GetClusterCheck until it ends. */
  runUpgradeCheck(clusterId: string, poolId: string): Promise<AckCheckItem[]>;
  upgradeNodePool(clusterId: string, poolId: string, request: UpgradeRequest): Promise<{ taskId: string }>;
  describeTask(taskId: string): Promise<TaskFacts>;
  pauseTask(taskId: string): Promise<void>;
  resumeTask(taskId: string): Promise<void>;
  cancelTask(taskId: string): Promise<void>;
  createSnapshot(diskId: string, name: string): Promise<{ snapshotId: string }>;
  describeSnapshots(snapshotIds: string[]): Promise<Array<{ snapshotId: string; status: string; progress: number }>>;
  /** Creates the pool with spec.desiredSize nodes and follows its task to the end. */
  createNodePool(clusterId: string, spec: NewPoolSpec): Promise<{ poolId: string }>;
  /** `count` is the pool's target size (scaling_group.desired_size), not an increment; waits for the task. */
  scaleNodePool(clusterId: string, poolId: string, count: number): Promise<void>;
  /** Waits until the pool is idle, removes the nodes and waits for that task. */
  removeNodePoolNodes(clusterId: string, poolId: string, nodeNames: string[]): Promise<void>;
  /** Waits until the pool is idle, deletes it and waits for that task; a gone pool is not deleted twice. */
  deleteNodePool(clusterId: string, poolId: string): Promise<void>;
  runCommand(instanceIds: string[], script: string): Promise<{ invokeId: string }>;
  describeInvocationResults(invokeId: string): Promise<InvocationResult[]>;
}
