/**
 * The shared EventSource of the bot replicas (docs/architecture.md#high-availability): each event is handled by
 * one replica, the events of one migration in order by one replica at a time, and nothing a dead replica had
 * taken is lost.
 *
 * The stream is read through `partitions` consumer groups; partition p handles the events whose order key
 * hashes to p (and acknowledges the others unseen). A partition is a lease in Redis held by one replica at a
 * time; it reads as the consumer named after the partition, so whoever holds the lease first reads the
 * partition's pending entries (handled or not by a holder that died before acknowledging them) and then new
 * ones. Replicas register a heartbeat and take a fair share of the partitions; a dead replica's leases expire and
 * are taken over.
 */
import { randomUUID } from 'node:crypto';
import type { ProgressEvent } from '../../domain/migration/events.js';
import { type EventSource, orderKey, type ProgressHandler } from '../../ports/event-stream.js';
import type { RedisClient } from './redis-client.js';
import { type StateKeys, stateKeys } from './state-keys.js';

export interface GroupSourceOptions {
  /** The group every replica shares, e.g. 'notifier'. */
  group: string;
  /** This replica's name (unique per process). */
  consumer: string;
  /** Partitions of the stream (default 4): at most that many replicas handle events at once. */
  partitions?: number;
  /** How long a partition stays leased without renewal (default 6000 ms): the takeover time of a dead replica. */
  leaseMs?: number;
  blockMs?: number;
  /** Where a new group starts: '$' (new events only, the default) or '0'. */
  from?: '$' | '0';
  /**
   * How often one event is tried when its handler throws before it is given up (default 60, backing off to 5 s
   * between tries: a Redis failover or outage of a few minutes loses nothing).
   */
  attempts?: number;
  /** A handler that threw. */
  onError?: (error: unknown) => void;
}

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** FNV-1a: which partition an order key belongs to. */
export function partitionOf(key: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}

type Entries = Array<[string, string[]]>;
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

interface Partition {
  index: number;
  token: string;
  validUntil: number;
  release: boolean;
  done: Promise<void>;
}

