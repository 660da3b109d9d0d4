/**
 * The errors the fakes throw, shaped as the real gateways shape them: ACK/ECS failures go through the real
 * mapping (src/gateways/cloud/cloud-errors.ts: AppError('CLOUD_API') naming the action, the service's code and the
 * HTTP status), Kubernetes failures as src/gateways/cluster/cluster-errors.ts httpError builds them (not imported:
 * that module loads @kubernetes/client-node, half a second the unit tier does not need).
 */
import { AppError } from '../../../src/errors.js';
import { cloudApiError } from '../../../src/gateways/cloud/cloud-errors.js';

/** An ACK (CS, ROA) or ECS (RPC) error response, as the real gateway reports it after `attempts` tries. */
export function cloudError(
  service: 'ACK' | 'ECS',
  action: string,
  status: number,
  code: string,
  message: string,
  attempts = 1,
): AppError {
  return cloudApiError(
    { code, message, data: { statusCode: status, Message: message } },
    {
      service,
      action,
      endpointVar: service === 'ACK' ? 'ALIBABA_CLOUD_CS_ENDPOINT' : 'ALIBABA_CLOUD_ECS_ENDPOINT',
      secrets: [],
      attempts,
    },
  );
}

/** What the real cloud gateway throws once its retries of a throttled call ran out (5 attempts by default). */
export function cloudThrottled(service: 'ACK' | 'ECS', action: string): AppError {
  return cloudError(service, action, 400, 'Throttling.User', 'Request was denied due to user flow control.', 5);
}

/** A Kubernetes API error response, as KubeClusterGateway reports it. */
export function clusterError(call: string, status: number, message: string, reason?: string): AppError {
  return new AppError('CLUSTER_API', `Kubernetes ${call} failed: HTTP ${status}${message ? ` ${message}` : ''}`, {
    retryable: status === 429 || status >= 500 || status === 410,
    details: { call, status, reason },
  });
}
