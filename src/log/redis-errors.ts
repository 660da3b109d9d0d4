/**
 * Redis connection errors in words, for every ioredis client of a process (the stores and each BullMQ queue and
 * worker; docs/architecture.md#secrets). ioredis keeps a failed command's arguments on its errors (AUTH's are the
 * password) and prints errors nobody listens to; so each client gets a listener that hands the error here, and
 * only a line built from the error's code and message is logged, never the error object. Repeats of the same
 * line (every client, every reconnect) are logged once, then at most once per interval with a count.
 */
import type { Logger } from './logger.js';
import { maskSecrets } from './secret-mask.js';

/** host:port of a Redis URL, never its user or password. */
export function redisEndpoint(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return 'REDIS_URL';
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET']);

/** One line about a Redis error: what it means for the operator, without anything from the command it failed. */
export function describeRedisError(error: unknown, endpoint: string): string {
  const e = error as { message?: unknown; code?: unknown } | undefined;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const code = typeof e?.code === 'string' ? e.code : (/^([A-Z]{4,})\b/.exec(message)?.[1] ?? '');
  if (code === 'WRONGPASS' || /invalid password|invalid username-password/i.test(message))
    return `Redis at ${endpoint} refused the password (WRONGPASS): check the password in REDIS_URL`;
  if (code === 'NOAUTH') return `Redis at ${endpoint} requires a password (NOAUTH): put it in REDIS_URL`;
  if (code === 'NOPERM') return `Redis at ${endpoint} refused a command to this user (NOPERM): check its ACL`;
  if (UNREACHABLE.has(code)) return `Redis at ${endpoint} is not reachable (${code})`;
  return `Redis at ${endpoint}: ${maskSecrets(message)}`;
}

export interface RedisErrorLogOptions {
  url: string;
  /** Where the lines go; without one (the CLI, which prints its own one line), errors are only remembered. */
  logger?: Logger;
  /** How long the same line stays quiet after it was logged (default 30 s). */
  repeatMs?: number;
  now?: () => number;
}

export interface RedisErrorLog {
  /** Hands one client's error over (an ioredis, Queue or Worker 'error' listener). */
  (error: unknown): void;
  /**
   * The line a failed command should show instead of its own error: about that error when Redis answered it
   * (WRONGPASS, NOAUTH …), else about the last connection error (a command that ran out of retries says only that).
   */
  explain(error: unknown): string;
}

/** An error Redis itself answered starts with its code in capitals (ReplyError: "WRONGPASS invalid …"). */
const REPLY_CODE = /^[A-Z]{3,}\b/;

export function redisErrorLog(options: RedisErrorLogOptions): RedisErrorLog {
  const endpoint = redisEndpoint(options.url);
  const repeatMs = options.repeatMs ?? 30_000;
  const now = options.now ?? Date.now;
  const seen = new Map<string, { at: number; quiet: number }>();
  let last: string | undefined;
  const report = (error: unknown) => {
    const line = describeRedisError(error, endpoint);
    last = line;
    const before = seen.get(line);
    const t = now();
    if (before && t - before.at < repeatMs) {
      before.quiet += 1;
      return;
    }
    seen.set(line, { at: t, quiet: 0 });
    const repeats = before?.quiet ? { repeats: before.quiet } : {};
    options.logger?.error({ redis: endpoint, ...repeats }, line);
  };
  const explain = (error: unknown) => {
    const message = String((error as { message?: unknown } | undefined)?.message ?? '');
    return REPLY_CODE.test(message) || last === undefined ? describeRedisError(error, endpoint) : last;
  };
  return Object.assign(report, { explain });
}