export class RedisGroupEventSource implements EventSource {
  private readonly keys: StateKeys;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly options: GroupSourceOptions,
    private readonly errors: (error: unknown) => void = () => undefined,
  ) {
    this.keys = stateKeys(prefix);
  }

  async subscribe(handler: ProgressHandler): Promise<() => Promise<void>> {
    const o = this.options;
    const partitions = o.partitions ?? 4;
    const leaseMs = o.leaseMs ?? 6000;
    const { redis, keys, errors } = this;
    const leaseKey = (p: number) => keys.eventGroupLease(o.group, p);
    const replicas = keys.eventGroupReplicas(o.group);
    const owned = new Map<number, Partition>();
    let generation = 0;
    let stopped = false;

    const ensureGroup = async (p: number) => {
      try {
        await redis.xgroup('CREATE', keys.events, `${o.group}:${p}`, o.from ?? '$', 'MKSTREAM');
      } catch (error) {
        if (!String((error as Error).message).includes('BUSYGROUP')) throw error;
      }
    };

    const handle = async (part: Partition, id: string, event: ProgressEvent, pending: boolean) => {
      for (let attempt = 1; ; attempt++) {
        try {
          const redelivered = pending || attempt > 1;
          await handler(event, { id, generation, redelivered, owned: () => owns(part) });
          return;
        } catch (error) {
          o.onError?.(error);
          if (attempt >= (o.attempts ?? 60) || !active(part)) return;
          await sleep(Math.min(250 * 2 ** attempt, 5000));
        }
      }
    };

    const active = (part: Partition) => !stopped && !part.release && Date.now() < part.validUntil;
    /** The lease as Redis has it now (a holder whose renewals stalled may have lost it meanwhile). */
    /** (Redis unreachable: the check throws, so the caller tries again later rather than taking it as a no.) */
    const owns = async (part: Partition) => active(part) && (await redis.get(leaseKey(part.index))) === part.token;

    const run = async (part: Partition) => {
      const reader = redis.duplicate();
      reader.on('error', errors);
      const group = `${o.group}:${part.index}`;
      const consumer = `p${part.index}`;
      // Own pending entries first (a previous holder's, acknowledged or not), then new ones.
      let cursor = '0';
      let inDoubt = true;
      try {
        await ensureGroup(part.index);
        while (active(part)) {
          let entries: Entries;
          try {
            const reply = (await reader.xreadgroup(
              'GROUP',
              group,
              consumer,
              'COUNT',
              50,
              'BLOCK',
              o.blockMs ?? 1000,
              'STREAMS',
              keys.events,
              cursor,
            )) as Array<[string, Entries]> | null;
            entries = reply?.[0]?.[1] ?? [];
          } catch (error) {
            if (!active(part)) break;
            errors(error);
            if (String((error as Error).message).includes('NOGROUP')) await ensureGroup(part.index).catch(errors);
            cursor = '0';
            inDoubt = true;
            await sleep(500);
            continue;
          }
          if (cursor !== '>' && entries.length === 0) cursor = '>';
          for (const [id, fields] of entries) {
            if (!active(part)) break;
            const raw = fields ? fields[fields.indexOf('e') + 1] : undefined;
            const event = raw ? (JSON.parse(raw) as ProgressEvent) : undefined;
            if (event && partitionOf(orderKey(event), partitions) === part.index) {
              // Of the previous holder's unacknowledged entries only the first was under way when it stopped (it
              // handled them one at a time, in order): that one may have posted what no record shows.
              await handle(part, id, event, inDoubt && cursor !== '>');
              inDoubt = false;
            }
            if (!active(part)) break;
            try {
              await redis.xack(keys.events, group, id);
            } catch (error) {
              errors(error);
              cursor = '0';
              inDoubt = true;
              break;
            }
            if (cursor !== '>') cursor = id;
          }
        }
      } catch (error) {
        errors(error);
      } finally {
        reader.disconnect();
        owned.delete(part.index);
        await redis.eval(RELEASE, 1, leaseKey(part.index), part.token).catch(() => undefined);
      }
    };

    const tick = async () => {
      const now = Date.now();
      await redis.zadd(replicas, now, o.consumer);
      await redis.zremrangebyscore(replicas, '-inf', now - 3 * leaseMs);
      const live = Math.max(1, await redis.zcard(replicas));
      for (const part of owned.values()) {
        const renewed = await redis.eval(RENEW, 1, leaseKey(part.index), part.token, leaseMs);
        if (renewed === 1) part.validUntil = now + leaseMs * 0.8;
        else part.release = true;
      }
      const fair = Math.ceil(partitions / live);
      const holding = [...owned.values()].filter((p) => !p.release);
      for (const extra of holding.slice(fair)) extra.release = true;
      if (stopped || holding.length >= fair) return;
      const free = Array.from({ length: partitions }, (_, i) => i).filter((i) => !owned.has(i));
      free.sort(() => Math.random() - 0.5);
      for (const index of free.slice(0, partitions)) {
        if (owned.size >= fair || stopped) break;
        const token = `${o.consumer}:${randomUUID()}`;
        if ((await redis.set(leaseKey(index), token, 'PX', leaseMs, 'NX')) !== 'OK') continue;
        generation++;
        const part: Partition = {
          index,
          token,
          validUntil: now + leaseMs * 0.8,
          release: false,
          done: Promise.resolve(),
        };
        owned.set(index, part);
        part.done = run(part);
      }
    };

    let ticking: Promise<void> = Promise.resolve();
    const beat = () => {
      ticking = ticking.then(() => tick().catch(errors));
    };
    beat();
    await ticking;
    const timer = setInterval(beat, Math.max(50, Math.floor(leaseMs / 4)));
    return async () => {
      stopped = true;
      clearInterval(timer);
      await ticking;
      await Promise.all([...owned.values()].map((p) => p.done));
      await redis.zrem(replicas, o.consumer).catch(() => undefined);
    };
  }
}
