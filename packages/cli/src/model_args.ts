import type { ParseArgsConfig } from 'node:util';
import { ignoredThreadsWarning, parseBackend, parseThreads, type BackendChoice } from './backend_flags.js';
import { UsageError } from './errors.js';
import { integerIn } from './flag_values.js';
import { parseInputShape, parseInputShapes, type InputShapeFlag } from './input_shape_flag.js';
import { parseStrict } from './parse_strict.js';

/** Commands that work on a saved model folder. */
export type ModelCommandName = 'evaluate' | 'predict' | 'summary';

/** How a CSV file of samples is read: every column but the label column is a feature. */
export interface CsvInput {
  path: string;
  /** The column holding the targets. */
  labelColumn: string;
  /** Whether `labelColumn` was passed, rather than the default: then the column must exist. */
  labelColumnGiven: boolean;
  delimiter: string;
}

/** What loading the saved model takes: `--input-shape`'s sizes, which fix inputs' unknown dimensions. */
export interface LoadFlags {
  /** Sample shapes by input name (`--input-shape`), fixing a model's unknown input dimensions (else they take the data's sizes); absent when none was given. */
  inputShapes?: InputShapeFlag[];
}

/** `kerasm evaluate DIR`: on the MNIST test set, or on the CSV file in `data`. */
export interface EvaluateOptions extends BackendChoice, LoadFlags {
  dir: string;
  batchSize: number;
  data?: CsvInput;
  json: boolean;
  relaxedSimd: boolean;
}

/** `kerasm predict DIR`: the first `count` test images, the image(s) in `input`, or the rows of the CSV file in `csv`. */
export interface PredictOptions extends BackendChoice, LoadFlags {
  dir: string;
  count: number;
  input?: string;
  /** Flip the colors of the `input` image(s): v becomes 1 - v, for dark digits on light. */
  invert?: boolean;
  csv?: CsvInput;
  json: boolean;
  relaxedSimd: boolean;
}

/** `kerasm summary DIR`. */
export interface SummaryOptions extends LoadFlags {
  dir: string;
  json: boolean;
  relaxedSimd: boolean;
  /** List the layers of each model saved inside this one (Keras' `expand_nested`). */
  expandNested: boolean;
  /** Say whether training changes each layer's weights (Keras' `show_trainable`). */
  showTrainable: boolean;
}

export type ModelCommand =
  | { kind: 'evaluate'; options: EvaluateOptions; warnings: string[] }
  | { kind: 'predict'; options: PredictOptions; warnings: string[] }
  | { kind: 'summary'; options: SummaryOptions }
  | { kind: 'help'; topic: ModelCommandName };

export const MODEL_LIMITS = { count: { min: 1, max: 10000 }, batchSize: { min: 1, max: 10000 } } as const;
export const EVALUATE_BATCH_SIZE = 64;
export const PREDICT_COUNT = 10;
export const LABEL_COLUMN = 'label';

const COMMON = {
  json: { type: 'boolean' },
  'no-relaxed-simd': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'input-shape': { type: 'string', multiple: true },
} as const satisfies ParseArgsConfig['options'];

