/**
 * Where the bot's notifier gets progress events from. The worker side implements it over a Redis stream; tests
 * feed events by hand.
 *
 * Contract for implementations: call `handler` once per event, in the order the events were emitted for any
 * one migration, and await it before handing over the next event (back-pressure). Delivery may be at least
 * once (after a restart the last events may come again): the notifier tolerates repeats. The returned function
 * stops the subscription; it resolves once no handler call is running any more.
 */
import type { ProgressEvent } from '../domain/migration/events.js';

export type ProgressHandler = (event: ProgressEvent) => Promise<void>;

export interface EventSource {
  subscribe(handler: ProgressHandler): Promise<() => Promise<void>>;
}
