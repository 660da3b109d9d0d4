import { ANCHORS } from './content/index.js';

/**
 * Index terms (after synonyms) that tie a question to the runtime migration (content/anchors.json). A question
 * naming one of them is far more likely to be an FAQ question than an everyday Kubernetes one that shares its
 * other words ("pod", "upgrade", "restart"): the confidence model weighs it (see confidence.ts).
 */
export const ANCHOR_TERMS: ReadonlySet<string> = new Set(ANCHORS.anchorTerms);

/**
 * The anchors that name the runtime itself. The everyday-ops centroids never win over a question naming one
 * ("do our helm charts need changes for containerd" is a migration question, whatever else it mentions).
 */
export const RUNTIME_TERMS: ReadonlySet<string> = new Set(ANCHORS.runtimeTerms);
