/**
 * DescribeClusterUserKubeconfig (`GET /k8s/{ClusterId}/user_config`): a kubeconfig for the cluster's Kubernetes API
 * with a temporary token. `TemporaryDurationMinutes` is 15 to 4320; without it ACK picks a longer validity (the
 * certificate's three years). `expiration` is RFC 3339 UTC; the Kubernetes API refuses the token after it (401).
 */
import { randomBytes } from 'node:crypto';
import { kubeconfigYaml } from '../k8s/index.js';
import type { CloudState } from './cloud-state.js';
import { mustCluster } from './cs-pools.js';
import { badParam, type RoaRequest } from './roa.js';
import { ApiError } from './wire.js';

const DEFAULT_MINUTES = 3 * 365 * 24 * 60;

export function describeClusterUserKubeconfig(state: CloudState, request: RoaRequest) {
  const clusterId = request.path['ClusterId'];
  mustCluster(state, clusterId);
  const privateIp = request.query['PrivateIpAddress'];
  if (privateIp !== undefined && privateIp !== '' && privateIp !== 'true' && privateIp !== 'false')
    throw badParam('PrivateIpAddress must be true or false');
  const rawMinutes = request.query['TemporaryDurationMinutes'];
  let minutes = DEFAULT_MINUTES;
  if (rawMinutes !== undefined && rawMinutes !== '') {
    minutes = Number(rawMinutes);
    if (!/^\d+$/.test(rawMinutes) || minutes < 15 || minutes > 4320)
      throw badParam(
        `TemporaryDurationMinutes must be a whole number from 15 to 4320 (got ${rawMinutes.slice(0, 20)})`,
      );
  }
  if (!state.k8sUrl) throw new ApiError(503, 'ServiceUnavailable', 'the cluster API server is not reachable');
  const token = `kubeconfig-${randomBytes(24).toString('base64url')}`;
  const expiresAt = Date.now() + minutes * 60_000;
  state.kubeTokens.set(token, expiresAt);
  return {
    config: kubeconfigYaml(state.k8sUrl, { cluster: state.world.cluster.id, token }),
    expiration: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}
