/**
 * Typo correction against the knowledge base's own vocabulary: "rollbak", "snaphsot", "contianerd" become the
 * word the knowledge base uses, so they count as that word (exact score, coverage, known share) instead of a
 * down-weighted fuzzy match. Only unknown Latin words of 5+ letters are corrected: shorter words have too many
 * neighbours, and a word one edit away from two vocabulary words goes to the more common one.
 */

const MIN_LENGTH = 5;
// One edit for ordinary words, two for long ones ("compatibilty" → "compatibility").
const maxEdits = (length: number): number => (length >= 9 ? 2 : 1);

/** Optimal string alignment distance (Levenshtein plus adjacent swaps), giving up above `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return limit + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

export type Corrector = (word: string) => string | undefined;

/**
 * A corrector over `vocabulary` (word → how many documents use it). Returns the vocabulary word closest to
 * `word`, or undefined when none is close enough. Results are remembered: questions repeat their typos.
 */
export function makeCorrector(vocabulary: ReadonlyMap<string, number>): Corrector {
  const byLength = new Map<number, string[]>();
  for (const w of vocabulary.keys()) {
    if (!/^[a-z]+$/.test(w) || w.length < MIN_LENGTH - 1) continue;
    const list = byLength.get(w.length) ?? [];
    list.push(w);
    byLength.set(w.length, list);
  }
  const memo = new Map<string, string | undefined>();
  return (word) => {
    if (!/^[a-z]+$/.test(word) || word.length < MIN_LENGTH) return undefined;
    if (memo.has(word)) return memo.get(word);
    const limit = maxEdits(word.length);
    let best: string | undefined;
    let bestD = limit + 1;
    let bestDf = 0;
    for (let len = word.length - limit; len <= word.length + limit; len++) {
      for (const w of byLength.get(len) ?? []) {
        const d = editDistance(word, w, limit);
        const df = vocabulary.get(w) ?? 0;
        if (d < bestD || (d === bestD && d <= limit && df > bestDf)) {
          best = w;
          bestD = d;
          bestDf = df;
        }
      }
    }
    const result = bestD <= limit ? best : undefined;
    if (memo.size > 10_000) memo.clear();
    memo.set(word, result);
    return result;
  };
}
