import type * as km from '@kerasm/sdk';
import type { UsageError } from './errors.js';
import { invalidChoice, invalidValue } from './flag_values.js';

/** Optimizers `--optimizer` and a config's `compile.optimizer` accept (the SDK's names). */
export const OPTIMIZER_NAMES = ['adam', 'adamw', 'sgd', 'rmsprop', 'adagrad', 'adamax', 'nadam', 'adadelta', 'lion', 'ftrl', 'lamb', 'adafactor'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** Dtypes `--quantize` stores the saved weights as (`model.save`'s `quantize`). */
export const QUANTIZE_DTYPES = ['uint8', 'uint16', 'float16'] as const satisfies readonly km.io.QuantizeDType[];
export type QuantizeName = (typeof QUANTIZE_DTYPES)[number];

/** Learning-rate schedules `--lr-schedule` accepts: `km.optimizers.schedules` by name. */
export const SCHEDULE_NAMES = ['exponentialDecay', 'inverseTimeDecay', 'polynomialDecay', 'piecewiseConstantDecay', 'cosineDecay', 'cosineDecayRestarts'] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

/** A schedule and its arguments; `initialLearningRate` defaults to the run's learning rate. */
export interface ScheduleSpec {
  name: ScheduleName;
  args: Record<string, number | boolean | number[]>;
  /** decaySteps is every step of the run (known once the data and batch size are). */
  overRun?: true;
}

/**
 * The arguments each schedule cannot do without, and a spec that passes them. cosineDecay and
 * polynomialDecay need none: they reach their end value after decaySteps, so without it they
 * decay over the whole run.
 */
const REQUIRED_ARGS: Readonly<Record<ScheduleName, { keys: readonly string[]; example: string }>> = {
  exponentialDecay: { keys: ['decaySteps', 'decayRate'], example: 'exponentialDecay:decaySteps=1000,decayRate=0.9' },
  inverseTimeDecay: { keys: ['decaySteps', 'decayRate'], example: 'inverseTimeDecay:decaySteps=1000,decayRate=0.5' },
  polynomialDecay: { keys: [], example: 'polynomialDecay:decaySteps=1000' },
  piecewiseConstantDecay: { keys: ['boundaries', 'values'], example: 'piecewiseConstantDecay:boundaries=1000/2000,values=1e-3/5e-4/1e-4' },
  cosineDecay: { keys: [], example: 'cosineDecay:decaySteps=1000' },
  cosineDecayRestarts: { keys: ['firstDecaySteps'], example: 'cosineDecayRestarts:firstDecaySteps=1000' },
};

const TRAIN_HELP = 'kerasm train --help';
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

const invalid = (flag: string, raw: string, expected: string): UsageError => invalidValue(flag, raw, expected, TRAIN_HELP);

export function parseOptimizer(raw: string): OptimizerName {
  const value = raw.trim().toLowerCase();
  if ((OPTIMIZER_NAMES as readonly string[]).includes(value)) return value as OptimizerName;
  throw invalidChoice('--optimizer', raw, OPTIMIZER_NAMES, TRAIN_HELP);
}

export function parseQuantize(raw: string): QuantizeName {
  const value = raw.trim().toLowerCase();
  if ((QUANTIZE_DTYPES as readonly string[]).includes(value)) return value as QuantizeName;
  throw invalidChoice('--quantize', raw, QUANTIZE_DTYPES, TRAIN_HELP);
}

function scheduleValue(flag: string, raw: string, key: string, text: string): number | boolean | number[] {
  if (text === 'true' || text === 'false') return text === 'true';
  const parts = text.split('/');
  if (parts.every((p) => NUMBER.test(p))) return parts.length === 1 ? Number(parts[0]) : parts.map(Number);
  throw invalid(flag, raw, `${key}=<number>, true/false, or a list like 1000/2000; '${text}' is none of these`);
}

/**
 * Parses `NAME[:key=value,...]`, e.g. `cosineDecay:decaySteps=2000,alpha=0.1` or
 * `piecewiseConstantDecay:boundaries=1000/2000,values=0.01/0.005/0.001`. cosineDecay and
 * polynomialDecay without decaySteps span the whole run (`overRun`), for `--lr-schedule` and a
 * config's `compile.optimizer.learningRate` alike.
 */
export function parseLrSchedule(raw: string, flag = '--lr-schedule'): ScheduleSpec {
  const [name, rest = ''] = raw.trim().split(/:(.*)/s);
  if (!(SCHEDULE_NAMES as readonly string[]).includes(name)) {
    throw invalid(flag, raw, `NAME[:key=value,...] with NAME one of ${SCHEDULE_NAMES.join(', ')}, e.g. exponentialDecay:decaySteps=1000,decayRate=0.9`);
  }
  const args: ScheduleSpec['args'] = {};
  for (const pair of rest.split(',').filter((p) => p.trim() !== '')) {
    const match = /^\s*([A-Za-z]+)\s*=\s*(\S+)\s*$/.exec(pair);
    if (!match) throw invalid(flag, raw, `key=value pairs after '${name}:', separated by commas; '${pair}' is not one`);
    args[match[1]] = scheduleValue(flag, raw, match[1], match[2]);
  }
  const { keys, example } = REQUIRED_ARGS[name as ScheduleName];
  const spansRun = keys.length === 0 && !('decaySteps' in args);
  const missing = keys.filter((key) => !(key in args));
  if (missing.length > 0) throw invalid(flag, raw, `${name} with its ${missing.join(' and ')}, e.g. ${example}`);
  return { name: name as ScheduleName, args, ...(spansRun ? { overRun: true as const } : {}) };
}

export function parseEarlyStopping(raw: string): number {
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value > 1000) throw invalid('--early-stopping', raw, 'a patience in epochs, an integer from 0 to 1000, e.g. --early-stopping 3');
  return value;
}
