import { describe, expect, it } from 'vitest';
import { FAQ_TOPIC_IDS } from '../../../../src/domain/faq/knowledge-base.js';
import { ALL_SETS, evaluate, loadEvalSet, report } from './load-eval-set.js';

// Holdout sets: written before the FAQ was tuned on them, measured once, now regression tests (first-look numbers
// and history: tools/faq/README.md). Never edit a question to make this pass: improve the FAQ, write a new set.
describe.each(ALL_SETS.filter((name) => name.startsWith('holdout-set')))('FAQ %s', (name) => {
  const cases = loadEvalSet(name);

  it('only names known topics', () => {
    expect(cases.length).toBeGreaterThanOrEqual(45);
    for (const c of cases) expect([...FAQ_TOPIC_IDS, 'none']).toContain(c.topic);
  });

  it('answers at least 90% of it right', () => {
    const r = evaluate(cases);
    report(name, r);
    expect(r.accuracy, r.misses.join('\n')).toBeGreaterThanOrEqual(0.9);
  });
});
