import { didYouMean } from './did_you_mean.js';
import { UsageError } from './errors.js';

/** The usage error for a flag's value: what was received and what is accepted. */
export function invalidValue(flag: string, raw: string, expected: string, helpCommand: string): UsageError {
  return new UsageError(`Invalid value for ${flag}: received '${raw}', expected ${expected}.`, helpCommand);
}

/** The usage error for a flag's value that is none of `choices`, with the one likely meant. */
export function invalidChoice(flag: string, raw: string, choices: readonly string[], helpCommand: string): UsageError {
  return new UsageError(`Invalid value for ${flag}: received '${raw}', expected one of ${choices.join(', ')}${didYouMean(raw.trim(), choices)}`, helpCommand);
}

/** A flag's value as an integer within `range` (inclusive); anything else is a usage error. */
export function integerIn(flag: string, raw: string, range: { min: number; max: number }, helpCommand: string): number {
  const value = /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw invalidValue(flag, raw, `an integer from ${range.min} to ${range.max}`, helpCommand);
  }
  return value;
}
