/** Every Kubernetes failure becomes one AppError('CLUSTER_API') that names the call and the status. */
import { ApiException } from '@kubernetes/client-node';
import { AppError } from '../../errors.js';
import type { RawStatus } from './raw-types.js';

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);

export function parseStatus(body: unknown): RawStatus | undefined {
  if (typeof body === 'object' && body !== null) return body as RawStatus;
  if (typeof body !== 'string' || body === '') return undefined;
  try {
    const parsed = JSON.parse(body) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as RawStatus) : undefined;
  } catch {
    return undefined;
  }
}

/** The HTTP status of a failed call, whichever layer threw it; undefined for transport errors. */
export function httpStatusOf(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  if (error instanceof AppError && typeof error.details.status === 'number') return error.details.status;
  const code = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

function connectionCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function httpError(call: string, status: number, body: unknown): AppError {
  const s = parseStatus(body);
  const detail = s?.message ?? (typeof body === 'string' && body.length < 200 ? body : '');
  const hint =
    status === 401
      ? 'check the credentials in KUBECONFIG'
      : status === 403
        ? 'the KUBECONFIG user lacks RBAC permission for this call'
        : undefined;
  return new AppError('CLUSTER_API', `Kubernetes ${call} failed: HTTP ${status}${detail ? ` ${detail}` : ''}`, {
    retryable: status === 429 || status >= 500 || status === 410,
    details: { call, status, reason: s?.reason },
    ...(hint ? { hint } : {}),
  });
}

/** Wraps anything a Kubernetes call threw. */
export function clusterApiError(call: string, error: unknown, server?: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ApiException) return httpError(call, error.code, error.body);
  const status = httpStatusOf(error);
  if (status !== undefined) return httpError(call, status, undefined);
  const code = connectionCode(error);
  if (code) {
    return new AppError(
      'CLUSTER_API',
      `Kubernetes ${call} failed: cannot reach the API server${server ? ` at ${server}` : ''} (${code})`,
      {
        cause: error,
        retryable: true,
        hint: 'check KUBECONFIG and that the API server is reachable',
        details: { call, code },
      },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('CLUSTER_API', `Kubernetes ${call} failed: ${message}`, { cause: error, details: { call } });
}
