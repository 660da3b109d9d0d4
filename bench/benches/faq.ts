import { performance } from 'node:perf_hooks';
import { answerQuestion } from '../../src/domain/faq/index.js';
import { ALL_SETS, BLIND_SETS, evaluate, loadEvalSet } from '../../test/unit/domain/faq/load-eval-set.js';
import type { Benchmark } from '../run.js';

/**
 * FAQ quality (accuracy on the evaluation set, and on all holdout sets together — development sets by now, see
 * tools/faq/README.md for their first-look numbers) and speed (answers per second once the index is built).
 */
const bench: Benchmark = {
  name: 'faq',
  async run() {
    const cases = loadEvalSet('eval-set');
    const t0 = performance.now();
    answerQuestion('warm-up: builds the index');
    const buildMs = performance.now() - t0;

    const r = evaluate(cases);
    const holdout = evaluate(ALL_SETS.filter((n) => n.startsWith('holdout-set')).flatMap((n) => loadEvalSet(n)));
    // Written blind and never tuned on: the number that predicts questions nobody here has seen.
    const blind = evaluate(BLIND_SETS.flatMap((n) => loadEvalSet(n)));

    const rounds = 20;
    const t1 = performance.now();
    for (let i = 0; i < rounds; i++) for (const c of cases) answerQuestion(c.q);
    const ms = performance.now() - t1;
    return [
      {
        metric: 'blind-accuracy',
        value: Math.round(blind.accuracy * 1000) / 1000,
        correct: blind.correct,
        total: blind.total,
      },
      { metric: 'eval-accuracy', value: Math.round(r.accuracy * 1000) / 1000, correct: r.correct, total: r.total },
      {
        metric: 'holdout-accuracy',
        value: Math.round(holdout.accuracy * 1000) / 1000,
        correct: holdout.correct,
        total: holdout.total,
      },
      { metric: 'answers-per-second', value: Math.round(((rounds * cases.length) / ms) * 1000), unit: 'ops/s' },
      { metric: 'index-build', value: Math.round(buildMs), unit: 'ms' },
    ];
  },
};
export default bench;
