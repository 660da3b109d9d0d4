import { InvalidArgumentError } from 'commander';
import { type Checked, checkTimeScale, checkWholeNumber, type Range } from '../domain/bounds.js';
import { checkDuration } from '../domain/duration.js';

/**
 * commander parsers for numeric flags: each value is checked against its range while commander parses the
 * command line (docs/contracts.md#command-grammar), so a bad value is one line on stderr and exit 2 before the
 * command connects to anything. commander's line names the flag and the value; the reason names the range.
 */
function parser(check: (value: string) => Checked) {
  return (value: string): number => {
    const checked = check(value);
    if (!checked.ok) throw new InvalidArgumentError(`${checked.reason}.`);
    return checked.value;
  };
}

/** A whole number in `range` (digits only: no sign, fraction, exponent or hex). */
export function intOption(range: Range) {
  return parser((value) => checkWholeNumber(value, range));
}

/** A duration such as `10m` or `1h30m` in `range` (seconds). */
export function durationOption(range: Range) {
  return parser((value) => checkDuration(value, range));
}

/** A time scale: greater than 0, at most 1. */
export const timeScaleOption = parser(checkTimeScale);
