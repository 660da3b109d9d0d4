/**
 * The range of every number and duration a person types: chat flags, CLI flags and config file settings
 * (docs/contracts.md#command-grammar, docs/contracts.md#config-file-ack_migrate_config). Each parser checks its
 * value against these ranges while parsing (durations through checkDuration), so nothing out of range
 * reaches a queue, a timer or a Date.
 */
import { ACK_MAX_PARALLEL } from './batch-schedule.js';

/** Inclusive bounds. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

const DAY = 86_400;

export const LIMITS = {
  /** Nodes per batch: ACK upgrades at most 10 nodes of a pool at once; above that is refused, never clamped. */
  maxParallel: { min: 1, max: ACK_MAX_PARALLEL },
  /** Seconds to wait after each verified batch. */
  soakSeconds: { min: 0, max: DAY },
  /** Seconds an approval (or cleanup) request stays valid. */
  approvalTtlSeconds: { min: 1, max: 7 * DAY },
  planNodes: { min: 1, max: 10_000 },
  minutesPerBatch: { min: 1, max: 600 },
  historyLimit: { min: 1, max: 1000 },
  workerConcurrency: { min: 1, max: 64 },
  port: { min: 0, max: 65_535 },
  /** BullMQ's lock duration and stalled-job check interval. */
  queueMs: { min: 100, max: 600_000 },
  /** `sandbox --scale NODESxPODS`. */
  scaleNodes: { min: 1, max: 10_000 },
  scalePodsPerNode: { min: 0, max: 110 },
  maintenanceWindows: { min: 0, max: 50 },
} as const satisfies Record<string, Range>;

/** Real seconds per simulated second, or the factor on every wait: more than 0, at most 1. */
const TIME_SCALE_TEXT = 'a number greater than 0 and at most 1';

/** A checked value, or why it was refused: `must be between 1 and 10` (the caller names the flag). */
export type Checked = { ok: true; value: number } | { ok: false; reason: string };

/** Digits only: no sign, no fraction, no exponent, no hex, no trailing text. */
const WHOLE = /^\d+$/;
/** A plain decimal with an optional exponent (`0.05`, `.5`, `1e-3`), for the time scale only. */
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;

export function checkWholeNumber(text: string, range: Range): Checked {
  if (!WHOLE.test(text)) return { ok: false, reason: `must be a whole number between ${range.min} and ${range.max}` };
  return inRange(Number(text), range, String);
}

export function checkTimeScale(text: string): Checked {
  const n = DECIMAL.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(n > 0 && n <= 1)) return { ok: false, reason: `must be ${TIME_SCALE_TEXT}, e.g. 0.05` };
  return { ok: true, value: n };
}

/** The one-line refusal: `--soak must be between 0s and 24h (got 99999999h)`. */
export function refusal(flag: string, text: string, reason: string): string {
  return `${flag} ${reason} (got ${shown(text)})`;
}

/** A value as a message shows it: plain when it is plain, else quoted with escapes; cut at 40 characters. */
export function shown(text: string): string {
  const cut = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return /^[\w.:+-]+$/.test(cut) ? cut : JSON.stringify(cut);
}

/** `value` if it lies in `range`, else why not, with the bounds shown by `format`. */
export function inRange(value: number, range: Range, format: (n: number) => string): Checked {
  if (value < range.min || value > range.max)
    return { ok: false, reason: `must be between ${format(range.min)} and ${format(range.max)}` };
  return { ok: true, value };
}
