import { AFTER_TOPICS } from './knowledge/after.js';
import { PLANNING_TOPICS } from './knowledge/planning.js';
import { SAFETY_TOPICS } from './knowledge/safety.js';
import type { FaqTopic } from './types.js';

/** Every FAQ topic, in the order the "I can answer questions about" list shows them. */
export const FAQ_TOPICS: readonly FaqTopic[] = [...PLANNING_TOPICS, ...SAFETY_TOPICS, ...AFTER_TOPICS];

export const FAQ_TOPIC_IDS: readonly string[] = FAQ_TOPICS.map((t) => t.id);

const BY_ID = new Map(FAQ_TOPICS.map((t) => [t.id, t]));

export function findTopic(id: string): FaqTopic | undefined {
  return BY_ID.get(id);
}
