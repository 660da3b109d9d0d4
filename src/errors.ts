/**
 * The one error type of ack-migrate. Every boundary (CLI, chat adapters, jobs) turns whatever it caught into
 * an AppError with `asAppError`, so users see a stable code and a one-line message, and the job runner can
 * decide on retries from `retryable` alone.
 */
export const ERROR_CODES = [
  'BAD_INPUT', // malformed command, flag or argument
  'CONFIG', // missing or invalid configuration
  'NOT_FOUND', // unknown pool, cluster, migration …
  'CONFLICT', // a migration already runs for the pool, a stale state transition …
  'FORBIDDEN', // not an approver, wrong channel, self-approval
  'STALE', // a button or nonce that was already used or expired
  'NOT_AVAILABLE', // a capability that this build does not offer (yet)
  'CLUSTER_API', // Kubernetes API failure
  'CLOUD_API', // ACK / ECS OpenAPI failure
  'CHAT_API', // Slack / DingTalk API failure
  'TIMEOUT', // a wait ran past its limit
  'STEP_FAILED', // a migration step failed (node not Ready, verification mismatch, …)
  'REDIS_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorOptions {
  cause?: unknown;
  /** What the user can do about it, shown after the message. */
  hint?: string;
  /** Whether trying the same call again later may succeed (throttling, 5xx, timeouts). */
  retryable?: boolean;
  /** Structured facts for logs (never secrets). */
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.hint = options.hint;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
  }

  /** One line for chat and terminals: the message, then the hint. */
  toLine(): string {
    return this.hint ? `${this.message} (${this.hint})` : this.message;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError || (value instanceof Error && value.name === 'AppError' && 'code' in value);
}

export function asAppError(value: unknown): AppError {
  if (isAppError(value)) return value;
  if (value instanceof Error) return new AppError('INTERNAL', value.message, { cause: value });
  return new AppError('INTERNAL', String(value));
}
