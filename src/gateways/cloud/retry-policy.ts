/**
 * Which failed call is tried again, by kind of call (docs/architecture.md#stop-the-line-and-resume):
 * - throttling (`Throttling*`, `Rejected.Throttling`, HTTP 429, "QPS Limit Exceeded"): the request was refused before
 *   it did anything, so every kind is tried again, after a longer pause with jitter;
 * - a connection that never reached the service (refused, DNS, connect timeout): every kind again;
 * - 5xx, a non-JSON error page, a read timeout, a reset connection: reads and idempotent writes again; a write that
 *   is not idempotent is not, since it may have been done: the caller reads state and decides.
 */
import { errorCode, isThrottling } from './cloud-errors.js';

/** `read`: no effect. `idempotent`: the same request twice does it once (a ClientToken, a task control). */
export type CallKind = 'read' | 'idempotent' | 'write';

export type FailureKind = 'throttled' | 'unreached' | 'server' | 'final';

export interface RetryPolicy {
  /** Total attempts for 5xx and connection failures, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Total attempts while throttled. */
  throttleAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 400, maxDelayMs: 8_000, throttleAttempts: 8 };

/** Throttling pauses are this many times the 5xx ones. */
const THROTTLE_FACTOR = 2.5;

const UNREACHED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ConnectTimeout']);
const SERVER = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ReadTimeout', 'BadResponse', 'ServiceUnavailable']);
const SERVER_CODES = new Set(['InternalError', 'UnknownError', 'RequestTimeout', 'ServiceUnavailable']);

/** What went wrong, as far as retrying is concerned. */
export function failureKind(error: unknown): FailureKind {
  const { code, status } = errorCode(error);
  const e = error as { message?: unknown; data?: { Message?: unknown; message?: unknown } };
  const text = `${String(e?.message ?? '')} ${String(e?.data?.Message ?? e?.data?.message ?? '')}`;
  if (isThrottling(code, status, text)) return 'throttled';
  // An expired token is refused before anything is done; a renewing credential signs the next attempt afresh.
  if (UNREACHED.has(code) || code === 'InvalidSecurityToken.Expired') return 'unreached';
  if (SERVER.has(code) || SERVER_CODES.has(code) || (status !== undefined && status >= 500)) return 'server';
  return 'final';
}

/** Whether attempt number `attempt` (1-based) that failed so may be followed by another. */
export function mayRetry(kind: CallKind, failure: FailureKind, attempt: number, policy: RetryPolicy): boolean {
  if (failure === 'final') return false;
  if (failure === 'throttled') return attempt < policy.throttleAttempts;
  if (failure === 'server' && kind === 'write') return false;
  return attempt < policy.attempts;
}

/**
 * The pause before the next attempt: exponential, capped, with jitter (half to all of it); longer when throttled;
 * never shorter than a `Retry-After` the service sent.
 */
export function backoffMs(
  failure: FailureKind,
  attempt: number,
  policy: RetryPolicy,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const factor = failure === 'throttled' ? THROTTLE_FACTOR : 1;
  const ceiling = Math.min(policy.maxDelayMs * factor, policy.baseDelayMs * factor * 2 ** (attempt - 1));
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** `x-acs-retry-after` (ms) or `Retry-After` (s) from an error's headers, where the client exposes them. */
export function retryAfterMs(error: unknown): number | undefined {
  const headers =
    (error as { data?: { headers?: Record<string, unknown> }; headers?: Record<string, unknown> })?.data?.headers ??
    (error as { headers?: Record<string, unknown> })?.headers;
  if (!headers) return undefined;
  const acs = Number(headers['x-acs-retry-after']);
  if (Number.isFinite(acs) && acs > 0) return acs;
  const plain = Number(headers['retry-after']);
  return Number.isFinite(plain) && plain > 0 ? plain * 1000 : undefined;
}
