/**
 * Progress events (docs/contracts.md#progress-events): workers publish, the bot's notifier subscribes.
 *
 * Contract for sources: call `handler` once per event, in the order the events were published for any one
 * migration, and await it before handing over the next event (back-pressure). Delivery may be at least once
 * (after a restart the last events may come again): the notifier tolerates repeats. The returned function stops
 * the subscription; it resolves once no handler call is running any more.
 *
 * A shared source (docs/architecture.md#high-availability) delivers each event to one subscriber of its group
 * across every process: the events of one `orderKey` go to one subscriber at a time, in order; an event whose
 * subscriber died before it was acknowledged is delivered again (with the same `Delivery.id`) to another.
 */
import type { ProgressEvent } from '../domain/migration/events.js';

export interface EventPublisher {
  /** Appends the event; resolves to its id in the stream. */
  publish(event: ProgressEvent): Promise<string>;
}

export interface Delivery {
  /** The event's id in the stream: the same on every delivery of the event. */
  id: string;
  /**
   * Changes whenever this subscriber takes over the events of an order key from another (a shared source's
   * partition): what it remembered of those keys may be stale.
   */
  generation: number;
  /**
   * Handled before, perhaps partly (a previous holder's unacknowledged entry, or a retry): what it posted may be
   * in chat already even where no record says so (a Redis failover can forget the last writes).
   */
  redelivered?: boolean;
  /**
   * Whether this subscriber still owns the event's order key (a shared source's lease). A handler checks it
   * before each side effect and throws DeliveryLost when not: another subscriber has the event now.
   */
  owned?: () => Promise<boolean>;
}

/** Thrown by a handler whose subscriber lost the event to another (Delivery.owned answered false). */
export class DeliveryLost extends Error {
  constructor() {
    super('another subscriber handles these events now');
  }
}

export type ProgressHandler = (event: ProgressEvent, delivery?: Delivery) => Promise<void>;

export interface EventSource {
  subscribe(handler: ProgressHandler): Promise<() => Promise<void>>;
}

/** The events that must be handled in order, one at a time: a migration's, or those of one pool or origin. */
export function orderKey(event: ProgressEvent): string {
  if ('migration' in event) return event.migration.migrationId;
  if (event.type === 'precheck.finished') return `precheck:${event.report.pool.name}`;
  return event.type;
}
