import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Command, parseCommand } from '../../../src/domain/command-grammar.js';

const good: Array<[string, Command]> = [
  ['/migrate precheck pool-a', { verb: 'precheck', pool: 'pool-a' }],
  ['migrate precheck pool-a --cluster c-demo', { verb: 'precheck', pool: 'pool-a', cluster: 'c-demo' }],
  ['<@U0BOT> /migrate plan pool-a --max-parallel 4', { verb: 'plan', pool: 'pool-a', maxParallel: 4 }],
  ['@ack-bot  migrate status', { verb: 'status' }],
  ['status pool-b', { verb: 'status', pool: 'pool-b' }],
  [
    '/migrate start pool-a --max-parallel=2 --snapshot --soak 10m',
    { verb: 'start', pool: 'pool-a', maxParallel: 2, snapshot: true, soakSeconds: 600, mode: 'in-place' },
  ],
  [
    '/migrate start pool-b --mode rotate',
    { verb: 'start', pool: 'pool-b', snapshot: false, soakSeconds: 0, mode: 'rotate' },
  ],
  ['/migrate pause pool-a', { verb: 'pause', pool: 'pool-a' }],
  ['/migrate RESUME pool-a', { verb: 'resume', pool: 'pool-a' }],
  ['/migrate abort pool-a', { verb: 'abort', pool: 'pool-a' }],
  ['/migrate history', { verb: 'history' }],
  ['/migrate cleanup np-a1', { verb: 'cleanup', pool: 'np-a1' }],
  ['/migrate faq can we roll back?', { verb: 'faq', question: 'can we roll back?' }],
  ['/migrate ask 迁移后可以回滚吗', { verb: 'faq', question: '迁移后可以回滚吗' }],
  ['/migrate help', { verb: 'help' }],
  ['/migrate', { verb: 'help' }],
  // A question where a command was expected is one for the FAQ.
  ['/migrate how do I roll back?', { verb: 'faq', question: 'how do I roll back?' }],
  ['What happens to my pods', { verb: 'faq', question: 'What happens to my pods' }],
  ['<@U0BOT> does the node IP change', { verb: 'faq', question: 'does the node IP change' }],
  ['/migrate 迁移后可以回滚吗', { verb: 'faq', question: '迁移后可以回滚吗' }],
  ['/migrate frobnicate pool-a?', { verb: 'faq', question: 'frobnicate pool-a?' }],
];

const badInput: Array<[string, RegExp]> = [
  ['/migrate frobnicate pool-a', /unknown command "frobnicate"/],
  ['/migrate hello there', /unknown command "hello"/],
  ['/migrate precheck', /precheck needs a pool name/],
  ['/migrate precheck Pool_A', /not a valid pool name/],
  ['/migrate precheck -pool', /not a valid pool name|unknown flag/],
  [`/migrate precheck ${'a'.repeat(64)}`, /not a valid pool name/],
  ['/migrate precheck pool-a --bogus', /unknown flag/],
  ['/migrate precheck pool-a --max-parallel 0', /--max-parallel must be .*between 1 and 10 \(got 0\)/],
  ['/migrate precheck pool-a --max-parallel abc', /--max-parallel must be a whole number between 1 and 10/],
  ['/migrate start pool-a --mode sideways', /--mode must be in-place or rotate/],
  ['/migrate start pool-a --soak forever', /--soak must be a duration .*\(got forever\)/],
  ['/migrate pause', /pause needs a pool name/],
  ['/migrate pause pool-a pool-b', /unexpected "pool-b"/],
  ['/migrate faq', /faq needs a question/],
  ['/migrate start pool-a --cluster "c;rm"', /not a cluster id/],
  [`/migrate faq ${'x'.repeat(1000)}`, /longer than 1000 characters/],
];

