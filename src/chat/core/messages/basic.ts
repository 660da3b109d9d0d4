/** Short answers: help, FAQ, errors, acknowledgements, status and history, notices, cleanup results. */
import { SHORT_USAGE, USAGE } from '../../../domain/command-grammar.js';
import { MAX_QUESTION_CHARS } from '../../../domain/faq/index.js';
import type { MigrationSummary, Origin } from '../../../domain/migration/events.js';
import type { Finding } from '../../../domain/precheck/report.js';
import type { AuditEntry } from '../../../ports/migration-service.js';
import { capList, etaText, objectLabel, stateText, truncate, who } from '../format.js';
import type { Message } from '../message.js';

/** What each command does, for help; a verb without a line here is listed by its usage alone. */
const WHAT: Record<string, string> = {
  precheck: 'impact report and batch plan',
  plan: 'batch plan and ETA only',
  start: 'start the migration; progress follows in its thread',
  status: 'where migrations stand',
  pause: 'pause when the current step ends',
  resume: 'carry on after a pause or a stop',
  abort: 'stop for good; finished nodes stay migrated',
  history: 'what changed and who decided',
  cleanup: 'remove the old Docker directory after a migration',
  approve: 'answer the batch approval waiting on the pool',
  reject: 'answer the batch approval waiting on the pool',
  faq: 'ask a question (or ask it in a migration thread)',
  fleet: 'every cluster and pool: runtime, a fresh verdict, its migration',
  help: 'this list',
};

/** One command per list line, so every platform shows it as a list (a bare line break runs together). */
export function buildHelp(intro?: string): Message {
  const lines = Object.entries(SHORT_USAGE).map(([verb, usage]) => {
    const what = WHAT[verb];
    return `- \`${usage}\`${what ? `: ${what}` : ''}`;
  });
  const body = [...(intro ? [intro] : []), `*Commands*\n${lines.join('\n')}`];
  return { text: intro ? `${intro}\n${USAGE}` : USAGE, header: 'ack-migrate', body };
}

/** One line, as every refusal and bad input gets; the grammar's errors already end with the usage. */
export function buildError(message: string): Message {
  const line = truncate(message.replace(/\s*\n\s*/g, ' '), 500);
  return { text: `⚠️ ${line}`, body: [`⚠️ ${line}`] };
}

export function buildAck(text: string): Message {
  return { text, body: [text] };
}

export interface FaqAnswerView {
  title: string;
  answer: string;
  topic: string;
  confidence: number;
  lang: string;
}

export function buildFaqAnswer(answer: FaqAnswerView, question?: string): Message {
  const paragraphs = answer.answer
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return {
    text: `${answer.title}: ${truncate(answer.answer.replace(/\s+/g, ' '), 280)}`,
    header: answer.title,
    body: paragraphs.length ? paragraphs : [answer.answer],
    context: [
      question ? `Q: ${truncate(question, 120)}` : undefined,
      // The matcher reads a question's head only: say so rather than answer a cut question silently.
      question && question.length > MAX_QUESTION_CHARS
        ? `only its first ${MAX_QUESTION_CHARS.toLocaleString('en')} characters were read`
        : undefined,
      `FAQ · ${answer.topic}`,
    ]
      .filter(Boolean)
      .join(' · '),
  };
}

function statusLine(s: MigrationSummary, timeScale: number | undefined): string {
  const batch = s.currentBatch === undefined ? '' : ` · batch ${s.currentBatch}/${s.batchCount}`;
  const eta = s.state === 'completed' || s.state === 'aborted' ? '' : ` · ETA ${etaText(s.etaMinutes, timeScale)}`;
  return `- *${s.poolName}* (${s.clusterId}): ${stateText(s)} · ${s.nodesDone}/${s.nodesTotal} nodes${batch}${eta} · \`${s.migrationId}\``;
}

export function buildStatus(migrations: MigrationSummary[], pool?: string, timeScale?: number): Message {
  if (migrations.length === 0) {
    const text = pool ? `No migration of ${pool} is known.` : 'No running or paused migrations.';
    return { text, body: [text] };
  }
  const lines = capList(migrations, 20, (s) => statusLine(s, timeScale));
  const header = pool ? `Status of ${pool}` : `Migrations (${migrations.length})`;
  const message: Message = { text: `${header}\n${lines.join('\n')}`, header, body: [lines.join('\n')] };
  const only = migrations[0];
  if (migrations.length === 1 && only) {
    message.progress = { done: only.nodesDone, total: only.nodesTotal };
    if (only.reason) message.body = [lines.join('\n'), `*Why*: ${truncate(only.reason, 400)}`];
    message.context = `Requested by ${who(only.origin)} · started ${only.startedAt}`;
  }
  return message;
}

function historyLine(e: AuditEntry): string {
  const what = [e.action, e.pool, e.batch === undefined ? undefined : `batch ${e.batch}`].filter(Boolean).join(' ');
  const detail = e.detail ? ` (${truncate(e.detail, 100)})` : '';
  return `- ${e.at} · ${e.userId} (${e.platform}) · ${what} · ${e.outcome}${detail}`;
}

export function buildHistory(entries: AuditEntry[], pool?: string): Message {
  const header = pool ? `History of ${pool}` : 'History';
  if (entries.length === 0)
    return { text: `${header}: nothing recorded yet.`, body: [`${header}: nothing recorded yet.`] };
  const lines = capList(entries, 25, historyLine);
  return { text: `${header}\n${lines.join('\n')}`, header, body: [lines.join('\n')] };
}

export function buildNotice(origin: Origin, text: string, findings?: Finding[]): Message {
  const body = [text];
  if (findings?.length) {
    body.push(
      capList(findings, 10, (f) => `- \`${objectLabel(f.object)}\` (${f.rule}): ${truncate(f.message, 160)}`).join(
        '\n',
      ),
    );
  }
  return { text, body, mentions: [origin.userId] };
}

function gigabytes(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}

export function buildCleanupFinished(origin: Origin, pool: string, freedBytesByNode: Record<string, number>): Message {
  const nodes = Object.entries(freedBytesByNode).sort(([a], [b]) => a.localeCompare(b));
  const total = nodes.reduce((sum, [, bytes]) => sum + bytes, 0);
  const text = `Cleanup of ${pool} finished: freed ${gigabytes(total)} on ${nodes.length} nodes.`;
  return {
    text,
    header: `🧹 Cleanup of ${pool} finished`,
    body: [text],
    timeline: nodes
      .slice(0, 40)
      .map(([node, bytes]) => ({ node, step: 'cleaned', detail: `freed ${gigabytes(bytes)}` })),
    mentions: [origin.userId],
  };
}
