/**
 * Progress events in memory: publishers append; each subscription reads in order from where it starts and
 * awaits its handler before the next event (the EventSource contract of src/ports/event-stream.ts). Like the
 * Redis stream, a named consumer continues after a restart where it stopped.
 */
import type { ProgressEvent } from '../../domain/migration/events.js';
import type { EventPublisher, EventSource, ProgressHandler } from '../../ports/event-stream.js';

export interface MemorySourceOptions {
  /** Where to start when no position is remembered: 'now' (new events only, the default) or 'start'. */
  from?: 'now' | 'start';
  /** Remembers the position under this name. */
  consumer?: string;
}

export class MemoryEventStream implements EventPublisher, EventSource {
  private readonly events: ProgressEvent[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly cursors = new Map<string, number>();

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
    let next = remembered ?? (options.from === 'start' ? 0 : this.events.length);
    let stopped = false;
    let wake: (() => void) | undefined;
    const loop = (async () => {
      while (!stopped) {
        if (next < this.events.length) {
          const event = structuredClone(this.events[next]!);
          try {
            await handler(event);
          } catch {
            // A handler's failure is its own (the Redis source reports it and moves on too).
          }
          next++;
          if (options.consumer) this.cursors.set(options.consumer, next);
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
