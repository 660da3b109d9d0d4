/** A request/reply job's failure as part of its answer: the asking side gets the error's code and one line. */
import { asAppError } from '../src/errors.js';

export function errorAnswer(error: unknown) {
  const e = asAppError(error);
  return {
    ok: false as const,
    code: e.code,
    message: e.message,
    retryable: e.retryable,
    ...(e.hint ? { hint: e.hint } : {}),
  };
}
