import {
  AFTER_PHRASES,
  AFTER_TOPICS,
  PLANNING_PHRASES,
  PLANNING_TOPICS,
  SAFETY_PHRASES,
  SAFETY_TOPICS,
} from './content/index.js';
import type { FaqTopic, PhraseFamilies } from './types.js';

/** Paraphrase families by topic id; a key that names no topic is a mistake the knowledge-base test catches. */
export const PHRASE_FAMILIES: PhraseFamilies = { ...PLANNING_PHRASES, ...SAFETY_PHRASES, ...AFTER_PHRASES };

function withFamilies(t: FaqTopic): FaqTopic {
  const extra = PHRASE_FAMILIES[t.id];
  if (!extra) return t;
  return { ...t, questions: { zh: [...t.questions.zh, ...extra.zh], en: [...t.questions.en, ...extra.en] } };
}

/**
 * Every FAQ topic (content/topics-*.json), in the order the "I can answer questions about" list shows them,
 * each with its paraphrase family (content/phrases-*.json) appended to its questions.
 */
export const FAQ_TOPICS: readonly FaqTopic[] = [...PLANNING_TOPICS, ...SAFETY_TOPICS, ...AFTER_TOPICS].map(
  withFamilies,
);

export const FAQ_TOPIC_IDS: readonly string[] = FAQ_TOPICS.map((t) => t.id);

const BY_ID = new Map(FAQ_TOPICS.map((t) => [t.id, t]));

export function findTopic(id: string): FaqTopic | undefined {
  return BY_ID.get(id);
}
