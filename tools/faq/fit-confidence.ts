/**
 * Fits the FAQ confidence model (src/domain/faq/confidence.ts) on the development questions and prints the
 * weights to paste there. Run: `npx tsx tools/faq/fit-confidence.ts`. Holdout sets that are still
 * unseen must not be added to DEV_SETS.
 *
 * A question teaches the model only when its answer depends on the decision: an in-scope question whose best
 * topic is right (answering is right) or an out-of-scope one (declining is right). An in-scope question whose
 * best topic is wrong is an error either way, and a question an out-of-scope intent wins is declined anyway.
 */
import type { MatchFeatures } from '../../src/domain/faq/confidence.js';
import { gatherEvidence } from '../../src/domain/faq/matcher.js';
import { loadEvalSet } from '../../test/unit/domain/faq/load-eval-set.js';

const DEV_SETS = [
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
const KEYS = ['coverage', 'margin', 'logScore', 'knownShare', 'anchor', 'intentRatio'] as const;

const rows: Array<{ x: number[]; y: number }> = [];
for (const name of DEV_SETS) {
  for (const c of loadEvalSet(name)) {
    const e = gatherEvidence(c.q);
    if (e.intent || !e.topic) continue;
    if (c.topic !== 'none' && e.topic !== c.topic) continue;
    const f: MatchFeatures = e.features;
    rows.push({ x: KEYS.map((k) => f[k]), y: c.topic === 'none' ? 0 : 1 });
  }
}

// Both classes weigh the same in total: hard out-of-scope questions are few here (most get no match or an
// intent), and a wrong answer costs as much as a missed one.
const positives = rows.filter((r) => r.y === 1).length;
const classWeight = (y: number) =>
  y === 1 ? rows.length / (2 * positives) : rows.length / (2 * (rows.length - positives));

// Plain batch gradient descent with a little L2: a bias and one weight per feature, a few hundred rows.
const w = new Array<number>(KEYS.length + 1).fill(0);
const lambda = 0.01;
for (let step = 0; step < 20_000; step++) {
  const g = new Array<number>(KEYS.length + 1).fill(0);
  for (const { x, y } of rows) {
    const z = w[0]! + x.reduce((s, v, i) => s + v * w[i + 1]!, 0);
    const err = (1 / (1 + Math.exp(-z)) - y) * classWeight(y);
    g[0]! += err;
    x.forEach((v, i) => {
      g[i + 1]! += err * v;
    });
  }
  for (let i = 0; i < w.length; i++) w[i]! -= 0.5 * (g[i]! / rows.length + (i > 0 ? lambda * w[i]! : 0));
}
const round = (v: number) => Math.round(v * 100) / 100;
console.log(
  `rows: ${rows.length} (${rows.filter((r) => r.y === 1).length} answer, ${rows.filter((r) => r.y === 0).length} decline)`,
);
console.log(
  `export const CONFIDENCE_WEIGHTS = { bias: ${round(w[0]!)}, ${KEYS.map((k, i) => `${k}: ${round(w[i + 1]!)}`).join(', ')} };`,
);
