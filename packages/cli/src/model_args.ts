import type { ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';
import { parseStrict } from './parse_strict.js';

/** Commands that work on a saved model folder. */
export type ModelCommandName = 'evaluate' | 'predict' | 'summary';

/** `kerasm evaluate DIR`. */
export interface EvaluateOptions {
  dir: string;
  batchSize: number;
  json: boolean;
  relaxedSimd: boolean;
}

/** `kerasm predict DIR`: the first `count` test images, or the image(s) in `input`. */
export interface PredictOptions {
  dir: string;
  count: number;
  input?: string;
  json: boolean;
  relaxedSimd: boolean;
}

/** `kerasm summary DIR`. */
export interface SummaryOptions {
  dir: string;
  json: boolean;
  relaxedSimd: boolean;
}

export type ModelCommand =
  | { kind: 'evaluate'; options: EvaluateOptions }
  | { kind: 'predict'; options: PredictOptions }
  | { kind: 'summary'; options: SummaryOptions }
  | { kind: 'help'; topic: ModelCommandName };

export const MODEL_LIMITS = { count: { min: 1, max: 10000 }, batchSize: { min: 1, max: 10000 } } as const;
export const EVALUATE_BATCH_SIZE = 64;
export const PREDICT_COUNT = 10;

const COMMON = {
  json: { type: 'boolean' },
  'no-relaxed-simd': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const OPTIONS = {
  evaluate: { ...COMMON, 'batch-size': { type: 'string' } },
  predict: { ...COMMON, count: { type: 'string' }, input: { type: 'string' } },
  summary: COMMON,
} as const;

/** Parses the flags and the model folder of `evaluate`, `predict` and `summary`. */
export function parseModelCommand(name: ModelCommandName, rest: readonly string[]): ModelCommand {
  const helpCommand = `kerasm ${name} --help`;
  const parsers = {
    'batch-size': (raw: string) => integerIn('--batch-size', raw, MODEL_LIMITS.batchSize, helpCommand),
    count: (raw: string) => integerIn('--count', raw, MODEL_LIMITS.count, helpCommand),
  };
  const { values, positionals } = parseStrict(rest, OPTIONS[name], { command: `kerasm ${name}`, helpCommand, valueParsers: parsers, positionals: true });
  const flags = values as Record<string, string | boolean | undefined>;
  if (flags.help) return { kind: 'help', topic: name };
  if (positionals.length !== 1) {
    const received = positionals.length === 0 ? 'none' : positionals.map((p) => `'${p}'`).join(', ');
    throw new UsageError(`'kerasm ${name}' needs exactly one model folder (as written by 'kerasm train --save DIR'). Received: ${received}.`, helpCommand);
  }
  const base = { dir: positionals[0], json: Boolean(flags.json), relaxedSimd: !flags['no-relaxed-simd'] };
  if (name === 'evaluate') {
    const raw = flags['batch-size'] as string | undefined;
    return { kind: 'evaluate', options: { ...base, batchSize: raw === undefined ? EVALUATE_BATCH_SIZE : parsers['batch-size'](raw) } };
  }
  if (name === 'predict') {
    const [count, input] = [flags.count as string | undefined, flags.input as string | undefined];
    if (count !== undefined && input !== undefined) {
      throw new UsageError(`Pass --count (first N test images) or --input FILE (your own image), not both. Received: --count ${count} --input ${input}.`, helpCommand);
    }
    const options: PredictOptions = { ...base, count: count === undefined ? PREDICT_COUNT : parsers.count(count) };
    if (input !== undefined) {
      if (!/\.(png|json)$/i.test(input)) throw new UsageError(`Invalid value for --input: received '${input}', expected a .png image or a .json array of pixel values.`, helpCommand);
      options.input = input;
    }
    return { kind: 'predict', options };
  }
  return { kind: 'summary', options: base };
}

function integerIn(flag: string, raw: string, range: { min: number; max: number }, helpCommand: string): number {
  const value = /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new UsageError(`Invalid value for ${flag}: received '${raw}', expected an integer from ${range.min} to ${range.max}.`, helpCommand);
  }
  return value;
}
