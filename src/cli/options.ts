import { InvalidArgumentError } from 'commander';

/** commander parser for flags that take a whole number ≥ 0 (or ≥ 1). */
export function intOption(min: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min) throw new InvalidArgumentError(`must be a whole number ≥ ${min}.`);
    return Number(value);
  };
}
