/**
 * The bot's ChatHandler: one grammar for every platform. It parses, checks the channel, hands the work to the
 * MigrationService (which enqueues, never runs it) and answers at once; the results arrive later through the
 * notifier. Refusals and bad input are one ephemeral line and change nothing. What people type is masked first
 * (the one secret masker, src/log/secret-mask.ts): a token pasted into chat is never echoed, answered, logged
 * or audited (docs/architecture.md#secrets).
 */
import type { ChatHandler, InboundAction, InboundCommand, InboundMessage, Reply } from '../chat/core/chat-platform.js';
import type { Message } from '../chat/core/message.js';
import {
  buildAck,
  buildError,
  buildFaqAnswer,
  buildHelp,
  buildHistory,
  buildStatus,
} from '../chat/core/messages/basic.js';
import { buildFleet } from '../chat/core/messages/fleet.js';
import { type Command, parseCommand, stripPrefix } from '../domain/command-grammar.js';
import { answerQuestion as defaultAnswer, type FaqAnswer } from '../domain/faq/index.js';
import { looksLikeQuestion } from '../domain/faq/question.js';
import type { Origin } from '../domain/migration/events.js';
import { isAppError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import { maskStrings, secretMasker } from '../log/secret-mask.js';
import type { FleetScanner } from '../ports/fleet-scanner.js';
import type { AuditEntry, DecisionResult, MigrationService } from '../ports/migration-service.js';
import { type ClusterSource, resolveScope } from './cluster-scope.js';
import type { BotThreadStore } from './thread-record.js';
import { decideTyped } from './typed-decision.js';

export interface DispatcherOptions {
  service: MigrationService;
  /** `/migrate fleet`: a worker scans every cluster (docs/contracts.md#fleet-json). */
  fleet?: FleetScanner;
  /** The config file's clusters (channels, ids) and ACK_CLUSTER_ID: `loadConfig(env)` gives both. */
  config: ClusterSource;
  threads: BotThreadStore;
  answerQuestion?: (question: string) => FaqAnswer;
  logger?: Logger;
  /** The process's own secrets (config.secrets), masked by value in what people type; token shapes always are. */
  secrets?: readonly string[];
  /** A service call slower than this is answered with "still working" so Slack's 3-second ack holds. */
  replyTimeoutMs?: number;
  /** The sandbox's time scale in the demo: status shows the ETA as ACK estimates it and as the demo runs. */
  timeScale?: number;
}

const ephemeral = (message: Message): Reply => ({ ephemeral: true, message });
const visible = (message: Message): Reply => ({ ephemeral: false, message });

/**
 * Text that starts with the command word (after @mentions): a command even when sent as a plain message. A mention
 * stops at the next "@" or "<", so "@a@a@a…" splits one way only: with `@\S+` the regex backtracked exponentially
 * and one chat message of 60 characters froze the process.
 */
const COMMAND_TEXT = /^\s*(?:(?:<@[^>]+>|@[^\s@<]+)\s*)*\/?migrate(?:\s|$)/i;

function errorLine(error: unknown): string {
  if (isAppError(error) && error.code !== 'INTERNAL') return error.toLine();
  return 'Something went wrong on our side; it was logged. Try again, or see `/migrate status`.';
}

function decisionReply(result: DecisionResult): Reply {
  return ephemeral(result.ok ? buildAck(result.message) : buildError(result.message));
}

export function createDispatcher(options: DispatcherOptions): ChatHandler {
  const { service, threads, logger } = options;
  const answer = options.answerQuestion ?? defaultAnswer;
  const timeoutMs = options.replyTimeoutMs ?? 2500;
  const mask = secretMasker(options.secrets);
  /** The second net: whatever a reply quotes (an error of the service, say) is masked on the way out too. */
  const masked = (reply: Reply): Reply => ({
    ...reply,
    message: maskStrings(reply.message, mask),
    ...(reply.later ? { later: reply.later.then(masked) } : {}),
  });

  /** The service audits what it does; the dispatcher records what never reaches it (refusals, reads). */
  function audit(origin: Origin, action: string, outcome: AuditEntry['outcome'], extra: Partial<AuditEntry> = {}) {
    service
      .audit({ platform: origin.platform, userId: origin.userId, action, outcome, ...extra })
      .catch((error: unknown) => logger?.error({ err: error, action }, 'audit entry not written'));
  }

  async function withDeadline(work: Promise<Reply>, what: string): Promise<Reply> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<Reply>((resolve) => {
      timer = setTimeout(
        // The answer is late, not lost: the adapter delivers `later` when it is ready.
        () =>
          resolve({
            ...ephemeral(buildAck(`Still working on \`${what}\`; the result will show up here.`)),
            later: work,
          }),
        timeoutMs,
      );
    });
    work.catch((error: unknown) => logger?.error({ err: error, what }, 'command failed after its reply'));
    try {
      return await Promise.race([work, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function run(command: Command, origin: Origin, cluster: string | undefined): Promise<Reply> {
    const scoped = cluster ? { cluster } : {};
    switch (command.verb) {
      case 'precheck':
      case 'plan': {
        const planOnly = command.verb === 'plan';
        await service.requestPrecheck({
          pool: command.pool,
          planOnly,
          origin,
          ...scoped,
          ...(command.maxParallel === undefined ? {} : { maxParallel: command.maxParallel }),
        });
        return ephemeral(buildAck(`${planOnly ? 'Planning' : 'Running precheck for'} ${command.pool}…`));
      }
      case 'start': {
        const { migration, created } = await service.start({
          pool: command.pool,
          snapshot: command.snapshot,
          soakSeconds: command.soakSeconds,
          mode: command.mode,
          origin,
          ...scoped,
          ...(command.maxParallel === undefined ? {} : { maxParallel: command.maxParallel }),
        });
        return ephemeral(
          buildAck(
            created
              ? `Starting the migration of ${command.pool} (${migration.migrationId}); progress follows in its thread.`
              : `A migration of ${command.pool} is already ${migration.state} (${migration.migrationId}); see its thread.`,
          ),
        );
      }
      case 'status': {
        const migrations = await service.status(command.pool);
        audit(origin, 'status', 'ok', command.pool ? { pool: command.pool } : {});
        return visible(buildStatus(migrations, command.pool, options.timeScale));
      }
      case 'history': {
        const entries = await service.history(command.pool, 25);
        audit(origin, 'history', 'ok', command.pool ? { pool: command.pool } : {});
        return visible(buildHistory(entries, command.pool));
      }
      case 'pause':
      case 'resume':
      case 'abort':
        return decisionReply(
          await service.controlByPool({ pool: command.pool, decision: command.verb, actor: origin, ...scoped }),
        );
      case 'cleanup':
        return decisionReply(await service.requestCleanup({ pool: command.pool, origin, ...scoped }));
      case 'approve':
      case 'reject':
        return decisionReply(await decideTyped({ service, threads }, command, origin));
      case 'faq':
        audit(origin, 'faq', 'ok');
        return visible(buildFaqAnswer(answer(command.question), command.question));
      case 'help':
        return ephemeral(buildHelp());
      case 'fleet': {
        if (!options.fleet) return ephemeral(buildError('the fleet view is not available here'));
        const view = await options.fleet.scanFleet();
        audit(origin, 'fleet', 'ok');
        return visible(buildFleet(view));
      }
    }
  }

  async function onCommand(command: InboundCommand): Promise<Reply> {
    return masked(await dispatchCommand(command.origin, mask(command.text)));
  }

  async function dispatchCommand(origin: Origin, text: string): Promise<Reply> {
    const parsed = parseCommand(text);
    if (!parsed.ok) {
      audit(origin, 'command', 'refused', { detail: parsed.error.slice(0, 200) });
      return ephemeral(buildError(parsed.error));
    }
    const { command } = parsed;
    const pool = 'pool' in command ? command.pool : undefined;
    // help, faq and fleet need no cluster (fleet is about all of them).
    if (command.verb !== 'help' && command.verb !== 'faq' && command.verb !== 'fleet') {
      const scope = resolveScope(options.config, origin, 'cluster' in command ? command.cluster : undefined, {
        poolDecides: command.verb === 'start',
      });
      if (!scope.ok) {
        audit(origin, command.verb, 'refused', { detail: scope.message, ...(pool ? { pool } : {}) });
        return ephemeral(buildError(scope.message));
      }
      return withDeadline(
        run(command, origin, scope.cluster).catch((error: unknown) => {
          if (!isAppError(error)) logger?.error({ err: error, verb: command.verb }, 'command failed');
          // The service audits what it accepts; what it threw out is recorded here.
          audit(origin, command.verb, 'refused', { detail: errorLine(error).slice(0, 200), ...(pool ? { pool } : {}) });
          return ephemeral(buildError(errorLine(error)));
        }),
        stripPrefix(text).slice(0, 60),
      );
    }
    return run(command, origin, undefined);
  }

  async function onAction({ origin, payload }: InboundAction): Promise<Reply> {
    try {
      const result = await service.decide({
        migrationId: payload.migrationId,
        decision: payload.decision,
        nonce: payload.nonce,
        actor: origin,
        ...(payload.batch === undefined ? {} : { batch: payload.batch }),
        ...(payload.node === undefined ? {} : { node: payload.node }),
      });
      return masked(decisionReply(result));
    } catch (error) {
      if (!isAppError(error)) logger?.error({ err: error, payload }, 'button action failed');
      return masked(ephemeral(buildError(errorLine(error))));
    }
  }

  async function onMessage(message: InboundMessage): Promise<Reply | undefined> {
    const { origin, threadId, mentioned } = message;
    const text = mask(message.text);
    if (COMMAND_TEXT.test(text)) {
      return onCommand({ origin: threadId ? { ...origin, threadId } : origin, text });
    }
    const inThread =
      threadId !== undefined && (await threads.findByThread(origin.platform, origin.channel, threadId)) !== undefined;
    if (!mentioned && !inThread) return undefined;
    const question = stripPrefix(text);
    if (!question) return masked(ephemeral(buildHelp('Ask me a question about the migration, or use a command:')));
    const found = answer(question);
    // Unaddressed chatter in a migration thread is answered when the FAQ knows the topic, or when it is a
    // question all the same: then the answer says what the bot can answer.
    if (!mentioned && found.topic === 'none' && !looksLikeQuestion(question)) return undefined;
    return masked(visible(buildFaqAnswer(found, question)));
  }

  return { onCommand, onAction, onMessage };
}
