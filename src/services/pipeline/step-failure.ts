/**
 * How a step says "stop the line" (a failure a person must look at) and how it hands its job back on shutdown.
 */
import { AppError, isAppError } from '../../errors.js';

export function stepFailed(reason: string, node?: string): AppError {
  return new AppError('STEP_FAILED', reason, { details: node === undefined ? {} : { node } });
}

export function failureOf(error: unknown): { reason: string; node: string | undefined } {
  if (isAppError(error)) {
    const node = typeof error.details.node === 'string' ? error.details.node : undefined;
    return { reason: error.hint ? `${error.message} (${error.hint})` : error.message, node };
  }
  return { reason: error instanceof Error ? error.message : String(error), node: undefined };
}

/** Thrown at a safe boundary when the worker shuts down: the job goes back to the queue, nothing is lost. */
export class HandOff extends Error {
  constructor() {
    super('handing the job back (worker shutting down)');
    this.name = 'HandOff';
  }
}
