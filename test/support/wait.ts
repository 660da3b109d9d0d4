/**
 * The one polling helper of the tests: a named wrapper over vitest's `vi.waitFor`, so a timeout says what was
 * awaited. `check` returns the awaited value once it is there, `undefined` (or `false`) while it is not; an
 * error thrown by `check` is retried too and is the failure reported if the time runs out.
 */
import { vi } from 'vitest';

export function until<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000,
  intervalMs = 25,
): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await check();
      if (value === undefined || value === false)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      return value as T;
    },
    { timeout: timeoutMs, interval: intervalMs },
  );
}
