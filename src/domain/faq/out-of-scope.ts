import { OPS_GROUPS, OUT_OF_SCOPE } from './content/index.js';

/**
 * Things people say in a migration thread that are not FAQ questions. They are indexed next to the topics so
 * that "is it done yet" is recognised as a status question (answered by `/migrate status`, never by the FAQ),
 * "thanks" as small talk, "帮我重启一下" as a request to operate something and "scale my app" as an everyday ops
 * question, instead of being forced onto the closest topic. When one of these wins, the answer is `none`.
 * Several entries may share an intent: each is its own document, a centroid of near misses. The phrases are data:
 * content/out-of-scope-ops.json (the ops centroids) and content/out-of-scope.json (the rest).
 */
export type OutOfScopeIntentName = 'status' | 'smalltalk' | 'request' | 'ops';

export interface OutOfScopeIntent {
  intent: OutOfScopeIntentName;
  phrases: string[];
}

export const OUT_OF_SCOPE_INTENTS: OutOfScopeIntent[] = [
  ...OPS_GROUPS.map((g) => ({ intent: 'ops' as const, phrases: [...g.phrases] })),
  ...OUT_OF_SCOPE.map((o) => ({ intent: o.intent, phrases: [...o.phrases] })),
];
