/**
 * Forward-chaining check of the "labelled questions as examples" idea, the honest one: for holdout-sets 6–11,
 * extract the FAQ code as it was when the set was first measured (git archive), add a k-nearest-neighbour vote
 * over the phrases and the sets that existed then, and score the set. ALPHA=0 and T=2 reproduce the first-look
 * numbers. Run: `npx tsx tools/faq/forward-chain.ts` (env: K, ALPHAS (comma list), T, as in
 * cross-validate.ts). Needs git; writes only to a temporary directory.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import { ALL_SETS, loadEvalSet, type SetName } from '../../test/unit/domain/faq/load-eval-set.js';

// The commit whose FAQ code each set was first measured on (9 and 10 both on c550dd5: 10 must not learn from 9).
const PLAN: Array<[SetName, string, number]> = [
  ['holdout-set-6', '3622920', 6],
  ['holdout-set-7', 'e4c1bc5', 7],
  ['holdout-set-8', 'e85857d', 8],
  ['holdout-set-9', 'c550dd5', 9],
  ['holdout-set-10', 'c550dd5', 9],
  ['holdout-set-11', '84308a6', 11],
];
const K = Number(process.env.K ?? 5);
const T = Number(process.env.T ?? 2);
const ALPHAS = (process.env.ALPHAS ?? '0,0.3').split(',').map(Number);

// The plan names old commits: a shallow clone, an export without .git or a machine without git cannot run it.
function requireHistory(): string {
  const git = (...args: string[]) =>
    execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  let top: string;
  try {
    top = git('-C', fileURLToPath(new URL('.', import.meta.url)), 'rev-parse', '--show-toplevel').trim();
  } catch {
    return fail('needs git and a git checkout of this repository with its history');
  }
  const missing = [...new Set(PLAN.map(([, commit]) => commit))].filter((commit) => {
    try {
      git('-C', top, 'cat-file', '-e', `${commit}^{commit}`);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    return fail(`needs the full git history, commit(s) ${missing.join(', ')} not found (try: git fetch --unshallow)`);
  }
  return top;
}

function fail(message: string): never {
  console.error(`forward-chain: ${message}`);
  process.exit(1);
}

const root = requireHistory();
const work = mkdtempSync(join(tmpdir(), 'faq-forward-'));

interface Ranked {
  topic: string;
  score: number;
}
interface OldMatcher {
  matchQuestion: (q: string) => { topic: string; ranked: Ranked[] };
}

async function main(): Promise<void> {
  const results = new Map<number, number[]>();
  for (const [set, commit, priorCount] of PLAN) {
    const dir = join(work, commit);
    mkdirSync(dir, { recursive: true });
    execFileSync('sh', ['-c', `git -C "${root}" archive ${commit} src/domain/faq src/errors.ts | tar -x -C "${dir}"`]);
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    try {
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    } catch {}
    const faq = join(dir, 'src/domain/faq');
    const m = (await import(join(faq, 'matcher.ts'))) as OldMatcher;
    const kb = (await import(join(faq, 'knowledge-base.ts'))) as {
      FAQ_TOPICS: Array<{ id: string; questions: { zh: string[]; en: string[] } }>;
    };
    const { tokenize } = (await import(join(faq, 'tokenize.ts'))) as { tokenize: (t: string) => string[] };
    const examples = [
      ...kb.FAQ_TOPICS.flatMap((t) => [...t.questions.zh, ...t.questions.en].map((q) => ({ q, topic: t.id }))),
      ...ALL_SETS.slice(0, priorCount).flatMap((n) => loadEvalSet(n)),
    ];
    const search = new MiniSearch<{ id: number; q: string }>({
      fields: ['q'],
      tokenize,
      processTerm: (term) => term,
      searchOptions: { prefix: false, combineWith: 'OR', bm25: { k: 1.2, b: 0.5, d: 0.5 } },
    });
    search.addAll(examples.map((e, id) => ({ id, q: e.q })));
    const vote = (q: string) => {
      const terms = [...new Set(tokenize(q))];
      const votes = new Map<string, number>();
      const found = terms.length ? search.search(q, { tokenize: () => terms }).slice(0, K) : [];
      const total = found.reduce((s, r) => s + r.score, 0);
      for (const r of found) {
        const label = examples[r.id as number]?.topic ?? 'none';
        votes.set(label, (votes.get(label) ?? 0) + r.score / total);
      }
      return votes;
    };
    const cases = loadEvalSet(set);
    const line: string[] = [];
    for (const alpha of ALPHAS) {
      let ok = 0;
      for (const c of cases) {
        const r = m.matchQuestion(c.q);
        const v = vote(c.q);
        let topic = r.topic;
        if (alpha > 0 && topic !== 'none') {
          const topics = r.ranked.filter((x) => !x.topic.startsWith('_'));
          const top = topics[0]?.score ?? 1;
          let best = -1;
          for (const x of topics) {
            const s = x.score / top + alpha * (v.get(x.topic) ?? 0);
            if (s > best) [best, topic] = [s, x.topic];
          }
        }
        for (const [label, share] of v) if (share >= T) topic = label;
        if (topic === c.topic) ok++;
      }
      results.set(alpha, [...(results.get(alpha) ?? []), ok / cases.length]);
      line.push(`ALPHA=${alpha}: ${((ok / cases.length) * 100).toFixed(1)}%`);
    }
    console.log(`${set} on ${commit} (examples from ${priorCount} sets): ${line.join('  ')}`);
  }
  for (const [alpha, a] of results) {
    const mean = (a.reduce((s, v) => s + v, 0) / a.length) * 100;
    console.log(`K=${K} T=${T} ALPHA=${alpha}: mean ${mean.toFixed(1)}% min ${(Math.min(...a) * 100).toFixed(1)}%`);
  }
}

await main().finally(() => rmSync(work, { recursive: true, force: true }));
