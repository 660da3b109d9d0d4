import { describe, expect, it } from 'vitest';
import { normalize, stem, tokenize } from '../../../../src/domain/faq/tokenize.js';

describe('FAQ tokenizer', () => {
  it('cuts Chinese into words and bigrams, without particles', () => {
    const terms = tokenize('节点上的数据会丢吗');
    expect(terms).toContain('node');
    expect(terms).toContain('data');
    expect(terms).toContain('lose');
    expect(terms).not.toContain('吗');
    expect(terms.some((t) => t.includes('的'))).toBe(false);
  });

  it('meets synonyms in both languages in one term', () => {
    for (const q of ['回滚', '回退', 'roll back', 'rolled back', 'revert', 'undo', '撤销']) {
      expect(tokenize(q), q).toEqual(['rollback']);
    }
    expect(tokenize('IP 地址')).toEqual(['ip', 'ip']);
    expect(tokenize('系统盘')).toEqual(tokenize('system disk'));
    expect(tokenize('数据盘')).toEqual(tokenize('data disks'));
  });

  it('handles a mixed question and full-width punctuation', () => {
    expect(tokenize('迁移后 IP 会变吗？')).toEqual(expect.arrayContaining(['migrate', 'ip', 'change']));
    expect(normalize('ＩＰ，会变吗？')).toBe('ip 会变吗 ');
  });

  it('stems English lightly and consistently', () => {
    expect(stem('images')).toBe(stem('image'));
    expect(stem('changed')).toBe(stem('change'));
    expect(stem('wiped')).toBe(stem('wipe'));
    expect(stem('running')).toBe('run');
    expect(stem('apps')).toBe('app');
    expect(stem('status')).toBe('status');
  });

  it('drops stop words and keeps paths and file names apart', () => {
    expect(tokenize('is it the')).toEqual([]);
    expect(tokenize('/var/lib/docker')).toEqual(['var', 'lib', 'docker']);
    expect(tokenize('mount /var/run/docker.sock')).toContain('dockersock');
  });
});
