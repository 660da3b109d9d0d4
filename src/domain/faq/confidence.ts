/**
 * How likely the best FAQ topic is what was asked, from six measurements of the match. A logistic model
 * fitted on the development questions (tools/faq/fit-confidence.ts prints fresh weights), so the
 * confidence reads roughly as the chance that the best topic is the right answer.
 */
export interface MatchFeatures {
  /** Share of the question's information (IDF-weighted terms) the topic explains, 0..1. */
  coverage: number;
  /** How far the topic's score is ahead of the next result, relative to its own, 0..1. */
  margin: number;
  /** ln(1 + BM25 score): a match on one incidental word scores low. */
  logScore: number;
  /** Share of the question's words the knowledge base knows at all, 0..1: low for other subjects. */
  knownShare: number;
  /** 1 when the question names a migration concept (docker, snapshot, node pool …; anchors.ts), else 0. */
  anchor: number;
  /** The best out-of-scope centroid's score relative to the topic's, 0..1: high for near-miss ops questions. */
  intentRatio: number;
}

// Chosen on the development sets (0.2–0.4 all do about as well); below 0.5 because a declined in-scope
// question costs as much as a wrong answer, and the out-of-scope questions that get this far are rare.
export const CONFIDENCE_THRESHOLD = 0.3;

/**
 * A short question ("会不会有downtime", "快照选不选") scores low however right its topic is: BM25 sums over
 * few words. When the topic explains every word of the question and is clearly ahead of the next result, a
 * lower bar applies. On the development sets no out-of-scope question has that profile.
 */
export const CLEAR_MATCH_THRESHOLD = 0.1;
const CLEAR_COVERAGE = 0.99;
const CLEAR_MARGIN = 0.5;

/** The confidence a match needs to be answered. */
export function thresholdFor(f: MatchFeatures): number {
  return f.coverage >= CLEAR_COVERAGE && f.margin >= CLEAR_MARGIN ? CLEAR_MATCH_THRESHOLD : CONFIDENCE_THRESHOLD;
}

export const CONFIDENCE_WEIGHTS = {
  bias: -8.76,
  coverage: 0.96,
  margin: 1.68,
  logScore: 1.62,
  knownShare: 0.19,
  anchor: 1.03,
  intentRatio: -1.06,
};

export function confidence(f: MatchFeatures): number {
  const w = CONFIDENCE_WEIGHTS;
  const z =
    w.bias +
    w.coverage * f.coverage +
    w.margin * f.margin +
    w.logScore * f.logScore +
    w.knownShare * f.knownShare +
    w.anchor * f.anchor +
    w.intentRatio * f.intentRatio;
  return 1 / (1 + Math.exp(-z));
}
