import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log/logger.js';
import { describeRedisError, redisEndpoint, redisErrorLog } from '../../../src/log/redis-errors.js';

/** What ioredis rejects with and emits when AUTH fails: the password rides along on `command.args`. */
function wrongPass(): Error {
  return Object.assign(new Error('WRONGPASS invalid username-password pair or user is disabled.'), {
    name: 'ReplyError',
    command: { name: 'auth', args: ['ackm', 'hunter2-secret'] },
  });
}

function sink(): { logger: ReturnType<typeof createLogger>; lines: () => string[] } {
  let out = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination: stream }), lines: () => out.split('\n').filter(Boolean) };
}

describe('redis errors', () => {
  it('names the endpoint, never the credentials', () => {
    expect(redisEndpoint('redis://ackm:hunter2-secret@10.0.0.5:6380/0')).toBe('10.0.0.5:6380');
    expect(redisEndpoint('rediss://:pw@redis.internal')).toBe('redis.internal:6379');
    expect(redisEndpoint('not a url hunter2')).toBe('REDIS_URL');
  });

  it.each([
    [wrongPass(), 'Redis at h:1 refused the password (WRONGPASS): check the password in REDIS_URL'],
    [new Error('NOAUTH Authentication required.'), 'Redis at h:1 requires a password (NOAUTH): put it in REDIS_URL'],
    [
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:6380'), { code: 'ECONNREFUSED' }),
      'Redis at h:1 is not reachable (ECONNREFUSED)',
    ],
    [
      new Error('connecting to redis://u:hunter2-secret@h:1 failed'),
      'Redis at h:1: connecting to redis://u:[REDACTED]@h:1 failed',
    ],
  ])('describes %s in one line', (error, line) => {
    expect(describeRedisError(error, 'h:1')).toBe(line);
  });

  it('logs a repeated line once, then once per interval with the count of repeats, never the error object', () => {
    const { logger, lines } = sink();
    let t = 0;
    const errors = redisErrorLog({
      url: 'redis://:hunter2-secret@127.0.0.1:6390',
      logger,
      repeatMs: 30_000,
      now: () => t,
    });
    for (let i = 0; i < 16; i++) {
      errors(wrongPass());
      t += 750;
    }
    expect(lines()).toHaveLength(1);
    t = 31_000;
    errors(wrongPass());
    const logged = lines().map((l) => JSON.parse(l) as { msg: string; repeats?: number; redis: string });
    expect(logged.map((l) => l.msg)).toEqual([
      'Redis at 127.0.0.1:6390 refused the password (WRONGPASS): check the password in REDIS_URL',
      'Redis at 127.0.0.1:6390 refused the password (WRONGPASS): check the password in REDIS_URL',
    ]);
    expect(logged[1]?.repeats).toBe(15);
    expect(lines().join('\n')).not.toContain('hunter2');
  });

  it('explains a command that ran out of retries by the connection error behind it', () => {
    const errors = redisErrorLog({ url: 'redis://127.0.0.1:6390' });
    const exhausted = new Error('Reached the max retries per request limit (which is 3).');
    expect(errors.explain(exhausted)).toBe(
      'Redis at 127.0.0.1:6390: Reached the max retries per request limit (which is 3).',
    );
    errors(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390'), { code: 'ECONNREFUSED' }));
    expect(errors.explain(exhausted)).toBe('Redis at 127.0.0.1:6390 is not reachable (ECONNREFUSED)');
    expect(errors.explain(wrongPass())).toMatch(/refused the password/);
  });
});
