import anchors from './anchors.json' with { type: 'json' };
import outOfScope from './out-of-scope.json' with { type: 'json' };
import outOfScopeOps from './out-of-scope-ops.json' with { type: 'json' };
import phrasesAfter from './phrases-after.json' with { type: 'json' };
import phrasesPlanning from './phrases-planning.json' with { type: 'json' };
import phrasesSafety from './phrases-safety.json' with { type: 'json' };
import { parseContent } from './schema.js';
import synonyms from './synonyms.json' with { type: 'json' };
import synonymsPhrasing from './synonyms-phrasing.json' with { type: 'json' };
import topicsAfter from './topics-after.json' with { type: 'json' };
import topicsPlanning from './topics-planning.json' with { type: 'json' };
import topicsSafety from './topics-safety.json' with { type: 'json' };

/**
 * The FAQ's content, one concept per JSON file in this folder, each checked against its schema (schema.ts) as
 * it loads. The files are plain ES module imports, so the domain stays free of I/O and the build copies them
 * along with the code.
 */
export const PLANNING_TOPICS = parseContent('topics-planning.json', topicsPlanning).topics;
export const SAFETY_TOPICS = parseContent('topics-safety.json', topicsSafety).topics;
export const AFTER_TOPICS = parseContent('topics-after.json', topicsAfter).topics;

export const PLANNING_PHRASES = parseContent('phrases-planning.json', phrasesPlanning).families;
export const SAFETY_PHRASES = parseContent('phrases-safety.json', phrasesSafety).families;
export const AFTER_PHRASES = parseContent('phrases-after.json', phrasesAfter).families;

export const CONCEPT_SYNONYMS = parseContent('synonyms.json', synonyms).groups;
export const PHRASING_SYNONYMS = parseContent('synonyms-phrasing.json', synonymsPhrasing).groups;

export const OUT_OF_SCOPE = parseContent('out-of-scope.json', outOfScope).intents;
export const OPS_GROUPS = parseContent('out-of-scope-ops.json', outOfScopeOps).groups;

export const ANCHORS = parseContent('anchors.json', anchors);
