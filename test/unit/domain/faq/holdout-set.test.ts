import { describe, expect, it } from 'vitest';
import { FAQ_TOPIC_IDS } from '../../../../src/domain/faq/knowledge-base.js';
import { ALL_SETS, evaluate, loadEvalSet } from './load-eval-set.js';

/**
 * Holdout sets: questions written before the FAQ was tuned on them, each measured once to estimate how it does
 * on questions from real people, then used for development.
 * - holdout-set: written with the eval set before any tuning; measured once at 89.6% (60/67). Its misses were
 *   then read and fixed in general terms, so it is a development set now.
 * - holdout-set-2: written after that, before those fixes; measured once at 82.3% (51/62), then read and fixed
 *   in general terms (vocabulary: 划分, 照常, 验证, security group, where …): a development set now.
 * - holdout-set-3: written after that, before those fixes; measured once at 79.0% (49/62), then read: the
 *   confidence became a logistic model fitted on the development sets, plus vocabulary fixes.
 * - holdout-set-4: written after that, before those changes; measured once at 85.4% (41/48), then read and
 *   fixed in general terms (undone, 做法, safe, pool names mean status questions).
 * - holdout-set-5: written after that (102 questions, 20 out of scope, many near-miss Kubernetes ones), before
 *   the next changes; measured once at 76.5% (78/102). Then the FAQ changed in general terms: paraphrase
 *   families (14+ phrases per language per topic), out-of-scope ops centroids, a typo corrector, numbers
 *   bound to units, a lower bar for short questions one topic fully explains, refitted confidence.
 * - holdout-set-6: written after those changes, before measuring them on it; measured once at 85.5% (71/83)
 *   (the code before holdout-set-5's changes scores 83.1% on it). Then fixed in general terms: filler words
 *   (across, exactly, 大家), hours/小时, dev/演练, night/周末, another pool; ops centroids never beat a topic
 *   when the question names the runtime (docker, containerd …); more ops centroids (resources, scheduling).
 * - holdout-set-7: written after holdout-6 was measured, before the changes that followed; measured once at
 *   81.7% (67/82). Then: vocabulary (强在哪, 单向, 批, base image, yaml), filler words, more ops centroids.
 * - holdout-set-8: written after holdout-7 was measured, before the changes that followed; measured once at
 *   86.6% (71/82). Then: two confidence features, `anchor` (the question names a migration concept) and
 *   `intentRatio` (how close an out-of-scope centroid comes); fitted leaving holdout-8 out they already give
 *   92.7% on it. Plus `docker <subcommand>` as the Docker CLI, 重新 build as a rebuild.
 * - holdout-set-9: written after holdout-8 was measured, before the changes that followed; measured once at
 *   92.7% (76/82).
 * - holdout-set-10: written right after holdout-9's measurement with no change in between, a second look at
 *   the same FAQ: 84.1% (69/82). Then fixed with 9 in general terms: input-method slips (结点, 会滚, 快招, 镜象),
 *   "stored" no longer means "where", filesystem prefixes (var, lib) out, 加节点, 失效, 收益, more ops centroids.
 * - holdout-set-11: written after 9 and 10 were measured, before the changes that followed; measured once at
 *   81.3% (65/80). Then: 迁 alone, 模式, hung/卡死, re-initialising, ops centroids (events, auto repair, slow
 *   pulls); no fresh set has measured these last changes.
 * All are development sets now, kept as regression tests. The unbiased estimates are the first-look
 * numbers above (89.6%, 82.3%, 79.0%, 85.4%, 76.5%, 85.5%, 81.7%, 86.6%, 92.7%, 84.1%, 81.3%): since the
 * paraphrase families (holdout-6 on), 85.3% on average, 81–93% — expect about that on questions nobody
 * tuned for.
 * Never edit a holdout question to make this pass — improve the FAQ in general terms and write a new set.
 */
describe.each(ALL_SETS.filter((name) => name.startsWith('holdout-set')))('FAQ %s', (name) => {
  const cases = loadEvalSet(name);

  it('only names known topics', () => {
    expect(cases.length).toBeGreaterThanOrEqual(45);
    for (const c of cases) expect([...FAQ_TOPIC_IDS, 'none']).toContain(c.topic);
  });

  it('answers at least 90% of it right', () => {
    const r = evaluate(cases);
    console.log(`FAQ ${name}: ${r.correct}/${r.total} = ${(r.accuracy * 100).toFixed(1)}%`);
    if (r.misses.length > 0) console.log(`misses:\n${r.misses.join('\n')}`);
    expect(r.accuracy, r.misses.join('\n')).toBeGreaterThanOrEqual(0.9);
  });
});
