/** The forms of REDIS_URL (src/config/redis-url.ts, docs/contracts.md#configuration). */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { parseRedisUrl, redisClientFields } from '../../../src/config/redis-url.js';

describe('REDIS_URL forms', () => {
  it('a plain URL, with or without TLS and a password', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379/2')).toMatchObject({ kind: 'single', tls: false });
    expect(parseRedisUrl('rediss://:s3cret@redis.internal:6380')).toMatchObject({
      kind: 'single',
      tls: true,
      password: 's3cret',
    });
    expect(redisClientFields('redis://127.0.0.1:6379')).toEqual({});
  });

  it('a Sentinel set naming the master, its db and the Sentinels’ own password', () => {
    const t = parseRedisUrl(
      'redis+sentinel://app:p%40ss@10.0.0.1:26379,10.0.0.2,[::1]:26380/mymaster/3?sentinelPassword=sp',
    );
    expect(t).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      name: 'mymaster',
      db: 3,
      sentinelPassword: 'sp',
      username: 'app',
      password: 'p@ss',
      tls: false,
    });
    expect(redisClientFields('rediss+sentinel://h:1/m')).toMatchObject({ name: 'm', enableTLSForSentinelMode: true });
  });

  it('a Redis Cluster by any of its nodes', () => {
    expect(parseRedisUrl('redis+cluster://:pw@n1:7000,n2:7001')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
      password: 'pw',
      tls: false,
    });
  });

  it('refuses what is none of them, naming the variable', () => {
    for (const bad of ['http://x', 'redis+sentinel://h:26379', 'redis+cluster://h:7000/1', 'redis://h:99999'])
      expect(() => loadConfig({ REDIS_URL: bad }), bad).toThrow(/REDIS_URL/);
  });

  it('on a cluster, a queue prefix without a {hash tag} is refused; the password is a secret', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis+cluster://n1:7000', ACK_MIGRATE_QUEUE_PREFIX: 'plain' })).toThrow(
      /ACK_MIGRATE_QUEUE_PREFIX.*hash tag/,
    );
    const config = loadConfig({ REDIS_URL: 'redis+sentinel://:m4ster@h:26379/m?sentinelPassword=s3nt' });
    expect(config.secrets).toEqual(expect.arrayContaining(['m4ster', 's3nt']));
  });
});
