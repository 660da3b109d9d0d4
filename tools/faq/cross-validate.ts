/**
 * Leave-one-set-out experiment: can the ~1,000 labelled questions serve as examples? For each question set, the
 * confidence is fitted (and a k-nearest-neighbour index of labelled questions built) WITHOUT that set, then the
 * set is scored. Run: `npx tsx tools/faq/cross-validate.ts` (env: K neighbours, ALPHA weight of their
 * vote when re-ranking topics, T share above which a unanimous-enough vote overrides the matcher, BASE=0 skips
 * the baseline).
 *
 * Caveat: the vocabulary, synonyms, phrases and ops centroids were tuned on every set, so the baseline here
 * (95.3% mean) is far above the first-look numbers (~85%): only the confidence fit is really left out.
 *
 * Result (2026-11-26), not adopted: baseline mean 95.3% / min 87.5%; with examples the best setting was
 * K=7 ALPHA=0.3: 95.9% / 91.3% (+0.6). A forward-chaining check on the code as it was when holdout-sets 6–11
 * were first measured (git archive of 3622920, e4c1bc5, e85857d, c550dd5, 84308a6; examples = the sets that
 * existed then) reproduced the first-look numbers exactly (mean 85.3%, min 81.3%) and gave at best 86.5% (K=5,
 * T=0.8, vote overriding either way) to 87.0% (K=10, T=0.7, ALPHA=0.3, the best of ~20 settings tried, so
 * optimistic): +1.2 to +1.7 points, below the 2-point bar for adoption. That forward-chaining best setting scores
 * 94.4% / 88.8% leave-one-set-out here, below the baseline: the gain does not hold across settings.
 */
import MiniSearch from 'minisearch';
import { thresholdFor } from '../../src/domain/faq/confidence.js';
import { FAQ_TOPICS } from '../../src/domain/faq/knowledge-base.js';
import { buildIndex, type Evidence, gatherEvidence } from '../../src/domain/faq/matcher.js';
import { tokenize } from '../../src/domain/faq/tokenize.js';
import { ALL_SETS, type EvalCase, loadEvalSet, type SetName } from '../../test/unit/domain/faq/load-eval-set.js';

interface LabelledExample {
  q: string;
  topic: string;
}
interface ExampleIndex {
  search: MiniSearch<{ id: number; q: string }>;
  labels: readonly string[];
}

// One search document per known question: a paraphrase close to one of them borrows its label.
function buildExampleIndex(examples: readonly LabelledExample[]): ExampleIndex {
  const search = new MiniSearch<{ id: number; q: string }>({
    fields: ['q'],
    tokenize,
    processTerm: (term) => term,
    searchOptions: { prefix: false, combineWith: 'OR', bm25: { k: 1.2, b: 0.5, d: 0.5 } },
  });
  search.addAll(examples.map((e, id) => ({ id, q: e.q })));
  return { search, labels: examples.map((e) => e.topic) };
}

// Each label's share of the k nearest questions' summed scores, 0..1.
function nearestVote(ex: ExampleIndex, terms: readonly string[], k: number): Map<string, number> {
  const votes = new Map<string, number>();
  if (terms.length === 0) return votes;
  const found = ex.search.search(terms.join(' '), { tokenize: () => [...terms] }).slice(0, k);
  const total = found.reduce((s, r) => s + r.score, 0);
  for (const r of found) {
    const label = ex.labels[r.id as number] ?? 'none';
    votes.set(label, (votes.get(label) ?? 0) + r.score / total);
  }
  return votes;
}

const ix = buildIndex();
const T = Number(process.env.T ?? 2);
const K = Number(process.env.K ?? 5);
const ALPHA = Number(process.env.ALPHA ?? 0);
const SETS = Object.fromEntries(ALL_SETS.map((n) => [n, loadEvalSet(n)])) as Record<SetName, EvalCase[]>;
const PHRASES: LabelledExample[] = FAQ_TOPICS.flatMap((t) =>
  [...t.questions.zh, ...t.questions.en].map((q) => ({ q, topic: t.id })),
);

interface Pred {
  topic?: string;
  intent: boolean;
  x: number[];
  /** The neighbours' vote decided, whatever the confidence. */
  forced?: boolean;
}
const BASE_KEYS = ['coverage', 'margin', 'logScore', 'knownShare', 'anchor', 'intentRatio'] as const;

const evidence = new Map<string, { e: Evidence; terms: string[] }>();
function ev(q: string) {
  let v = evidence.get(q);
  if (!v) {
    v = { e: gatherEvidence(q, ix), terms: [...new Set(tokenize(q))] };
    evidence.set(q, v);
  }
  return v;
}

