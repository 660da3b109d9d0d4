import { SYNONYM_GROUPS } from './synonyms.js';

/**
 * Turns a question (Chinese, English or both) into index terms, the same way for the knowledge base and for
 * queries:
 * 1. NFKC (full-width → ASCII), lowercase, punctuation → space; a number bound to its unit (30min);
 * 2. synonym phrases (Chinese words, English multi-word phrases) → canonical ASCII terms;
 * 3. Han runs → the words `Intl.Segmenter('zh')` finds plus character bigrams (the segmenter alone splits
 *    domain words inconsistently: 盘里, 清|空), minus particles;
 * 4. Latin words → light stemming, stop words out, one-word synonyms → canonical terms.
 */

const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;

// Particles and question words: they say nothing about which topic is asked.
const ZH_STOP = new Set(
  (
    '吗 呢 吧 啊 呀 么 的 了 着 过 是 会 要 能 在 和 与 及 或 把 被 给 让 我 你 他 我们 你们 他们 咱们 这 那 这个 那个 一个 ' +
    '可以 能不能 会不会 是不是 有没有 要不要 怎么 怎么办 怎样 怎么样 什么 如何 哪些 哪个 还 也 都 就 请问 一下 现在 ' +
    '以后 之后 后 前 时 有 没有 不 用 上 里 中 下 吗吗 还能 还是 然后 需要 需不需要 大概 一般 具体 不到 不了 ' +
    '大家 通常 平时 到底 究竟 一遍 一下子 是啥 啥 咋 咋办 咋整 怎么回事 不能 不行 能否 可不可以 不要 要不 大约 差不多'
  ).split(' '),
);
// A bigram holding one of these characters is mostly noise ("滚吗", "的数").
const ZH_PARTICLE_CHARS = new Set([...'吗呢吧啊呀么的了我你他这那请后还怎什哪在是有不能要会去来']);

const EN_STOP = new Set(
  (
    'a an the is are am was were be been being do does did doing done we i you he she they it its our ours my me us ' +
    'your this that these those to of in on at for with and or but if so then than can could will would shall should ' +
    'may might there here what whats how when which who whom whose any some all just still also about as by ' +
    'from into out up have has had get gets got please pls tbh hey ok okay not no yes really actually now anything ' +
    'something thing things need needs want like know tell one guys team folks else ever again going gonna wanna ' +
    'after before without yet mean meaning each every per take takes taking took once quick question qq btw fyi ' +
    'anyone someone wondering curious ask asking their them theirs possible possibly go mean means exactly basically usually generally people across through via within around var lib usr etc'
  ).split(' '),
);

