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
    // Filesystem prefixes say nothing about the topic: /var/lib/kubelet is about the kubelet, not /var/lib.
    expect(tokenize('/var/lib/docker')).toEqual(['docker']);
    expect(tokenize('/var/lib/kubelet')).toEqual(['kubelet']);
    expect(tokenize('mount /var/run/docker.sock')).toContain('dockersock');
  });

  it('binds a number to its unit: minutes are one term, a count of nodes is just nodes', () => {
    expect(tokenize('drain timeout 30 minutes')).toContain('30min');
    expect(tokenize('排水超过 30 分钟')).toContain('30min');
    expect(tokenize('快照超过40分钟')).toContain('40min');
    expect(tokenize('how long for 30 nodes')).not.toContain('30');
    expect(tokenize('100个节点要多久')).toEqual(expect.arrayContaining(['node', 'duration']));
    expect(tokenize('100个节点要多久')).not.toContain('100');
    expect(tokenize('why 1 then 2 then 4')).toEqual(['why', '1', '2', '4']);
    expect(tokenize('k8s 1.24')).toEqual(['k8s', '1.24']);
  });

  it('reads 挂载 as mounting, not as going down', () => {
    expect(tokenize('挂载 docker.sock')).toEqual(['mount', 'dockersock']);
    expect(tokenize('服务会挂吗')).toContain('impact');
  });

  it('reads "docker <subcommand>" as the Docker CLI, whatever the verb means elsewhere', () => {
    expect(tokenize('docker rmi')).toEqual(['dockercli', 'rmi']);
    expect(tokenize('docker logs')).toEqual(['dockercli', 'log']);
    // Building stays building: docker build has no CLI equivalent on the node.
    expect(tokenize('docker build')).toEqual(['docker', 'build']);
  });
});
