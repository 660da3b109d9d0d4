import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/domain/duration.js';
import { isAppError } from '../../../src/errors.js';

function refused(text: string): boolean {
  try {
    parseDuration(text);
  } catch (error) {
    if (!isAppError(error) || error.code !== 'BAD_INPUT') throw error;
    expect(error.message).not.toContain('\n');
    return true;
  }
  return false;
}

describe('parseDuration', () => {
  it.each([
    ['90s', 90],
    ['10m', 600],
    ['24h', 86_400],
    ['1h30m', 5400],
    ['2d', 172_800],
    ['1d2h3m4s', 93_784],
    ['0s', 0],
    ['0', 0],
    [' 10m ', 600],
  ])('reads %j as %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each([
    '',
    'forever',
    '10',
    '-1h',
    '+1h',
    '1.5h',
    '0.5m',
    '1e3s',
    '0x10s',
    '10M',
    '1 h',
    '1h 30m',
    '30m1h',
    '1h1h',
    '1w',
    '1hh',
    'h',
    '12abc',
    '10m\nsoak',
  ])('refuses %j with one line', (text) => {
    expect(refused(text)).toBe(true);
  });

  it('refuses a duration that does not fit a safe integer instead of returning Infinity or a rounded number', () => {
    expect(refused(`${'9'.repeat(400)}d`)).toBe(true);
    expect(refused('99999999999999999999s')).toBe(true);
  });

  it('property: any d/h/m/s combination in order parses to its sum', () => {
    const part = fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined });
    fc.assert(
      fc.property(fc.tuple(part, part, part, part), ([d, h, m, s]) => {
        fc.pre([d, h, m, s].some((x) => x !== undefined));
        const text = `${d ?? ''}${d === undefined ? '' : 'd'}${h ?? ''}${h === undefined ? '' : 'h'}${m ?? ''}${m === undefined ? '' : 'm'}${s ?? ''}${s === undefined ? '' : 's'}`;
        expect(parseDuration(text)).toBe((d ?? 0) * 86_400 + (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0));
      }),
    );
  });

  it('property: formatDuration output parses back (to the minute from an hour on, as it is shown)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 * 86_400 }), (seconds) => {
        expect(parseDuration(formatDuration(seconds))).toBe(seconds < 3600 ? seconds : seconds - (seconds % 60));
      }),
    );
  });

  it('property: text with anything but digits and d/h/m/s is refused, never a number', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 12 }).filter((t) => /[^0-9dhms\s]/.test(t.trim())),
        (text) => {
          expect(refused(text)).toBe(true);
        },
      ),
    );
  });
});
