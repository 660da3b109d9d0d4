/**
 * The notifier: follows progress events and keeps each migration's chat picture current. Events of one
 * migration are handled strictly in order; posts are awaited (with rate limits waited out) and edits go through
 * a coalescer (one edit per message per second at most, node-step edits batched further), so a batch costs a
 * handful of chat calls however many steps its nodes go through.
 */
import { randomUUID } from 'node:crypto';
import type { ChatPlatform, MessageRef, Target } from '../chat/core/chat-platform.js';
import { type Coalescer, createCoalescer } from '../chat/core/coalescer.js';
import type { Message } from '../chat/core/message.js';
import {
  applyEvent,
  emptyView,
  isMigrationEvent,
  type MigrationEvent,
  type MigrationView,
} from '../chat/core/migration-view.js';
import { postOutcomeUnknown, retryAfterMs, withRateLimitRetry } from '../chat/core/rate-limit.js';
import type { Origin, Platform, ProgressEvent } from '../domain/migration/events.js';
import { isAppError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { type Delivery, DeliveryLost, type EventSource, orderKey } from '../ports/event-stream.js';
import type { PostLedger } from '../ports/post-ledger.js';
import { type CallCounter, type ChatOp, createCallCounter, type MigrationCalls } from './call-counter.js';
import { type OriginEvent, presentOriginEvent } from './origin-presenter.js';
import { type PresentContext, presentCard, presentThreaded, type Surface } from './presenters.js';
import type { BotThreadStore, ThreadRecord } from './thread-record.js';

export interface NotifierOptions {
  platforms: ChatPlatform[];
  events: EventSource;
  threads: BotThreadStore;
  /**
   * The posts made per event (docs/architecture.md#high-availability): an event delivered again edits what its
   * first delivery posted instead of posting again. Needed when several bots share the events.
   */
  posts?: PostLedger;
  logger?: Logger;
  /** At most one edit per message per this many ms (default 1000). */
  editIntervalMs?: number;
  /** A burst of events within this many ms becomes one edit (default 300). */
  settleMs?: number;
  /**
   * Low-value edits (node steps; the summary while simply running) wait up to this long, so they ride along
   * with the next milestone (default 15000). A platform's editPolicy overrides this and editIntervalMs.
   */
  stepEditIntervalMs?: number;
  /** Where to show migrations started from a platform that is not connected (e.g. the CLI). */
  defaultTarget?: { platform: Platform; channel: string };
  /** How long stop() waits for queued edits (default 10000). */
  flushTimeoutMs?: number;
  /** The sandbox's time scale in the demo: ETAs are shown as ACK estimates them and as the demo runs. */
  timeScale?: number;
}

export interface Notifier {
  start(): Promise<void>;
  /** Stops following events, then delivers queued edits (bounded by flushTimeoutMs). */
  stop(): Promise<void>;
  /**
   * Handles one event (what the subscription calls); resolves when its posts are done and its edits queued.
   * Rejects only when Redis is unavailable, so the source delivers the event again.
   */
  handle(event: ProgressEvent, delivery?: Delivery): Promise<void>;
  /** Resolves when every queued edit has been delivered. */
  flush(): Promise<void>;
  /** Chat calls per migration and batch (attempts, including rate-limited ones). */
  calls(migrationId: string): MigrationCalls | undefined;
  allCalls(): Record<string, MigrationCalls>;
}

interface QueuedEdit {
  platform: ChatPlatform;
  ref: MessageRef;
  message: Message;
  migrationId: string;
  batch: number | undefined;
  /** Whether this bot still has the migration's events (a shared source's lease) when the edit goes out. */
  owned?: () => Promise<boolean>;
}

const refKey = (ref: MessageRef) => `${ref.platform}:${ref.channel}:${ref.messageId}`;

/** A post that failed for a reason that passes (Slack down, rate-limited past the waits): handle the event later. */
class PostNotMade extends Error {
  constructor(cause: unknown) {
    super('a chat post failed for now', { cause });
  }
}

/** How long a bot's claim to post one message holds (docs/architecture.md#high-availability): a post's retries. */
const POST_CLAIM_MS = 60_000;

export function createNotifier(options: NotifierOptions): Notifier {
  /** This notifier's name on the post claims it takes. */
  const holder = randomUUID();
  const { threads, logger } = options;
  const counter: CallCounter = createCallCounter();
  /** Per migration: the view and the delivery generation it was built in (a takeover rebuilds it). */
  const views = new Map<string, { view: MigrationView; generation: number }>();
  const chains = new Map<string, Promise<void>>();
  /** Last content sent or queued per message, so unchanged edits cost nothing. Bounded, oldest dropped. */
  const lastContent = new Map<string, string>();
  let unsubscribe: (() => Promise<void>) | undefined;

  const remember = (key: string, content: string) => {
    lastContent.delete(key);
    lastContent.set(key, content);
    if (lastContent.size > 5000) lastContent.delete(lastContent.keys().next().value as string);
  };

  async function counted<T>(migrationId: string, batch: number | undefined, op: ChatOp, call: () => Promise<T>) {
    try {
      const result = await call();
      counter.record(migrationId, batch, op);
      return result;
    } catch (error) {
      counter.record(migrationId, batch, op, retryAfterMs(error) !== undefined);
      throw error;
    }
  }

  // One coalescer per platform: each has its own limits (Slack Tier 3, the console none).
  const coalescers = new Map<ChatPlatform, { queue: Coalescer<QueuedEdit>; stepDelay: number }>();
  function editsFor(platform: ChatPlatform) {
    let entry = coalescers.get(platform);
    if (!entry) {
      const policy = platform.editPolicy ?? {};
      const minIntervalMs = policy.minIntervalMs ?? options.editIntervalMs ?? 1000;
      entry = {
        stepDelay: policy.stepIntervalMs ?? options.stepEditIntervalMs ?? 15_000,
        queue: createCoalescer<QueuedEdit>({
          minIntervalMs,
          settleMs: Math.min(options.settleMs ?? 300, minIntervalMs),
          send: async (_key, edit) => {
            // A bot that lost these events since it queued the edit must not overwrite what the new holder
            // shows (an older picture could take a waiting approval's buttons away); the new holder edits.
            // (Redis unreachable: the owner check fails and the coalescer sends it again later.)
            if (edit.owned && !(await edit.owned())) return;
            await counted(edit.migrationId, edit.batch, 'update', () => edit.platform.update(edit.ref, edit.message));
          },
          onError: (key, error) => logger?.warn({ err: error, message: key }, 'chat edit given up'),
        }),
      };
      coalescers.set(platform, entry);
    }
    return entry;
  }
  const flushEdits = () => Promise.all([...coalescers.values()].map((c) => c.queue.flush())).then(() => undefined);

  /**
   * The message is in chat: its record must land, or a redelivery posts it again. Redis away for a moment (a
   * failover) is waited out for a while rather than failing the event.
   */
  async function recordPost(key: string, ref: MessageRef): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await options.posts?.set(key, ref);
        return;
      } catch (error) {
        if (attempt >= 8 || !(isAppError(error) && error.code === 'REDIS_UNAVAILABLE')) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** attempt, 5_000)));
      }
    }
  }

  function surfaceFor(
    platform: ChatPlatform,
    channel: string,
    migrationId: string,
    batch: () => number | undefined,
    delivery: Delivery | undefined,
  ) {
    /** The nth post of this event's handling, the key its message is recorded under. */
    let slot = 0;
    const surface: Surface = {
      platform,
      channel,
      async post(target: Target, message: Message, name?: string) {
        // A bot that lost these events to another (a stalled lease) must not post what the other posts.
        if (delivery?.owned && !(await delivery.owned())) throw new DeliveryLost();
        // A named message once per migration; any other post once per event and place in its handling.
        const place = slot++;
        const key = !options.posts
          ? undefined
          : name
            ? `${migrationId}:${name}`
            : delivery
              ? `${delivery.id}:${place}`
              : undefined;
        const claim = key ? await options.posts?.claim(key, holder, POST_CLAIM_MS) : undefined;
        if (claim?.kind === 'posted') {
          // Posted by an earlier delivery of this event that was not acknowledged: show the news there.
          surface.edit(claim.ref, message);
          return claim.ref;
        }
        // Another bot is posting it right now (it had these events until its lease passed here): the event is
        // delivered again, and then finds that bot's message, or its claim lapsed with it.
        if (claim?.kind === 'busy') throw new DeliveryLost();
        let ref: MessageRef;
        try {
          let first = true;
          ref = await withRateLimitRetry(async () => {
            if (delivery?.owned && !(await delivery.owned())) throw new DeliveryLost();
            // After a rate-limit wait: still this bot's claim (renewed), or another bot has the post now.
            if (key && !first && (await options.posts?.claim(key, holder, POST_CLAIM_MS))?.kind !== 'claimed')
              throw new DeliveryLost();
            first = false;
            // The ledger key names the message for a platform that can look for it (mayExist: an earlier try
            // failed without knowing whether it went out).
            const mayExist = claim?.mayExist === true || delivery?.redelivered === true;
            const to: Target = key ? { ...target, post: { key, mayExist } } : target;
            return counted(migrationId, batch(), 'post', () => platform.post(to, message));
          });
        } catch (error) {
          // A timeout or a 5xx leaves the post in doubt (it may be there); a 429 or a refusal does not.
          const unsure = postOutcomeUnknown(error);
          if (key) await options.posts?.release(key, holder, unsure).catch(() => undefined);
          // A message that may matter (an approval request) must not be lost to a passing chat failure: the
          // source delivers the event again later, and the ledger keeps what was posted from being posted twice.
          if (delivery && isAppError(error) && error.retryable) throw new PostNotMade(error);
          throw error;
        }
        remember(refKey(ref), JSON.stringify(message));
        if (key) await recordPost(key, ref);
        return ref;
      },
      edit(ref, message, editOptions = {}) {
        const key = refKey(ref);
        const content = JSON.stringify(message);
        if (lastContent.get(key) === content) return;
        remember(key, content);
        const { queue, stepDelay } = editsFor(platform);
        queue.push(
          key,
          {
            platform,
            ref,
            message,
            migrationId,
            batch: batch(),
            ...(delivery?.owned ? { owned: delivery.owned } : {}),
          },
          { delayMs: editOptions.lazy ? stepDelay : 0 },
        );
      },
    };
    return surface;
  }

  function route(origin: Origin): { platform: ChatPlatform; channel: string } | undefined {
    const direct = options.platforms.find((p) => p.platform === origin.platform);
    if (direct) return { platform: direct, channel: origin.channel };
    const fallback = options.defaultTarget;
    const platform = fallback && options.platforms.find((p) => p.platform === fallback.platform);
    return platform && fallback ? { platform, channel: fallback.channel } : undefined;
  }

  async function viewFor(
    event: MigrationEvent,
    record: ThreadRecord | undefined,
    generation: number,
  ): Promise<MigrationView> {
    const id = event.migration.migrationId;
    let entry = views.get(id);
    if (!entry || entry.generation !== generation) {
      // After a restart or a takeover from another bot: carry on from the batch the thread record shows.
      entry = { view: emptyView(event.migration), generation };
      if (options.timeScale !== undefined) entry.view.timeScale = options.timeScale;
      if (record?.batch) entry.view.batches[record.batch.index] = record.batch;
      views.set(id, entry);
    }
    return applyEvent(entry.view, event);
  }

  async function handleMigrationEvent(event: MigrationEvent, delivery: Delivery | undefined): Promise<void> {
    const id = event.migration.migrationId;
    const target = route(event.migration.origin);
    if (!target) return;
    const record = await threads.get(id);
    const view = await viewFor(event, record, delivery?.generation ?? 0);
    const ctx: PresentContext = {
      surface: surfaceFor(
        target.platform,
        record?.channel ?? target.channel,
        id,
        () => view.summary.currentBatch,
        delivery,
      ),
      view,
      record,
      save: async (r) => {
        if (delivery?.owned && !(await delivery.owned())) throw new DeliveryLost();
        await threads.set(r);
      },
    };
    await (target.platform.supportsThreads ? presentThreaded(event, ctx) : presentCard(event, ctx));
    if (event.type === 'migration.finished') views.delete(id);
  }

  async function handleOriginEvent(event: OriginEvent, delivery: Delivery | undefined): Promise<void> {
    const target = route(event.origin);
    if (!target) return;
    const surface = surfaceFor(
      target.platform,
      target.channel,
      `${event.type}:${event.origin.userId}`,
      () => undefined,
      delivery,
    );
    await presentOriginEvent(event, surface, threads);
  }

  function handle(event: ProgressEvent, delivery?: Delivery): Promise<void> {
    const key = orderKey(event);
    const previous = chains.get(key) ?? Promise.resolve();
    const outcome = previous
      .then(() =>
        isMigrationEvent(event)
          ? handleMigrationEvent(event, delivery)
          : handleOriginEvent(event as OriginEvent, delivery),
      )
      .catch((error: unknown) => {
        // Redis away: the source delivers the event again (docs/architecture.md#high-availability).
        if (error instanceof DeliveryLost || (isAppError(error) && error.code === 'REDIS_UNAVAILABLE')) throw error;
        if (error instanceof PostNotMade) {
          logger?.warn({ err: error.cause, event: event.type, key }, 'a chat post failed; the event comes again');
          throw error;
        }
        // One failed chat call must not stop the notifier; the next event of the migration repairs the picture.
        logger?.error({ err: error, event: event.type, key }, 'notifier could not show an event');
      });
    const next = outcome.catch(() => undefined);
    chains.set(key, next);
    void next.then(() => {
      if (chains.get(key) === next) chains.delete(key);
    });
    return outcome;
  }

  return {
    async start() {
      if (!unsubscribe) unsubscribe = await options.events.subscribe(handle);
    },
    async stop() {
      const stopSubscription = unsubscribe;
      unsubscribe = undefined;
      await stopSubscription?.();
      await Promise.all([...chains.values()]);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, options.flushTimeoutMs ?? 10_000);
      });
      await Promise.race([flushEdits(), timeout]);
      clearTimeout(timer);
    },
    handle,
    async flush() {
      await Promise.all([...chains.values()]);
      await flushEdits();
    },
    calls: (migrationId) => counter.get(migrationId),
    allCalls: () => counter.all(),
  };
}
