/** Messages for a precheck: a short parent (verdict) and the full report (findings by severity, plan, ETA). */
import type { Origin } from '../../../domain/migration/events.js';
import type { Finding, PrecheckReport, Severity } from '../../../domain/precheck/report.js';
import { capList, etaText, objectLabel, plural, truncate, VERDICT_LABEL, who } from '../format.js';
import type { Message } from '../message.js';

const SEVERITY_TITLE: Record<Severity, string> = { blocker: '⛔ Blockers', warning: '⚠️ Warnings', info: 'ℹ️ Info' };
const SEVERITIES: Severity[] = ['blocker', 'warning', 'info'];
/** Findings shown per severity in one message (no threads); the rest are counted. */
const MAX_FINDINGS = 10;
/** In a thread report every finding is shown (Slack pages a long one), up to a bound a 150,000-pod cluster keeps. */
const MAX_THREAD_FINDINGS = 300;

function counts(report: PrecheckReport): string {
  const by = (s: Severity) => report.findings.filter((f) => f.severity === s).length;
  return `${plural(by('blocker'), 'blocker')}, ${plural(by('warning'), 'warning')}, ${by('info')} info`;
}

function planLine(report: PrecheckReport): string {
  const { batches, maxParallel } = report.plan;
  const sizes = batches.map((b) => b.length).join(', ');
  const to = report.plan.containerdVersion ? `, to containerd ${report.plan.containerdVersion}` : '';
  return `${plural(batches.length, 'batch', 'batches')} (${sizes || '—'}), max parallel ${maxParallel}${to}`;
}

function nextStep(report: PrecheckReport): string {
  switch (report.verdict) {
    case 'blocked':
      return 'Fix the blockers (or have an approver override them) before `/migrate start ' + report.pool.name + '`.';
    case 'nothing-to-do':
      return 'Nothing to migrate: the pool already runs containerd.';
    default:
      return `Nothing was changed. Start with \`/migrate start ${report.pool.name}\`.`;
  }
}

function findingLine(f: Finding): string {
  const hint = f.hint ? ` → ${truncate(f.hint, 200)}` : '';
  return `- \`${objectLabel(f.object)}\` (${f.rule}): ${truncate(f.message, 200)}${hint}`;
}

/** The parent message of a precheck thread: verdict and counts, the details go in the thread. */
export function buildPrecheckSummary(report: PrecheckReport, origin: Origin): Message {
  const verdict = VERDICT_LABEL[report.verdict];
  return {
    text: `Precheck ${report.pool.name} (${report.cluster.id}): ${verdict}, ${counts(report)}`,
    header: `Precheck: ${report.pool.name}`,
    fields: [
      { label: 'Verdict', value: verdict },
      { label: 'Pool', value: `${report.pool.name} (${report.pool.id}), ${plural(report.pool.nodes, 'node')}` },
      { label: 'Cluster', value: `${report.cluster.id} (${report.cluster.version})` },
      { label: 'Findings', value: counts(report) },
      { label: 'Plan', value: planLine(report) },
      { label: 'ETA', value: etaText(report.plan.estimatedMinutes) },
    ],
    context: `Requested by ${who(origin)} · details in the thread`,
  };
}

/** The full report: findings grouped by severity with their hints, the batch plan and the ETA. */
export function buildPrecheckReport(report: PrecheckReport, maxFindings = MAX_THREAD_FINDINGS): Message {
  const body: string[] = [];
  for (const severity of SEVERITIES) {
    const found = report.findings.filter((f) => f.severity === severity);
    if (found.length === 0) continue;
    body.push(
      [`*${SEVERITY_TITLE[severity]} (${found.length})*`, ...capList(found, maxFindings, findingLine)].join('\n'),
    );
  }
  if (report.findings.length === 0) body.push('No findings: nothing on this pool depends on Docker.');
  const planLines = report.plan.batches
    .slice(0, 12)
    .map((nodes, i) => `- Batch ${i + 1}: ${capList(nodes, 6, (n) => `\`${n}\``).join(', ')}`);
  if (report.plan.batches.length > 12) planLines.push(`… and ${report.plan.batches.length - 12} more batches`);
  body.push([`*Plan*: ${planLine(report)}, ETA ${etaText(report.plan.estimatedMinutes)}`, ...planLines].join('\n'));
  body.push(nextStep(report));
  return {
    text: `Precheck ${report.pool.name}: ${VERDICT_LABEL[report.verdict]} (${counts(report)}); ${planLine(report)}`,
    header: `Precheck report: ${report.pool.name} — ${VERDICT_LABEL[report.verdict]}`,
    body,
    context: `Cluster ${report.cluster.id} · ${report.pool.runtime} ${report.pool.runtimeVersion} · ${plural(report.pool.nodes, 'node')}`,
  };
}

/** For platforms without threads: the summary's fields and the full report in one message. */
export function buildPrecheckMessage(report: PrecheckReport, origin: Origin): Message {
  const summary = buildPrecheckSummary(report, origin);
  const full = buildPrecheckReport(report, MAX_FINDINGS);
  return { ...summary, body: full.body ?? [], context: `Requested by ${who(origin)}`, mentions: [origin.userId] };
}

export function buildPrecheckFailed(pool: string, reason: string, origin: Origin): Message {
  return {
    text: `Precheck of ${pool} failed: ${reason}`,
    header: `Precheck: ${pool} — failed`,
    body: [`*Why*: ${truncate(reason, 600)}`, `Try again with \`/migrate precheck ${pool}\` once that is fixed.`],
    mentions: [origin.userId],
  };
}
