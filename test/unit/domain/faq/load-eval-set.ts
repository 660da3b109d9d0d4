import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { matchQuestion } from '../../../../src/domain/faq/matcher.js';

const EvalSet = z.array(z.strictObject({ q: z.string().min(1), topic: z.string().min(1) }));
export type EvalCase = z.infer<typeof EvalSet>[number];

/** Every question set: the evaluation set, then the holdout sets in the order they were written. */
export const ALL_SETS = [
  'eval-set',
  'holdout-set',
  'holdout-set-2',
  'holdout-set-3',
  'holdout-set-4',
  'holdout-set-5',
  'holdout-set-6',
  'holdout-set-7',
  'holdout-set-8',
  'holdout-set-9',
  'holdout-set-10',
  'holdout-set-11',
] as const;
/**
 * Sets written blind by people who never saw the matcher, its phrases or any other set, and measured once;
 * never used for tuning. `final-blind-set` was kept apart as the last, untouched measurement.
 */
export const BLIND_SETS = ['blind-set-a', 'blind-set-b', 'final-blind-set'] as const;

export type SetName = (typeof ALL_SETS)[number] | (typeof BLIND_SETS)[number];

export function loadEvalSet(name: SetName): EvalCase[] {
  return EvalSet.parse(parse(readFileSync(new URL(`./${name}.yaml`, import.meta.url), 'utf8')));
}

export interface EvalResult {
  accuracy: number;
  correct: number;
  total: number;
  misses: string[];
}

/** Runs the matcher over a set; each miss is a line a person can act on (what was asked, expected, got, why). */
export function evaluate(cases: EvalCase[]): EvalResult {
  const misses: string[] = [];
  for (const { q, topic } of cases) {
    const m = matchQuestion(q);
    if (m.topic === topic) continue;
    const top = m.ranked
      .slice(0, 3)
      .map((r) => `${r.topic}:${r.score.toFixed(0)}`)
      .join(' ');
    misses.push(`"${q}" expected ${topic}, got ${m.topic} (confidence ${m.confidence}; ${top})`);
  }
  const correct = cases.length - misses.length;
  return { accuracy: correct / cases.length, correct, total: cases.length, misses };
}

/** Prints a set's score (and its misses) only when FAQ_REPORT is set (`FAQ_REPORT=1 npx vitest run …`). */
export function report(name: string, r: EvalResult, misses = true): void {
  if (!process.env.FAQ_REPORT) return;
  console.log(`FAQ ${name}: ${r.correct}/${r.total} = ${(r.accuracy * 100).toFixed(1)}%`);
  if (misses && r.misses.length > 0) console.log(`misses:\n${r.misses.join('\n')}`);
}
