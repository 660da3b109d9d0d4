/**
 * Where the 'error' events of BullMQ's queues and workers go (docs/architecture.md#secrets). BullMQ opens
 * its own ioredis connections from `connectionOf()` and re-emits their errors on the Queue or Worker; one without
 * an 'error' listener prints the whole error, and ioredis keeps the AUTH password on it (`command.args`). So every
 * Queue, Worker and QueueEvents gets a listener that hands the error to the process's RedisErrorLog
 * (src/log/redis-errors.ts), which logs one line from its code and message.
 */

export interface QueueErrorOptions {
  /** Each 'error' of the queues' and workers' connections (default: dropped, never printed). */
  errors?: (error: unknown) => void;
}

interface EmitsErrors {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export function forwardErrors(emitters: EmitsErrors[], errors: QueueErrorOptions['errors']): void {
  const sink = errors ?? (() => undefined);
  for (const emitter of emitters) emitter.on('error', (error) => sink(error));
}
