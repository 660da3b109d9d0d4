import { describe, expect, it } from 'vitest';
import { FAQ_TOPIC_IDS, FAQ_TOPICS } from '../../../../src/domain/faq/knowledge-base.js';
import { normalize } from '../../../../src/domain/faq/tokenize.js';
import { ALL_SETS, evaluate, loadEvalSet, report } from './load-eval-set.js';

const HAN = /\p{Script=Han}/u;
const cases = loadEvalSet('eval-set');

describe('FAQ evaluation set', () => {
  it('is big and varied enough to mean something', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect(cases.filter((c) => c.topic === 'none').length).toBeGreaterThanOrEqual(15);
    expect(cases.filter((c) => HAN.test(c.q)).length).toBeGreaterThanOrEqual(40);
    expect(cases.filter((c) => !HAN.test(c.q)).length).toBeGreaterThanOrEqual(40);
    for (const c of cases) expect([...FAQ_TOPIC_IDS, 'none']).toContain(c.topic);
    for (const id of FAQ_TOPIC_IDS)
      expect(
        cases.some((c) => c.topic === id),
        id,
      ).toBe(true);
  });

  it('measures generalisation: no question of any set is a knowledge-base phrase verbatim', () => {
    // Particles and spaces aside: "有几种迁移方式吗" copies "有几种迁移方式" as much as the bare form does.
    const key = (text: string) => normalize(text).replace(/[\s吗呢啊]+/g, '');
    const phrases = new Set(FAQ_TOPICS.flatMap((t) => [...t.questions.zh, ...t.questions.en]).map(key));
    const copied = ALL_SETS.flatMap((name) => loadEvalSet(name).filter((c) => phrases.has(key(c.q))));
    expect(copied).toEqual([]);
  });

  it('answers at least 90% of it right', () => {
    const r = evaluate(cases);
    report('eval', r);
    expect(r.accuracy, r.misses.join('\n')).toBeGreaterThanOrEqual(0.9);
  });
});
