/**
 * Progress events (docs/contracts.md#progress-events): workers publish, the bot's notifier subscribes.
 *
 * Contract for sources: call `handler` once per event, in the order the events were published for any one
 * migration, and await it before handing over the next event (back-pressure). Delivery may be at least once
 * (after a restart the last events may come again): the notifier tolerates repeats. The returned function stops
 * the subscription; it resolves once no handler call is running any more.
 */
import type { ProgressEvent } from '../domain/migration/events.js';

export interface EventPublisher {
  /** Appends the event; resolves to its id in the stream. */
  publish(event: ProgressEvent): Promise<string>;
}

export type ProgressHandler = (event: ProgressEvent) => Promise<void>;

export interface EventSource {
  subscribe(handler: ProgressHandler): Promise<() => Promise<void>>;
}
