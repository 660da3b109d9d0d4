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
];

const badInput: Array<[string, RegExp]> = [
  ['/migrate frobnicate pool-a', /unknown command "frobnicate"/],
  ['/migrate precheck', /precheck needs a pool name/],
  ['/migrate precheck Pool_A', /not a valid pool name/],
  ['/migrate precheck -pool', /not a valid pool name|unknown flag/],
  [`/migrate precheck ${'a'.repeat(64)}`, /not a valid pool name/],
  ['/migrate precheck pool-a --bogus', /unknown flag/],
  ['/migrate precheck pool-a --max-parallel 0', /--max-parallel must be a whole number/],
  ['/migrate precheck pool-a --max-parallel abc', /--max-parallel must be a whole number/],
  ['/migrate start pool-a --mode sideways', /--mode must be in-place or rotate/],
  ['/migrate start pool-a --soak forever', /--soak must be a duration/],
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
