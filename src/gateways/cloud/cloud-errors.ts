/**
 * Alibaba Cloud failures → AppError('CLOUD_API') that names the action, the service's code and what to do.
 * Secrets never reach the message: the caller passes them in and they are masked wherever they appear.
 */
import { AppError } from '../../errors.js';
import { maskSecrets } from '../../log/secret-mask.js';

export interface SdkError {
  code?: unknown;
  message?: unknown;
  data?: { statusCode?: unknown; Message?: unknown; message?: unknown; RequestId?: unknown; requestId?: unknown };
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Throttling, by any of the signs ACK and ECS give (docs/architecture.md#stop-the-line-and-resume). */
export function isThrottling(code: string, status: number | undefined, message = ''): boolean {
  return (
    code.startsWith('Throttling') ||
    code === 'Rejected.Throttling' ||
    status === 429 ||
    /QPS Limit Exceeded/i.test(message)
  );
}

/** Throttling and transient trouble: the same call may succeed later (whether it may be sent again is retry-policy.ts). */
export function isRetryableCode(code: string, status: number | undefined): boolean {
  return (
    isThrottling(code, status) ||
    code === 'ServiceUnavailable' ||
    code === 'InternalError' ||
    code === 'UnknownError' ||
    code === 'RequestTimeout' ||
    code === 'ReadTimeout' ||
    code === 'ConnectTimeout' ||
    code === 'BadResponse' ||
    (status !== undefined && status >= 500) ||
    CONNECTION_CODES.has(code)
  );
}

function hintFor(code: string, status: number | undefined, action: string, endpointVar: string): string | undefined {
  if (code === 'SignatureDoesNotMatch' || code === 'IncompleteSignature')
    return 'check ALIBABA_CLOUD_ACCESS_KEY_SECRET (it must belong to ALIBABA_CLOUD_ACCESS_KEY_ID)';
  if (code.startsWith('InvalidAccessKeyId')) return 'check ALIBABA_CLOUD_ACCESS_KEY_ID: the key is unknown or disabled';
  if (code.startsWith('InvalidSecurityToken'))
    return 'ALIBABA_CLOUD_SECURITY_TOKEN is invalid or expired: get a fresh STS token';
  if (code === 'InvalidCredentials') return 'set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET';
  if (code.startsWith('Forbidden') || code === 'NoPermission' || code.includes('NotAuthorized') || status === 403)
    return `grant the RAM user permission for ${action}`;
  if (isThrottling(code, status)) return 'the API is throttling these calls: try again in a minute';
  if (CONNECTION_CODES.has(code)) return `check ${endpointVar} and the network`;
  if (status === 404 || code.includes('NotFound') || code.includes('NotExist'))
    return 'check the cluster, node pool or instance id';
  if (status !== undefined && status >= 500) return 'the service failed: try again later';
  return undefined;
}

export interface CloudErrorContext {
  service: 'ACK' | 'ECS';
  action: string;
  endpointVar: string;
  secrets: readonly string[];
  attempts: number;
}

export function errorCode(error: unknown): { code: string; status: number | undefined } {
  const e = error as SdkError & { code?: unknown; cause?: { code?: unknown }; name?: unknown };
  const status = typeof e?.data?.statusCode === 'number' ? e.data.statusCode : undefined;
  let code = typeof e?.code === 'string' && e.code !== 'undefined' ? e.code : '';
  if (!code && typeof e?.cause?.code === 'string') code = e.cause.code;
  // httpx names its timeouts RequestTimeoutError; an error page that is not JSON fails the SDK's JSON.parse.
  if (!code && e?.name === 'RequestTimeoutError')
    code = String(e.message ?? '').includes('ConnectTimeout') ? 'ConnectTimeout' : 'ReadTimeout';
  if (!code && e?.name === 'SyntaxError') code = 'BadResponse';
  if (!code && status !== undefined) code = `HTTP${status}`;
  return { code: code || 'Unknown', status };
}

export function cloudApiError(error: unknown, ctx: CloudErrorContext): AppError {
  if (error instanceof AppError) return error;
  const { code, status } = errorCode(error);
  const e = error as SdkError;
  const serverMessage =
    typeof e?.data?.Message === 'string'
      ? e.data.Message
      : typeof e?.data?.message === 'string'
        ? e.data.message
        : CONNECTION_CODES.has(code)
          ? `cannot connect (${code})`
          : typeof e?.message === 'string'
            ? e.message
            : '';
  const requestId = e?.data?.RequestId ?? e?.data?.requestId;
  const retryable = isRetryableCode(code, status);
  const tries = ctx.attempts > 1 ? ` after ${ctx.attempts} attempts` : '';
  const message = maskSecrets(
    `${ctx.service} ${ctx.action} failed${tries}: ${code}${status ? ` (HTTP ${status})` : ''}${serverMessage ? ` ${serverMessage}` : ''}`,
    ctx.secrets,
  );
  const hint = hintFor(code, status, ctx.action, ctx.endpointVar);
  return new AppError('CLOUD_API', message, {
    retryable,
    ...(hint ? { hint } : {}),
    details: {
      service: ctx.service,
      action: ctx.action,
      code,
      ...(status ? { status } : {}),
      ...(typeof requestId === 'string' ? { requestId } : {}),
    },
  });
}
