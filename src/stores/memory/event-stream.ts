/**
 * Progress events in memory: publishers append; each subscription reads in order from where it starts and
 * awaits its handler before the next event (the EventSource contract of src/ports/event-stream.ts). Like the
 * Redis stream, a named consumer continues after a restart where it stopped, and the subscribers of one group
 * share its events: each event goes to one of them, one event of the group at a time.
 */
import type { ProgressEvent } from '../../domain/migration/events.js';
import type { EventPublisher, EventSource, ProgressHandler } from '../../ports/event-stream.js';

export interface MemorySourceOptions {
  /** Where to start when no position is remembered: 'now' (new events only, the default) or 'start'. */
  from?: 'now' | 'start';
  /** Remembers the position under this name. */
  consumer?: string;
  /** Shares the events with every other subscriber of this group (a shared source). */
  group?: string;
}

export class MemoryEventStream implements EventPublisher, EventSource {
  private readonly events: ProgressEvent[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly cursors = new Map<string, number>();
  private readonly groups = new Map<string, { next: number; busy: boolean }>();

  /** Every event published so far, in order. */
  all(): ProgressEvent[] {
    return this.events.map((e) => structuredClone(e));
  }

  async publish(event: ProgressEvent): Promise<string> {
    this.events.push(structuredClone(event));
    for (const wake of [...this.waiters]) wake();
    return String(this.events.length);
  }

  subscribe(handler: ProgressHandler): Promise<() => Promise<void>> {
    return this.source().subscribe(handler);
  }

  source(options: MemorySourceOptions = {}): EventSource {
    return { subscribe: async (handler) => this.follow(handler, options) };
  }

  private follow(handler: ProgressHandler, options: MemorySourceOptions): () => Promise<void> {
    const remembered = options.consumer ? this.cursors.get(options.consumer) : undefined;
    const start = options.from === 'start' ? 0 : this.events.length;
    const group = options.group;
    let shared = group ? this.groups.get(group) : undefined;
    if (group && !shared) {
      shared = { next: start, busy: false };
      this.groups.set(group, shared);
    }
    const own = { next: remembered ?? start, busy: false };
    const cursor = shared ?? own;
    let stopped = false;
    let wake: (() => void) | undefined;
    const loop = (async () => {
      while (!stopped) {
        if (!cursor.busy && cursor.next < this.events.length) {
          const index = cursor.next;
          const event = structuredClone(this.events[index]!);
          cursor.busy = true;
          try {
            await handler(event, { id: String(index + 1), generation: 0 });
          } catch {
            // A handler's failure is its own (the Redis source reports it and moves on too).
          }
          cursor.next = index + 1;
          cursor.busy = false;
          if (options.consumer) this.cursors.set(options.consumer, cursor.next);
          for (const other of [...this.waiters]) other();
          continue;
        }
        await new Promise<void>((ok) => {
          wake = ok;
          this.waiters.add(ok);
        });
        if (wake) this.waiters.delete(wake);
      }
    })();
    return async () => {
      stopped = true;
      wake?.();
      await loop;
    };
  }
}
