/**
 * Progress events over a Redis stream: workers publish, the bot's notifier subscribes (the EventSource port).
 * The stream is bounded (MAXLEN ~), and a subscriber remembers the last event it handled under its consumer
 * name, so after a restart it continues where it stopped (at least once: the last event may come again).
 */
import type { Redis } from 'ioredis';
import type { ProgressEvent } from '../../domain/migration/events.js';
import type { EventPublisher, EventSource, ProgressHandler } from '../../ports/event-stream.js';
import { type StateKeys, stateKeys } from './state-keys.js';

export const EVENT_STREAM_MAXLEN = 10_000;

export class RedisEventPublisher implements EventPublisher {
  private readonly keys: StateKeys;

  /** `replicated`: behind Sentinel an event is waited onto a replica (WAIT), so a failover does not lose it. */
  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly replicated = false,
  ) {
    this.keys = stateKeys(prefix);
  }

  async publish(event: ProgressEvent): Promise<string> {
    const id = await this.redis.xadd(
      this.keys.events,
      'MAXLEN',
      '~',
      String(EVENT_STREAM_MAXLEN),
      '*',
      'e',
      JSON.stringify(event),
    );
    if (this.replicated) await this.redis.call('WAIT', 1, 500).catch(() => undefined);
    return id ?? '';
  }
}

export interface SubscriberOptions {
  /** Where to start when no position is remembered: '$' (new events only, the default) or '0' (everything kept). */
  from?: string;
  /** Remembers the position under this name; without it every subscription starts at `from`. */
  consumer?: string;
  /** How long one blocking read waits (ms). */
  blockMs?: number;
  /** A handler that threw (and, for a source made without a RedisErrorLog, a failed read). */
  onError?: (error: unknown) => void;
}

/**
 * An EventSource over the stream. Each subscription has its own blocking connection (duplicated from `redis`, which
 * copies the options but not the 'error' listener: it gets the same RedisErrorLog).
 */
export class RedisEventSource implements EventSource {
  private readonly keys: StateKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly options: SubscriberOptions = {},
    /** Errors of the connection and failed reads (default: `onError`). */
    private readonly errors: (error: unknown) => void = (error) => options.onError?.(error),
  ) {
    this.keys = stateKeys(prefix);
  }

  async subscribe(handler: ProgressHandler): Promise<() => Promise<void>> {
    const reader = this.redis.duplicate();
    reader.on('error', this.errors);
    const cursorKey = this.options.consumer ? this.keys.eventCursor(this.options.consumer) : undefined;
    let last = (cursorKey ? await this.redis.get(cursorKey) : null) ?? this.options.from ?? '$';
    if (last === '$') {
      // Resolve '$' to a concrete id now, so events published right after subscribe() are not missed.
      const newest = await this.redis.xrevrange(this.keys.events, '+', '-', 'COUNT', 1);
      last = newest[0]?.[0] ?? '0-0';
    }
    let stopped = false;
    const blockMs = this.options.blockMs ?? 1000;
    const loop = (async () => {
      while (!stopped) {
        let batch: Array<[string, Array<[string, string[]]>]> | null;
        try {
          batch = (await reader.xread('COUNT', 100, 'BLOCK', blockMs, 'STREAMS', this.keys.events, last)) as Array<
            [string, Array<[string, string[]]>]
          > | null;
        } catch (error) {
          if (stopped) break;
          this.errors(error);
          await new Promise((ok) => setTimeout(ok, 500));
          continue;
        }
        for (const [, entries] of batch ?? []) {
          for (const [id, fields] of entries) {
            if (stopped) break;
            const raw = fields[fields.indexOf('e') + 1];
            if (raw) {
              try {
                await handler(JSON.parse(raw) as ProgressEvent);
              } catch (error) {
                this.options.onError?.(error);
              }
            }
            last = id;
            if (cursorKey) await this.redis.set(cursorKey, id);
          }
        }
      }
    })();
    return async () => {
      stopped = true;
      reader.disconnect();
      await loop;
    };
  }
}