function predict(q: string, ex: ExampleIndex | undefined): Pred {
  const { e, terms } = ev(q);
  const base = BASE_KEYS.map((k) => e.features[k]);
  if (!ex) return { topic: e.topic, intent: !!e.intent, x: base };
  const vote = nearestVote(ex, terms, K);
  let topic = e.topic;
  if (ALPHA > 0 && e.topic) {
    // Re-rank the FAQ topics: search score relative to the best, plus the neighbours' vote.
    const topics = e.ranked.filter((r) => !r.topic.startsWith('_'));
    const top = topics[0]?.score ?? 1;
    let best = -1;
    for (const r of topics) {
      const s = r.score / top + ALPHA * (vote.get(r.topic) ?? 0);
      if (s > best) {
        best = s;
        topic = r.topic;
      }
    }
  }
  const x = [...base, topic ? (vote.get(topic) ?? 0) : 0, vote.get('none') ?? 0];
  let lead = 'none';
  let share = 0;
  for (const [label, v] of vote) if (v > share) [lead, share] = [label, v];
  if (share >= T) return { topic: lead === 'none' ? undefined : lead, intent: false, x, forced: true };
  return { topic, intent: !!e.intent, x };
}

function fitLogistic(rows: Array<{ x: number[]; y: number }>): number[] {
  const n = rows[0]?.x.length ?? 0;
  const pos = rows.filter((r) => r.y === 1).length;
  const cw = (y: number) => (y === 1 ? rows.length / (2 * pos) : rows.length / (2 * (rows.length - pos)));
  const w = new Array<number>(n + 1).fill(0);
  for (let step = 0; step < 5000; step++) {
    const g = new Array<number>(n + 1).fill(0);
    for (const { x, y } of rows) {
      const z = w[0]! + x.reduce((s, v, i) => s + v * w[i + 1]!, 0);
      const err = (1 / (1 + Math.exp(-z)) - y) * cw(y);
      g[0]! += err;
      x.forEach((v, i) => {
        g[i + 1]! += err * v;
      });
    }
    for (let i = 0; i < w.length; i++) w[i]! -= 0.5 * (g[i]! / rows.length + (i > 0 ? 0.01 * w[i]! : 0));
  }
  return w;
}

function decide(p: Pred, w: number[]): string {
  if (p.intent || !p.topic) return 'none';
  if (p.forced) return p.topic;
  const z = w[0]! + p.x.reduce((s, v, i) => s + v * w[i + 1]!, 0);
  const conf = 1 / (1 + Math.exp(-z));
  const f = { coverage: p.x[0]!, margin: p.x[1]! } as Parameters<typeof thresholdFor>[0];
  return conf >= thresholdFor(f) ? p.topic : 'none';
}

const examplesOf = (names: SetName[]) => [...PHRASES, ...names.flatMap((n) => SETS[n])];

function run(withExamples: boolean): number[] {
  const accs: number[] = [];
  for (const held of ALL_SETS) {
    const train = ALL_SETS.filter((n) => n !== held);
    const rows: Array<{ x: number[]; y: number }> = [];
    for (const s of train) {
      // The vote for a training question must not see its own set, or it would be trivially right.
      const ex = withExamples ? buildExampleIndex(examplesOf(train.filter((n) => n !== s))) : undefined;
      for (const c of SETS[s]) {
        const p = predict(c.q, ex);
        if (p.intent || !p.topic) continue;
        if (c.topic !== 'none' && p.topic !== c.topic) continue;
        rows.push({ x: p.x, y: c.topic === 'none' ? 0 : 1 });
      }
    }
    const w = fitLogistic(rows);
    const ex = withExamples ? buildExampleIndex(examplesOf(train)) : undefined;
    const cases = SETS[held];
    const ok = cases.filter((c) => decide(predict(c.q, ex), w) === c.topic).length;
    accs.push(ok / cases.length);
  }
  return accs;
}

const fmt = (a: number[]) =>
  `mean ${((a.reduce((s, v) => s + v, 0) / a.length) * 100).toFixed(1)}% min ${(Math.min(...a) * 100).toFixed(1)}% [${a.map((v) => (v * 100).toFixed(0)).join(' ')}]`;
if (process.env.BASE !== '0') console.log(`baseline      ${fmt(run(false))}`);
console.log(`examples K=${K} A=${ALPHA} ${fmt(run(true))}`);
