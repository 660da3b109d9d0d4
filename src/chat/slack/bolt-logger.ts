/**
 * Bolt's and the WebClient's log lines, through our pino logger. Bolt joins its arguments into strings we do not
 * control, so the known secret values (bot token, app token, signing secret) are masked here before pino sees
 * them, in addition to pino's own redaction.
 */
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../log/logger.js';
import { maskSecrets } from '../../log/secret-mask.js';

const LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
};

/** Bolt's level for our logger's level (pino has trace and fatal, Bolt does not). */
export function boltLogLevel(logger: Logger): LogLevel {
  return LEVELS[logger.level] ?? LogLevel.INFO;
}

function render(parts: unknown[], secrets: readonly string[]): string {
  const text = parts
    .map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : safeStringify(p)))
    .join(' ');
  return maskSecrets(text, secrets);
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function boltLogger(logger: Logger, secrets: readonly string[]): BoltLogger {
  const child = logger.child({ component: 'slack' });
  let level: LogLevel = boltLogLevel(logger);
  return {
    debug: (...msg: unknown[]) => child.debug(render(msg, secrets)),
    info: (...msg: unknown[]) => child.info(render(msg, secrets)),
    warn: (...msg: unknown[]) => child.warn(render(msg, secrets)),
    error: (...msg: unknown[]) => child.error(render(msg, secrets)),
    // pino filters by its own level; Bolt only asks so it can skip work.
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
