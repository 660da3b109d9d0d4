import { AppError } from '../errors.js';
import { type Checked, inRange, type Range } from './bounds.js';

/** Whole days, hours, minutes and seconds, each at most once and in that order: `90s`, `10m`, `1h30m`, `2d`. */
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
const UNIT_SECONDS = [86_400, 3600, 60, 1];

/**
 * Parses durations such as `90s`, `10m`, `24h`, `1h30m` into seconds; `0` alone is 0. No signs, fractions,
 * exponents or spaces inside, and nothing that does not fit a safe integer (docs/contracts.md#command-grammar).
 * `checkDuration` adds the range of a flag or setting.
 */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const match = trimmed === '' ? null : DURATION.exec(trimmed);
  if (!match) {
    throw new AppError('BAD_INPUT', `${quoted(text)} is not a duration`, {
      hint: 'use e.g. 30s, 10m, 24h or 1h30m',
    });
  }
  let total = 0;
  UNIT_SECONDS.forEach((unit, i) => {
    total += Number(match[i + 1] ?? 0) * unit;
  });
  if (!Number.isSafeInteger(total)) {
    throw new AppError('BAD_INPUT', `${quoted(trimmed)} is too long a duration`);
  }
  return total;
}

/** A value as a message shows it: quoted with escapes (so it stays on one line), cut at 40 characters. */
function quoted(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
}

/** `86400` → `24h`, `604800` → `7d`: the form a person would type. */
export function durationText(seconds: number): string {
  return seconds > 86_400 && seconds % 86_400 === 0 ? `${seconds / 86_400}d` : formatDuration(seconds);
}

/** A duration text checked against `range` (seconds), for flags and settings (docs/contracts.md#command-grammar). */
export function checkDuration(text: string, range: Range): Checked {
  let seconds: number;
  try {
    seconds = parseDuration(text);
  } catch {
    const between = `between ${durationText(range.min)} and ${durationText(range.max)}`;
    return { ok: false, reason: `must be a duration ${between} such as 90s, 10m or 1h30m` };
  }
  return inRange(seconds, range, durationText);
}
