/** The CS (ACK, ROA 2015-12-15) operations the sandbox serves, with their ROA paths as ACK defines them. */
import {
  describeClusterDetail,
  describeClustersV1,
  describeKubernetesVersionMetadata,
  getClusterCheck,
  listClusterChecks,
  runClusterCheck,
} from './cs-cluster.js';
import { describeClusterUserKubeconfig } from './cs-kubeconfig.js';
import { describeClusterNodes, describeNodePoolDetail, describeNodePools } from './cs-pools.js';
import {
  cancelTask,
  createClusterNodePool,
  deleteClusterNodepool,
  describeClusterTasks,
  describeTaskInfo,
  pauseTask,
  removeNodePoolNodes,
  resumeTask,
  scaleClusterNodePool,
  upgradeClusterNodepool,
} from './cs-tasks.js';
import { type RoaRoute, route } from './roa.js';

export const CS_VERSION = '2015-12-15';

export const CS_ROUTES: readonly RoaRoute[] = [
  route('GET', '/api/v1/clusters', 'DescribeClustersV1', describeClustersV1),
  route('GET', '/api/v1/metadata/versions', 'DescribeKubernetesVersionMetadata', describeKubernetesVersionMetadata),
  route('GET', '/clusters/{ClusterId}', 'DescribeClusterDetail', describeClusterDetail),
  route('GET', '/clusters/{ClusterId}/nodepools', 'DescribeClusterNodePools', describeNodePools),
  route('POST', '/clusters/{ClusterId}/nodepools', 'CreateClusterNodePool', createClusterNodePool),
  route('GET', '/clusters/{ClusterId}/nodepools/{NodepoolId}', 'DescribeClusterNodePoolDetail', describeNodePoolDetail),
  route('POST', '/clusters/{ClusterId}/nodepools/{NodepoolId}', 'ScaleClusterNodePool', scaleClusterNodePool),
  route('DELETE', '/clusters/{ClusterId}/nodepools/{NodepoolId}', 'DeleteClusterNodepool', deleteClusterNodepool),
  route(
    'POST',
    '/clusters/{ClusterId}/nodepools/{NodepoolId}/upgrade',
    'UpgradeClusterNodepool',
    upgradeClusterNodepool,
  ),
  route('DELETE', '/clusters/{ClusterId}/nodepools/{NodepoolId}/nodes', 'RemoveNodePoolNodes', removeNodePoolNodes),
  route('GET', '/clusters/{ClusterId}/nodes', 'DescribeClusterNodes', describeClusterNodes),
  route('GET', '/k8s/{ClusterId}/user_config', 'DescribeClusterUserKubeconfig', describeClusterUserKubeconfig),
  route('POST', '/clusters/{cluster_id}/checks', 'RunClusterCheck', runClusterCheck),
  route('GET', '/clusters/{cluster_id}/checks', 'ListClusterChecks', listClusterChecks),
  route('GET', '/clusters/{cluster_id}/checks/{check_id}', 'GetClusterCheck', getClusterCheck),
  route('GET', '/clusters/{cluster_id}/tasks', 'DescribeClusterTasks', describeClusterTasks),
  route('GET', '/tasks/{task_id}', 'DescribeTaskInfo', describeTaskInfo),
  route('POST', '/tasks/{task_id}/pause', 'PauseTask', pauseTask),
  route('POST', '/tasks/{task_id}/resume', 'ResumeTask', resumeTask),
  route('POST', '/tasks/{task_id}/cancel', 'CancelTask', cancelTask),
];
