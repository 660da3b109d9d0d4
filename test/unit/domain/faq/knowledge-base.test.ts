import { describe, expect, it } from 'vitest';
import { FAQ_TOPIC_IDS, FAQ_TOPICS, findTopic, PHRASE_FAMILIES } from '../../../../src/domain/faq/knowledge-base.js';

const HAN = /\p{Script=Han}/u;
const REQUIRED = [
  'why-migrate',
  'methods',
  'process',
  'batch-duration',
  'batch-size',
  'snapshot',
  'business-impact',
  'rollback',
  'data-loss',
  'ip-change',
  'compatibility',
  'dockerfile',
  'docker-build',
  'docker-commands',
  'docker-dir-cleanup',
  'test-first',
];

describe('FAQ knowledge base', () => {
  it('has every required topic, with unique kebab-case ids', () => {
    for (const id of REQUIRED) expect(FAQ_TOPIC_IDS).toContain(id);
    expect(new Set(FAQ_TOPIC_IDS).size).toBe(FAQ_TOPIC_IDS.length);
    for (const id of FAQ_TOPIC_IDS) expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });

  it('has a paraphrase family of 10+ phrases per language for every topic, and none for unknown ids', () => {
    expect(Object.keys(PHRASE_FAMILIES).sort()).toEqual([...FAQ_TOPIC_IDS].sort());
    for (const t of FAQ_TOPICS) {
      expect(t.questions.zh.length, t.id).toBeGreaterThanOrEqual(14);
      expect(t.questions.en.length, t.id).toBeGreaterThanOrEqual(14);
      expect(new Set(t.questions.zh).size, t.id).toBe(t.questions.zh.length);
      expect(new Set(t.questions.en).size, t.id).toBe(t.questions.en.length);
    }
  });

  it.each(FAQ_TOPICS.map((t) => [t.id, t] as const))('%s is answered in both languages, short', (_id, t) => {
    expect(t.answer.zh).toMatch(HAN);
    expect(t.answer.en).not.toMatch(HAN);
    expect(t.title.zh).toMatch(HAN);
    expect(t.title.en).not.toMatch(HAN);
    // Key fact first: every answer opens with a bold lead sentence.
    expect(t.answer.zh.startsWith('*')).toBe(true);
    expect(t.answer.en.startsWith('*')).toBe(true);
    for (const text of [t.answer.zh, t.answer.en]) {
      expect(text.length).toBeLessThan(900);
      // Only the markdown subset every platform renders: *bold*, `code`, "- " lists.
      expect(text).not.toMatch(/\*\*|^#|\[[^\]]*\]\(|^\d+\. /m);
      expect((text.match(/`/g) ?? []).length % 2).toBe(0);
    }
    expect(t.questions.zh.length).toBeGreaterThanOrEqual(4);
    expect(t.questions.en.length).toBeGreaterThanOrEqual(4);
    for (const q of t.questions.zh) expect(q).toMatch(HAN);
    for (const q of t.questions.en) expect(q).not.toMatch(HAN);
  });

  it('states the facts of the ACK guide', () => {
    expect(findTopic('rollback')?.answer.en).toMatch(/^\*No\b/);
    expect(findTopic('rollback')?.answer.zh).toMatch(/^\*不支持回退/);
    expect(findTopic('ip-change')?.answer.en).toMatch(/IP address stays the same/);
    expect(findTopic('batch-duration')?.answer.en).toMatch(/8 minutes/);
    expect(findTopic('snapshot')?.answer.en).toMatch(/40 minutes/);
    expect(findTopic('batch-size')?.answer.zh).toMatch(/1、2、4、8/);
    expect(findTopic('data-loss')?.answer.en).toMatch(/Data disks are kept/);
  });

  it('maps the everyday docker commands to crictl', () => {
    const en = findTopic('docker-commands')?.answer.en ?? '';
    for (const [docker, crictl] of [
      ['docker ps', 'crictl ps'],
      ['docker images', 'crictl images'],
      ['docker logs', 'crictl logs'],
      ['docker exec -it', 'crictl exec -it'],
      ['docker inspect', 'crictl inspect'],
      ['docker stats', 'crictl stats'],
    ]) {
      expect(en).toContain(`\`${docker}\` → \`${crictl}`);
    }
    expect(en).toContain('-n k8s.io');
  });
});
