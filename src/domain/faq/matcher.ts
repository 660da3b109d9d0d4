import MiniSearch, { type SearchResult } from 'minisearch';
import { ANCHOR_TERMS, RUNTIME_TERMS } from './anchors.js';
import { confidence, type MatchFeatures, thresholdFor } from './confidence.js';
import { FAQ_TOPICS } from './knowledge-base.js';
import { OUT_OF_SCOPE_INTENTS, type OutOfScopeIntentName } from './out-of-scope.js';
import { type Corrector, makeCorrector } from './spelling.js';
import { type Term, tokenize, tokenizeDetailed } from './tokenize.js';

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

/** How the index weighs fields and term frequency; the defaults were chosen on the development sets. */
export interface IndexParams {
  boost: { title: number; questions: number; answer: number };
  /** BM25: k saturates term frequency, b normalises by field length, d is the BM25+ floor. */
  bm25: { k: number; b: number; d: number };
}

export const DEFAULT_INDEX_PARAMS: IndexParams = {
  boost: { title: 2, questions: 3, answer: 0.3 },
  bm25: { k: 1.2, b: 0.7, d: 0.5 },
};

export interface FaqIndex {
  search: MiniSearch<TopicDoc>;
  idf: (term: string) => number;
  known: (term: string) => boolean;
  correct: Corrector;
}

/** Builds the search index over the topics and the out-of-scope intents (once per process, ~150 ms). */
export function buildIndex(params: IndexParams = DEFAULT_INDEX_PARAMS): FaqIndex {
  const docs: TopicDoc[] = FAQ_TOPICS.map((t) => ({
    id: t.id,
    title: `${t.title.zh}\n${t.title.en}`,
    questions: [...t.questions.zh, ...t.questions.en].join('\n'),
    answer: `${t.answer.zh}\n${t.answer.en}`,
  }));
  OUT_OF_SCOPE_INTENTS.forEach((o, i) => {
    docs.push({
      id: `${INTENT_PREFIX}${o.intent}${INTENT_SEPARATOR}${i}`,
      title: '',
      questions: o.phrases.join('\n'),
      answer: '',
    });
  });
  const search = new MiniSearch<TopicDoc>({
    fields: ['title', 'questions', 'answer'],
    tokenize,
    processTerm: (term) => term,
    searchOptions: {
      boost: params.boost,
      bm25: params.bm25,
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
    correct: makeCorrector(df),
  };
}

let index: FaqIndex | undefined;

function defaultIndex(): FaqIndex {
  index ??= buildIndex();
  return index;
}

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

// Typos happen in English words: an unknown word one or two edits from a knowledge-base word is that word.
// Chinese bigrams and known words are exact.
function uniqueTerms(question: string, ix: FaqIndex): Term[] {
  const seen = new Map<string, Term>();
  for (const raw of tokenizeDetailed(question)) {
    const t = raw.bigram || ix.known(raw.term) ? raw : { ...raw, term: ix.correct(raw.term) ?? raw.term };
    const prev = seen.get(t.term);
    if (!prev || (prev.bigram && !t.bigram)) seen.set(t.term, t);
  }
  return [...seen.values()];
}

/** What the search found for a question: the ranking and the evidence for its best FAQ topic. */
export interface Evidence {
  ranked: RankedTopic[];
  /** The best FAQ topic (never an out-of-scope intent), if any matched. */
  topic?: string;
  /** Set when an out-of-scope intent ranked first. */
  intent?: OutOfScopeIntentName;
  features: MatchFeatures;
}

/** Searches the index and measures how well the best FAQ topic explains the question (see confidence.ts). */
export function gatherEvidence(question: string, ix: FaqIndex = defaultIndex()): Evidence {
  const terms = uniqueTerms(question, ix);
  const empty: MatchFeatures = { coverage: 0, margin: 0, logScore: 0, knownShare: 0, anchor: 0, intentRatio: 0 };
  if (terms.length === 0) return { ranked: [], features: empty };
  const found = ix.search.search(question, { tokenize: () => terms.map((t) => t.term) });
  // The ops centroids stand for everyday questions that are not about the runtime: one that names the runtime
  // ("do our helm charts need changes for containerd") is a migration question, whatever else it mentions.
  const aboutRuntime = terms.some((t) => RUNTIME_TERMS.has(t.term));
  const results = aboutRuntime ? found.filter((r) => intentOf(String(r.id)) !== 'ops') : found;
  const ranked = results.map((r) => ({ topic: String(r.id), score: r.score }));
  const intent = results[0] ? intentOf(String(results[0].id)) : undefined;
  const i = results.findIndex((r) => !intentOf(String(r.id)));
  const best = results[i];
  if (!best) return { ranked, intent, features: empty };
  // The rival is whatever ranks next to the best topic, above it (an intent) or below it.
  const rival = i > 0 ? (results[0]?.score ?? 0) : (results[1]?.score ?? 0);
  const real = terms.filter((t) => !t.bigram || ix.known(t.term));
  const bestIntent = results.find((r) => intentOf(String(r.id)));
  const features: MatchFeatures = {
    coverage: coverageOf(terms, best, ix),
    margin: Math.max(0, (best.score - rival) / best.score),
    logScore: Math.log1p(best.score),
    knownShare: real.length === 0 ? 0 : real.filter((t) => ix.known(t.term)).length / real.length,
    anchor: terms.some((t) => ANCHOR_TERMS.has(t.term)) ? 1 : 0,
    intentRatio: bestIntent ? Math.min(1, bestIntent.score / best.score) : 0,
  };
  return { ranked, topic: String(best.id), intent, features };
}

/**
 * Picks the topic for a free-text question, or `none` when the best topic is not likely enough to be what was
 * asked (or a status question, small talk or a request ranked first).
 */
export function matchQuestion(question: string): TopicMatch {
  const e = gatherEvidence(question);
  const p = e.topic ? confidence(e.features) : 0;
  const base = { ranked: e.ranked, coverage: e.features.coverage };
  if (e.intent) return { topic: 'none', confidence: round2(1 - p), intent: e.intent, ...base };
  if (!e.topic || p < thresholdFor(e.features)) return { topic: 'none', confidence: round2(1 - p), ...base };
  return { topic: e.topic, confidence: round2(p), ...base };
}

// Topic ids are kebab-case words, so the prefix cannot collide with one; the separator keeps the ids of several
// documents of one intent apart (`_ops#0`, `_ops#1`).
const INTENT_PREFIX = '_';
const INTENT_SEPARATOR = '#';

function intentOf(id: string): OutOfScopeIntentName | undefined {
  if (!id.startsWith(INTENT_PREFIX)) return undefined;
  return id.slice(INTENT_PREFIX.length).split(INTENT_SEPARATOR)[0] as OutOfScopeIntentName;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
