/** Events addressed to whoever asked (precheck reports, notices, cleanup results) rather than to a migration. */
import type { Message } from '../chat/core/message.js';
import { buildCleanupFinished, buildNotice } from '../chat/core/messages/basic.js';
import {
  buildPrecheckFailed,
  buildPrecheckMessage,
  buildPrecheckReport,
  buildPrecheckSummary,
} from '../chat/core/messages/precheck.js';
import type { ProgressEvent } from '../domain/migration/events.js';
import type { Surface } from './presenters.js';
import type { BotThreadStore, ThreadRecord } from './thread-record.js';

export type OriginEvent = Exclude<ProgressEvent, { migration: unknown }>;

/** A stable id for a precheck thread, so a replayed event does not post the report twice. */
export function precheckThreadId(event: Extract<OriginEvent, { type: 'precheck.finished' }>): string {
  return `precheck:${event.report.cluster.id}:${event.report.pool.name}:${event.at}`;
}

async function reply(surface: Surface, threadId: string | undefined, message: Message): Promise<void> {
  await surface.post({ channel: surface.channel, ...(threadId ? { threadId } : {}) }, message);
}

export async function presentOriginEvent(event: OriginEvent, surface: Surface, threads: BotThreadStore): Promise<void> {
  const threadId = surface.platform.supportsThreads ? event.origin.threadId : undefined;
  switch (event.type) {
    case 'precheck.finished': {
      const id = precheckThreadId(event);
      if (await threads.get(id)) return;
      if (!surface.platform.supportsThreads) {
        const ref = await surface.post({ channel: surface.channel }, buildPrecheckMessage(event.report, event.origin));
        await threads.set(precheckRecord(id, surface, ref, event.origin.userId));
        return;
      }
      if (threadId) {
        // Asked inside a thread (console reply box): the whole report goes there.
        await reply(surface, threadId, buildPrecheckReport(event.report));
        return;
      }
      const parent = await surface.post({ channel: surface.channel }, buildPrecheckSummary(event.report, event.origin));
      await threads.set(precheckRecord(id, surface, parent, event.origin.userId));
      await reply(surface, parent.threadId ?? parent.messageId, buildPrecheckReport(event.report));
      return;
    }
    case 'precheck.failed':
      await reply(surface, threadId, buildPrecheckFailed(event.pool, event.reason, event.origin));
      return;
    case 'notice':
      await reply(surface, threadId, buildNotice(event.origin, event.text, event.findings));
      return;
    case 'cleanup.finished':
      await reply(surface, threadId, buildCleanupFinished(event.origin, event.pool, event.freedBytesByNode));
      return;
  }
}

function precheckRecord(id: string, surface: Surface, parent: ThreadRecord['parent'], requester: string): ThreadRecord {
  return {
    migrationId: id,
    kind: 'precheck',
    platform: surface.platform.platform,
    channel: surface.channel,
    parent,
    requester,
    batches: {},
    alerts: {},
    milestones: [],
  };
}