describe('command grammar', () => {
  it.each(good)('parses %j', (text, expected) => {
    expect(parseCommand(text)).toEqual({ ok: true, command: expected });
  });

  it.each(badInput)('refuses %j with a one-line error and the usage', (text, message) => {
    const result = parseCommand(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(message);
    expect(result.error).toMatch(/Usage: \/migrate/);
    expect(result.error).not.toContain('\n');
  });
});

/** Every number and duration has a range, checked while parsing (docs/contracts.md#command-grammar). */
describe('command grammar bounds', () => {
  const refusal = (text: string): string => {
    const result = parseCommand(text);
    if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to be refused, got ${JSON.stringify(result)}`);
    expect(result.error).not.toContain('\n');
    return result.error;
  };

  it.each([
    ['--soak 1000000000d', '--soak must be between 0s and 24h (got 1000000000d)'],
    ['--soak 99999999h', '--soak must be between 0s and 24h (got 99999999h)'],
    ['--soak 99999h', '--soak must be between 0s and 24h (got 99999h)'],
    ['--soak 2d', '--soak must be between 0s and 24h (got 2d)'],
    ['--soak 24h1s', '--soak must be between 0s and 24h (got 24h1s)'],
    ['--max-parallel 99', '--max-parallel must be between 1 and 10 (got 99)'],
    ['--max-parallel 11', '--max-parallel must be between 1 and 10 (got 11)'],
    ['--max-parallel 99999999999999999999', '--max-parallel must be between 1 and 10 (got 99999999999999999999)'],
  ])('start %s: one line naming the flag, the value and the range, then the usage', (flags, reason) => {
    expect(refusal(`/migrate start pool-a ${flags}`)).toBe(
      `${reason}. Usage: /migrate start <pool> [--cluster ID] [--max-parallel N] [--snapshot] [--soak 10m] [--mode in-place|rotate]`,
    );
  });

  it.each([
    ['1e3', /must be a whole number between 1 and 10 \(got 1e3\)/],
    ['0x10', /must be a whole number between 1 and 10 \(got 0x10\)/],
    ['12abc', /must be a whole number between 1 and 10 \(got 12abc\)/],
    ['-1', /must be a whole number between 1 and 10/],
    ['2.0', /must be a whole number between 1 and 10 \(got 2\.0\)/],
    ['+2', /must be a whole number between 1 and 10/],
  ])('refuses --max-parallel %s', (value, message) => {
    for (const verb of ['precheck', 'plan', 'start']) {
      expect(refusal(`/migrate ${verb} pool-a --max-parallel=${value}`)).toMatch(message);
    }
  });

  it.each(['-1h', '1.5h', '1h_30m', '10', 'NaN', 'Infinity', '1e9s'])(
    'refuses --soak=%s as not a duration',
    (value) => {
      expect(refusal(`/migrate start pool-a --soak=${value}`)).toMatch(/^--soak must be a duration /);
    },
  );

  it('accepts the edges of each range', () => {
    expect(parseCommand('/migrate start pool-a --soak 24h --max-parallel 10')).toMatchObject({
      ok: true,
      command: { soakSeconds: 86_400, maxParallel: 10 },
    });
    expect(parseCommand('/migrate start pool-a --soak 1d --max-parallel 1')).toMatchObject({
      ok: true,
      command: { soakSeconds: 86_400, maxParallel: 1 },
    });
    expect(parseCommand('/migrate start pool-a --soak 0s')).toMatchObject({ ok: true, command: { soakSeconds: 0 } });
  });

  it('quotes a shown value that is not plain, and cuts a long one', () => {
    expect(refusal(`/migrate start pool-a --soak=${'9'.repeat(200)}h`)).toMatch(/\(got "9{40}…"\)\. Usage/);
  });

  it('property: --soak is accepted exactly when it is a duration of at most 24h', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), fc.constantFrom('s', 'm', 'h', 'd'), (n, unit) => {
        const seconds = n * { s: 1, m: 60, h: 3600, d: 86_400 }[unit];
        const result = parseCommand(`/migrate start pool-a --soak ${n}${unit}`);
        if (seconds <= 86_400) expect(result).toMatchObject({ ok: true, command: { soakSeconds: seconds } });
        else
          expect(result).toMatchObject({
            ok: false,
            error: expect.stringMatching(/^--soak must be between 0s and 24h/),
          });
      }),
    );
  });

  it('property: --max-parallel is accepted exactly when it is a plain whole number from 1 to 10', () => {
    fc.assert(
      fc.property(fc.oneof(fc.nat().map(String), fc.string({ minLength: 1, maxLength: 8 })), (value) => {
        fc.pre(!/\s|^-/.test(value));
        const result = parseCommand(`/migrate plan pool-a --max-parallel=${value}`);
        const good = /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 10;
        expect(result.ok).toBe(good);
        if (good) expect(result).toMatchObject({ command: { maxParallel: Number(value) } });
      }),
    );
  });
});

describe('typed decisions (docs/contracts.md#command-grammar)', () => {
  it('parses approve|reject <pool> [batch N], with --cluster', () => {
    expect(parseCommand('/migrate approve pool-x')).toEqual({ ok: true, command: { verb: 'approve', pool: 'pool-x' } });
    expect(parseCommand('@bot migrate reject pool-x batch 3 --cluster c-1')).toEqual({
      ok: true,
      command: { verb: 'reject', pool: 'pool-x', batch: 3, cluster: 'c-1' },
    });
  });

  it('refuses a missing pool, a stray word, a batch that is not a whole number, and extra words', () => {
    for (const text of [
      '/migrate approve',
      '/migrate approve pool-x now',
      '/migrate approve pool-x batch',
      '/migrate approve pool-x batch 0',
      '/migrate approve pool-x batch 1e3',
      '/migrate reject pool-x batch 2 please',
    ]) {
      const result = parseCommand(text);
      expect(result.ok, text).toBe(false);
      if (!result.ok) expect(result.error).toMatch(/Usage: \/migrate (approve|reject) <pool> \[batch N\]/);
    }
  });
});
