/** Making, ordering and judging findings. */
import type { ObjectRef } from '../cluster/snapshot.js';
import { type Finding, RULE_IDS, type RuleId, type Severity, type Verdict } from './report.js';

export const SEVERITIES: readonly Severity[] = ['blocker', 'warning', 'info'];

export function finding(rule: RuleId, severity: Severity, object: ObjectRef, message: string, hint: string): Finding {
  return { rule, severity, object, message, hint };
}

/** Severity (blockers first), then rule (in RULE_IDS order), namespace, name, kind and message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    RULE_IDS.indexOf(a.rule) - RULE_IDS.indexOf(b.rule) ||
    compareText(a.object.namespace ?? '', b.object.namespace ?? '') ||
    compareText(a.object.name, b.object.name) ||
    compareText(a.object.kind, b.object.kind) ||
    compareText(a.message, b.message)
  );
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

/** The verdict (docs/contracts.md#precheck-json): blocked if any blocker, else warnings if any warning, else ready. */
export function verdictOf(findings: readonly Finding[]): Exclude<Verdict, 'nothing-to-do'> {
  if (findings.some((f) => f.severity === 'blocker')) return 'blocked';
  if (findings.some((f) => f.severity === 'warning')) return 'warnings';
  return 'ready';
}

/** `a`, `a and b`, `a, b and 2 more` */
export function listText(items: readonly string[], max = 3): string {
  if (items.length <= 1) return items[0] ?? '';
  if (items.length <= max) return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
