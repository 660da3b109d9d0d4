import { describe, expect, it } from 'vitest';
import { BLIND_SETS, evaluate, loadEvalSet, report } from './load-eval-set.js';

/**
 * The honest number: questions written by people who saw only the ACK guide and the topic list, never the
 * matcher or the other sets. First runs: set A 93.3%, set B 93.3%, final set 94.0% (the final set measured once,
 * its misses never looked at). Nothing was tuned on these sets afterwards.
 */
describe.each(BLIND_SETS)('FAQ %s (written blind, never tuned on)', (name) => {
  it('answers at least 90% of it right', () => {
    const r = evaluate(loadEvalSet(name));
    report(name, r, false);
    expect(r.accuracy, r.misses.join('\n')).toBeGreaterThanOrEqual(0.9);
  });
});
