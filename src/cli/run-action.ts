import { asAppError } from '../errors.js';

const USAGE_CODES = new Set(['BAD_INPUT', 'NOT_FOUND', 'NOT_AVAILABLE', 'CONFIG', 'FORBIDDEN', 'CONFLICT', 'STALE']);

/**
 * Wraps a CLI action: any error becomes one line on stderr (never a stack, never a secret) and exit code 2 for
 * what the user can fix (bad input, unknown pool, config), 1 for failures of the world.
 */
export function runAction<A extends unknown[]>(action: (...args: A) => Promise<void> | void) {
  return async (...args: A): Promise<void> => {
    try {
      await action(...args);
    } catch (error) {
      const e = asAppError(error);
      process.stderr.write(`ack-migrate: ${e.toLine()}\n`);
      process.exitCode = USAGE_CODES.has(e.code) ? 2 : 1;
    }
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