const CSV = {
  'label-column': { type: 'string' },
  delimiter: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

const BACKEND = {
  backend: { type: 'string' },
  threads: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

const OPTIONS = {
  evaluate: { ...COMMON, ...CSV, ...BACKEND, 'batch-size': { type: 'string' }, data: { type: 'string' } },
  predict: { ...COMMON, ...CSV, ...BACKEND, count: { type: 'string' }, input: { type: 'string' }, invert: { type: 'boolean' } },
  summary: { ...COMMON, 'expand-nested': { type: 'boolean' }, 'show-trainable': { type: 'boolean' } },
} as const;

/** Parses the flags and the model folder of `evaluate`, `predict` and `summary`. */
export function parseModelCommand(name: ModelCommandName, rest: readonly string[]): ModelCommand {
  const helpCommand = `kerasm ${name} --help`;
  const parsers = {
    'batch-size': (raw: string) => integerIn('--batch-size', raw, MODEL_LIMITS.batchSize, helpCommand),
    count: (raw: string) => integerIn('--count', raw, MODEL_LIMITS.count, helpCommand),
    backend: (raw: string) => parseBackend(raw, helpCommand),
    threads: (raw: string) => parseThreads(raw, helpCommand),
    'input-shape': (raw: string) => parseInputShape(raw, helpCommand),
    delimiter: (raw: string) => {
      if ([...raw].length !== 1 || /["\r\n]/.test(raw)) {
        throw new UsageError(`Invalid value for --delimiter: received '${raw}', expected one character other than a quote or a line break, e.g. ';' (or $'\\t' for tabs in bash).`, helpCommand);
      }
      return raw;
    },
    'label-column': (raw: string) => {
      if (raw.trim() === '') throw new UsageError(`Invalid value for --label-column: received '${raw}', expected the name of the column holding the targets.`, helpCommand);
      return raw;
    },
  };
  const { values, positionals } = parseStrict(rest, OPTIONS[name], { command: `kerasm ${name}`, helpCommand, valueParsers: parsers, positionals: true });
  const flags = values as Record<string, string | boolean | string[] | undefined>;
  if (flags.help) return { kind: 'help', topic: name };
  if (positionals.length !== 1) {
    const received = positionals.length === 0 ? 'none' : positionals.map((p) => `'${p}'`).join(', ');
    throw new UsageError(`'kerasm ${name}' needs exactly one model folder (as written by 'kerasm train --save DIR'). Received: ${received}.`, helpCommand);
  }
  const shapes = flags['input-shape'] as string[] | undefined;
  const base = { dir: positionals[0], json: Boolean(flags.json), relaxedSimd: !flags['no-relaxed-simd'], ...(shapes ? { inputShapes: parseInputShapes(shapes, helpCommand) } : {}) };
  const backend: BackendChoice = { backend: flags.backend === undefined ? 'wasm' : parsers.backend(flags.backend as string) };
  if (flags.threads !== undefined) backend.threads = parsers.threads(flags.threads as string);
  /** The CSV file `flag` names, if `given` is one; the CSV flags with any other input are a usage error. */
  const csvFlags = (given: string | undefined, flag: string): CsvInput | undefined => {
    const [labelColumn, delimiter] = [flags['label-column'] as string | undefined, flags.delimiter as string | undefined];
    const path = given !== undefined && /\.csv$/i.test(given) ? given : undefined;
    if (path === undefined) {
      const stray = labelColumn !== undefined ? '--label-column' : delimiter !== undefined ? '--delimiter' : undefined;
      const problem = given === undefined ? `no CSV file was given. Pass ${flag} FILE.csv too.` : `${flag} ${given} is not one. Drop ${stray}, or pass a .csv file to ${flag}.`;
      if (stray) throw new UsageError(`${stray} describes a CSV file, but ${problem}`, helpCommand);
      return undefined;
    }
    return {
      path,
      labelColumn: labelColumn === undefined ? LABEL_COLUMN : parsers['label-column'](labelColumn),
      labelColumnGiven: labelColumn !== undefined,
      delimiter: delimiter === undefined ? ',' : parsers.delimiter(delimiter),
    };
  };
  if (name === 'evaluate') {
    const raw = flags['batch-size'] as string | undefined;
    const data = flags.data as string | undefined;
    if (data !== undefined && !/\.csv$/i.test(data)) throw new UsageError(`Invalid value for --data: received '${data}', expected a .csv file with one sample per row and a label column.`, helpCommand);
    const options: EvaluateOptions = { ...base, ...backend, batchSize: raw === undefined ? EVALUATE_BATCH_SIZE : parsers['batch-size'](raw) };
    const csv = csvFlags(data, '--data');
    if (csv) options.data = csv;
    return { kind: 'evaluate', options, warnings: ignoredThreadsWarning(backend) };
  }
  if (name === 'predict') {
    const [count, input] = [flags.count as string | undefined, flags.input as string | undefined];
    if (count !== undefined && input !== undefined) {
      throw new UsageError(`Pass --count (first N test images) or --input FILE (your own image), not both. Received: --count ${count} --input ${input}.`, helpCommand);
    }
    const options: PredictOptions = { ...base, ...backend, count: count === undefined ? PREDICT_COUNT : parsers.count(count) };
    if (input !== undefined && !/\.(png|json|csv)$/i.test(input)) {
      throw new UsageError(`Invalid value for --input: received '${input}', expected a .png image, a .json array of pixel values or a .csv file of samples.`, helpCommand);
    }
    const csv = csvFlags(input, '--input');
    if (flags.invert && (input === undefined || csv)) {
      const problem = csv ? `--input ${input} is a CSV file of samples` : 'no --input was given (the MNIST test images are white on black already)';
      throw new UsageError(`--invert flips the colors of an --input image (.png or .json), but ${problem}. Drop --invert${csv ? '' : ', or pass --input FILE.png'}.`, helpCommand);
    }
    if (csv) options.csv = csv;
    else if (input !== undefined) options.input = input;
    if (flags.invert) options.invert = true;
    return { kind: 'predict', options, warnings: ignoredThreadsWarning(backend) };
  }
  return { kind: 'summary', options: { ...base, expandNested: Boolean(flags['expand-nested']), showTrainable: Boolean(flags['show-trainable']) } };
}