/** A light English stemmer: plural and -ing/-ed endings, a trailing e. Enough to meet "images" and "image". */
export function stem(word: string): string {
  let w = word;
  if (!/^[a-z]+$/.test(w)) return w;
  // Short plurals of abbreviations: ips, pvs, vms.
  if (w.length === 3 && w.endsWith('s') && w !== 'ess') return w.slice(0, -1);
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (/(ch|sh|x)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  else if ((w.endsWith('ing') && w.length >= 6) || (/[^e]ed$/.test(w) && w.length >= 5)) {
    w = w.replace(/(ing|ed)$/, '');
    // running → run, stopped → stop
    if (/([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss)$/.test(w)) w = w.slice(0, -1);
  }
  if (w.endsWith('e') && w.length >= 4) w = w.slice(0, -1);
  return w;
}

interface SynonymTables {
  phrase: RegExp;
  phraseTo: Map<string, string>;
  wordTo: Map<string, string>;
  canonical: Set<string>;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function buildTables(): SynonymTables {
  const phraseTo = new Map<string, string>();
  const wordTo = new Map<string, string>();
  const canonical = new Set<string>();
  for (const [to, variants] of SYNONYM_GROUPS) {
    for (const c of to.split(' ').filter(Boolean)) {
      canonical.add(c);
      wordTo.set(stem(c), c);
    }
    for (const v of variants) {
      if (/^[a-z0-9]+$/.test(v)) wordTo.set(stem(v), to);
      else phraseTo.set(v, to);
    }
  }
  // Longest first, so 数据盘 wins over 数据 and "pod disruption budget" over "disruption".
  const alternatives = [...phraseTo.keys()]
    .sort((a, b) => b.length - a.length)
    .map((v) => {
      const body = escapeRegExp(v);
      const start = /^[a-z0-9]/.test(v) ? '(?<![a-z0-9])' : '';
      // An English phrase also matches its plural: "data disks", "node pools".
      const end = /[a-z]$/.test(v) ? 's?(?![a-z0-9])' : /[0-9]$/.test(v) ? '(?![a-z0-9])' : '';
      return `${start}${body}${end}`;
    });
  return { phrase: new RegExp(alternatives.join('|'), 'gu'), phraseTo, wordTo, canonical };
}

let tables: SynonymTables | undefined;
let segmenter: Intl.Segmenter | undefined;

/** Lowercase, NFKC, typographic quotes gone, punctuation (except dots inside words) → space. */
export function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/[^\p{L}\p{N}.\-_/\s]/gu, ' ')
    .replace(/(?<![\p{L}\p{N}])[.\-_/]+|[.\-_/]+(?![\p{L}\p{N}])/gu, ' ');
}

/** A term and whether it is only a character bigram (most bigrams are not words: "级具", "体做"). */
export interface Term {
  term: string;
  bigram: boolean;
}

function hanTerms(run: string, out: Term[]): void {
  segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
  if (run.length === 1) {
    if (!ZH_STOP.has(run) && !ZH_PARTICLE_CHARS.has(run)) out.push({ term: run, bigram: false });
    return;
  }
  const words = new Set<string>();
  for (const s of segmenter.segment(run)) {
    if (s.isWordLike && s.segment.length >= 2 && !ZH_STOP.has(s.segment)) {
      words.add(s.segment);
      out.push({ term: s.segment, bigram: false });
    }
  }
  for (let i = 0; i + 2 <= run.length; i++) {
    const bigram = run.slice(i, i + 2);
    if (ZH_STOP.has(bigram) || ZH_PARTICLE_CHARS.has(bigram[0]!) || ZH_PARTICLE_CHARS.has(bigram[1]!)) continue;
    out.push({ term: bigram, bigram: !words.has(bigram) });
  }
}

// A node pool named in the question ("pool-a", "np-2ze…") almost always asks about that pool's migration.
const POOL_NAME = /(?<![a-z0-9-])(?:[a-z0-9]+-)*pool(?:-[a-z0-9]+)+|(?<![a-z0-9-])np-[a-z0-9]+/g;

function latinTerms(chunk: string, t: SynonymTables, out: Term[]): void {
  for (const _ of chunk.matchAll(POOL_NAME)) out.push({ term: 'poolname', bigram: false });
  for (const raw of chunk.replace(POOL_NAME, ' ').split(/[^a-z0-9.]+/)) {
    const word = raw.replace(/^\.+|\.+$/g, '');
    // Single letters are noise ("quick q"); single digits are not ("1 2 4 8").
    if (!word || /^[a-z]$/.test(word) || EN_STOP.has(word)) continue;
    if (t.canonical.has(word)) {
      out.push({ term: word, bigram: false });
      continue;
    }
    const mapped = t.wordTo.get(stem(word));
    const terms = mapped === undefined ? [stem(word)] : mapped.split(' ').filter(Boolean);
    for (const term of terms) out.push({ term, bigram: false });
  }
}

/** Index terms of a text; repeated terms are kept (term frequency matters for indexing). */
export function tokenize(text: string): string[] {
  return tokenizeDetailed(text).map((t) => t.term);
}

// A number means something only with its unit: "30 minutes" (the drain limit) is not "30 nodes" (a pool size).
// Minutes become one term ("30min"); a count of nodes is just "nodes". Other numbers (1.24, 1 2 4 8) stay.
const NUMBER_MINUTES = /(?<![a-z0-9.])(\d+)\s*(?=minutes?\b|mins?\b|分钟|min\b|m\b)/g;
const NUMBER_NODES =
  /(?<![a-z0-9.])\d+\s*(?:个(?=节点|机器|node)|(?=(?:nodes?|machines?|hosts?|instances?|servers?|vms?)\b|台|节点|多台|多个节点))/g;

function bindNumbers(text: string): string {
  return text.replace(NUMBER_MINUTES, ' $1min ').replace(NUMBER_NODES, ' ');
}

export function tokenizeDetailed(text: string): Term[] {
  tables ??= buildTables();
  const t = tables;
  const replaced = bindNumbers(normalize(text)).replace(
    t.phrase,
    (m) => ` ${t.phraseTo.get(m) ?? t.phraseTo.get(m.slice(0, -1)) ?? m} `,
  );
  const out: Term[] = [];
  let last = 0;
  for (const m of replaced.matchAll(HAN_RUN)) {
    latinTerms(replaced.slice(last, m.index), t, out);
    hanTerms(m[0], out);
    last = m.index + m[0].length;
  }
  latinTerms(replaced.slice(last), t, out);
  return out;
}

export function hasHan(text: string): boolean {
  return HAN.test(text);
}
