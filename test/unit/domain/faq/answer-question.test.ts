import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerQuestion, detectLang, FAQ_TOPIC_IDS, listTopics } from '../../../../src/domain/faq/index.js';
import { gatherEvidence, matchQuestion } from '../../../../src/domain/faq/matcher.js';

describe('answerQuestion', () => {
  it('answers the acceptance examples', () => {
    expect(answerQuestion('迁移后可以回滚吗')).toMatchObject({ topic: 'rollback', lang: 'zh' });
    expect(answerQuestion('Will the node IP change after the runtime upgrade?')).toMatchObject({
      topic: 'ip-change',
      lang: 'en',
    });
    expect(answerQuestion("what's the weather tomorrow")).toMatchObject({ topic: 'none', lang: 'en' });
  });

  it('answers in the language of the question, key fact first', () => {
    const zh = answerQuestion('迁移后 IP 会变吗');
    expect(zh).toMatchObject({ topic: 'ip-change', lang: 'zh', title: '节点 IP 会不会变' });
    expect(zh.answer).toMatch(/^\*不会/);
    const en = answerQuestion('can we roll back to docker if it breaks');
    expect(en).toMatchObject({ topic: 'rollback', lang: 'en' });
    expect(en.answer).toMatch(/^\*No\./);
  });

  it('survives typos, synonyms and no question mark', () => {
    expect(answerQuestion('is rollbak supported').topic).toBe('rollback');
    expect(answerQuestion('can we revert to docker').topic).toBe('rollback');
    expect(answerQuestion('升级后能回退吗').topic).toBe('rollback');
    expect(answerQuestion('does the private address stay the same').topic).toBe('ip-change');
    expect(answerQuestion('how do I see container logs on a node with crictl').topic).toBe('docker-commands');
  });

  it('lists what it can answer when the question is out of scope, in the question’s language', () => {
    const en = answerQuestion('how do I write a helm chart');
    expect(en.topic).toBe('none');
    expect(en.answer).toMatch(/^I can’t answer that\. I can answer questions about:/);
    for (const t of listTopics('en')) expect(en.answer).toContain(`- ${t.title}`);
    const zh = answerQuestion('今天中午吃什么');
    expect(zh).toMatchObject({ topic: 'none', lang: 'zh' });
    for (const t of listTopics('zh')) expect(zh.answer).toContain(`- ${t.title}`);
  });

  it('declines everyday Kubernetes questions that share words with a topic', () => {
    for (const q of [
      'deploy my app to prod',
      'how do I upgrade the cluster to 1.26',
      '怎么查看 pod 的 cpu 使用率',
      'scale my deployment to 5 replicas',
      'ingress returns 502 for my service',
    ]) {
      expect(answerQuestion(q).topic, q).toBe('none');
    }
  });

  it('never files a question that names the runtime under the everyday-ops centroids', () => {
    expect(matchQuestion('helm upgrade of my release').intent).toBe('ops');
    expect(matchQuestion('helm upgrade of my release on containerd nodes').intent).toBeUndefined();
    expect(matchQuestion('kubectl top pods').intent).toBe('ops');
    expect(matchQuestion('kubectl top pods after the docker migration').intent).toBeUndefined();
  });

  it('measures whether a question names the migration and how close an out-of-scope centroid comes', () => {
    expect(gatherEvidence('will the node ip change').features.anchor).toBe(1);
    expect(gatherEvidence('how do i restart my pod').features.anchor).toBe(0);
    const nearMiss = gatherEvidence('how to restart a pod after the upgrade').features.intentRatio;
    const clear = gatherEvidence('will the node ip change after the upgrade').features.intentRatio;
    expect(nearMiss).toBeGreaterThan(clear);
  });

  it('answers very short questions when one topic explains every word', () => {
    expect(answerQuestion('dind 还能用吗').topic).toBe('docker-socket');
    expect(answerQuestion('回滚呢').topic).toBe('rollback');
    expect(answerQuestion('snapshot?').topic).toBe('snapshot');
  });

  it('sends status questions to /migrate status rather than answering them from the FAQ', () => {
    const a = answerQuestion('is the migration finished yet');
    expect(a.topic).toBe('none');
    expect(a.answer).toContain('/migrate status');
  });

  it('treats an empty or punctuation-only question as out of scope', () => {
    expect(answerQuestion('').topic).toBe('none');
    expect(answerQuestion('？？？').topic).toBe('none');
  });

  it('never throws, keeps confidence in 0..1 and picks the language by Han characters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'grapheme' }), (q) => {
        const a = answerQuestion(q);
        expect(a.confidence).toBeGreaterThanOrEqual(0);
        expect(a.confidence).toBeLessThanOrEqual(1);
        expect(a.lang).toBe(/\p{Script=Han}/u.test(q) ? 'zh' : 'en');
        expect([...FAQ_TOPIC_IDS, 'none']).toContain(a.topic);
        expect(a.answer.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('listTopics and detectLang', () => {
  it('lists every topic with a title in the asked language', () => {
    expect(listTopics('en').map((t) => t.id)).toEqual([...FAQ_TOPIC_IDS]);
    expect(listTopics('zh').find((t) => t.id === 'rollback')?.title).toBe('能否回滚');
  });

  it('detects Chinese by Han characters, even in a mostly English question', () => {
    expect(detectLang('docker ps 用什么替代')).toBe('zh');
    expect(detectLang('what replaces docker ps')).toBe('en');
  });
});
