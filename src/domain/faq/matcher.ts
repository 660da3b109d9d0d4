import MiniSearch, { type SearchResult } from 'minisearch';
import { OUT_OF_SCOPE_INTENTS, type OutOfScopeIntentName } from './knowledge/out-of-scope.js';
import { FAQ_TOPICS } from './knowledge-base.js';
import { isCanonicalTerm, type Term, tokenize, tokenizeDetailed } from './tokenize.js';

/** Below this confidence in the best topic the FAQ answers `none` rather than guess. */
export const CONFIDENCE_THRESHOLD = 0.3;
// A best score under this means one incidental word matched (the "order" in "order pizza").
const MIN_STRONG_SCORE = 25;
const UNKNOWN_DF = 1;

export interface RankedTopic {
  /** A topic id, or an out-of-scope intent id (starting with `_`). */
  topic: string;
  score: number;
}

export interface TopicMatch {
  /** The best topic, or 'none'. */
  topic: string;
  /**
   * How sure the matcher is of `topic`, 0..1. For a topic: the confidence in it. For `none`: how sure it is
   * that the question is out of scope, 1 − the best topic's confidence.
   */
  confidence: number;
  /** Set when the question was recognised as something the FAQ does not answer. */
  intent?: OutOfScopeIntentName;
  /** Best first; for diagnostics (eval misses, the bench). */
  ranked: RankedTopic[];
  /** Share of the question's information (IDF-weighted terms) that the best match explains, 0..1. */
  coverage: number;
}

interface TopicDoc {
  id: string;
  title: string;
  questions: string;
  answer: string;
}

interface FaqIndex {
  search: MiniSearch<TopicDoc>;
  idf: (term: string) => number;
  known: (term: string) => boolean;
}

function buildIndex(): FaqIndex {
  const docs: TopicDoc[] = FAQ_TOPICS.map((t) => ({
    id: t.id,
    title: `${t.title.zh}\n${t.title.en}`,
    questions: [...t.questions.zh, ...t.questions.en].join('\n'),
    answer: `${t.answer.zh}\n${t.answer.en}`,
  }));
  for (const o of OUT_OF_SCOPE_INTENTS) {
    docs.push({ id: `${INTENT_PREFIX}${o.intent}`, title: '', questions: o.phrases.join('\n'), answer: '' });
  }
  const search = new MiniSearch<TopicDoc>({
    fields: ['title', 'questions', 'answer'],
    tokenize,
    processTerm: (term) => term,
    searchOptions: {
      boost: { title: 2, questions: 3, answer: 0.3 },
      maxFuzzy: 2,
      prefix: false,
      combineWith: 'OR',
    },
  });
  search.addAll(docs);

  // Document frequency over topics, to weigh how much of a question a topic explains.
  const df = new Map<string, number>();
  for (const d of docs) {
    for (const term of new Set(tokenize(`${d.title}\n${d.questions}\n${d.answer}`))) {
      df.set(term, (df.get(term) ?? 0) + 1);
    }
  }
  const n = docs.length;
  return {
    search,
    // A word the knowledge base never uses weighs like a rare one, not more: filler ("quick q") must not
    // sink a clear question, and a question made only of unknown words still gets no match at all.
    idf: (term) => Math.log(1 + n / ((df.get(term) ?? UNKNOWN_DF) + 0.5)),
    known: (term) => df.has(term),
  };
}

let index: FaqIndex | undefined;

// A bigram the knowledge base never uses is an artefact of cutting Chinese into pairs, not a word the
// question asks about: it must not count against coverage.
function coverageOf(terms: Term[], best: SearchResult | undefined, ix: FaqIndex): number {
  if (!best) return 0;
  const matched = new Set(best.queryTerms);
  let all = 0;
  let hit = 0;
  for (const { term, bigram } of terms) {
    if (bigram && !ix.known(term)) continue;
    const w = ix.idf(term);
    all += w;
    if (matched.has(term)) hit += w;
  }
  return all === 0 ? 0 : hit / all;
}

function uniqueTerms(question: string): Term[] {
  const seen = new Map<string, Term>();
  for (const t of tokenizeDetailed(question)) {
    const prev = seen.get(t.term);
    if (!prev || (prev.bigram && !t.bigram)) seen.set(t.term, t);
  }
  return [...seen.values()];
}

/**
 * Picks the topic for a free-text question. Confidence blends how much of the question the best topic
 * explains (coverage) with how clearly it beats the runner-up (margin) and whether the match is more than one
 * incidental word (strength), so an off-topic question sharing a word with a topic and a question torn between
 * two topics both come out low.
 */
export function matchQuestion(question: string): TopicMatch {
  index ??= buildIndex();
  const terms = uniqueTerms(question);
  if (terms.length === 0) return { topic: 'none', confidence: 1, ranked: [], coverage: 0 };
  const ix = index;
  // Typos happen in English words the knowledge base does not know; a Chinese bigram, a canonical synonym or
  // a known word is exact (and skipping them keeps fuzzy search, the costly part, to the few unknown words).
  const fuzzy = (term: string): number | false =>
    /^[a-z][a-z0-9]{4,}$/.test(term) && !isCanonicalTerm(term) && !ix.known(term) ? 0.2 : false;
  const results = ix.search.search(question, { tokenize: () => terms.map((t) => t.term), fuzzy });
  const ranked = results.map((r) => ({ topic: String(r.id), score: r.score }));
  const best = results[0];
  if (!best) return { topic: 'none', confidence: 1, ranked, coverage: 0 };
  const coverage = coverageOf(terms, best, ix);
  const intent = intentOf(String(best.id));
  if (intent) {
    // Out of scope, as sure as the best FAQ topic is unsure, measured against the intent that beat it.
    const topic = results.find((r) => !intentOf(String(r.id)));
    const c = topic ? confidenceOf(topic, best.score, coverageOf(terms, topic, ix)) : 0;
    return { topic: 'none', confidence: round2(1 - c), intent, ranked, coverage };
  }
  const confidence = confidenceOf(best, results[1]?.score ?? 0, coverage);
  if (confidence < CONFIDENCE_THRESHOLD) return { topic: 'none', confidence: round2(1 - confidence), ranked, coverage };
  return { topic: String(best.id), confidence, ranked, coverage };
}

function confidenceOf(result: SearchResult, rival: number, coverage: number): number {
  const margin = Math.max(0, (result.score - rival) / result.score);
  const strength = Math.min(1, result.score / MIN_STRONG_SCORE);
  return round2(Math.min(1, coverage * (0.55 + 0.45 * margin) * strength));
}

// Topic ids are kebab-case words, so the prefix cannot collide with one.
const INTENT_PREFIX = '_';

function intentOf(id: string): OutOfScopeIntentName | undefined {
  return id.startsWith(INTENT_PREFIX) ? (id.slice(INTENT_PREFIX.length) as OutOfScopeIntentName) : undefined;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
