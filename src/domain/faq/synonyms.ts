import { CONCEPT_SYNONYMS, PHRASING_SYNONYMS } from './content/index.js';

/**
 * A synonym group: every variant (Chinese or English, one word or a phrase) is rewritten to the canonical term(s)
 * before indexing and before searching, so "回退", "回滚", "roll back" and "revert" meet in one index term.
 * The groups are data: content/synonyms.json (domain concepts) and content/synonyms-phrasing.json (the general
 * phrasing of questions: why, must, how many, during …).
 */
export type SynonymGroup = readonly [string, readonly string[]];

const toGroup = (g: { to: string; variants: string[] }): SynonymGroup => [g.to, g.variants];

/** Domain concepts first, then general phrasing; for a variant listed twice, the later group wins. */
export const SYNONYM_GROUPS: readonly SynonymGroup[] = [...CONCEPT_SYNONYMS, ...PHRASING_SYNONYMS].map(toGroup);
