import type { ParseArgsConfig } from 'node:util';
import { ignoredThreadsWarning, parseBackend as parseBackendFlag, parseThreads as parseThreadsFlag, type BackendChoice } from './backend_flags.js';
import { didYouMean } from './did_you_mean.js';
import { UsageError } from './errors.js';
import { integerIn as integerFlag, invalidChoice, invalidValue as invalidFlagValue } from './flag_values.js';
import { parseModelCommand, type ModelCommand, type ModelCommandName } from './model_args.js';
import { parseStrict, type ValueParsers } from './parse_strict.js';
import { RECIPES } from './recipes.js';
import { parseEarlyStopping, parseLrSchedule, parseOptimizer, parseQuantize, type OptimizerName, type QuantizeName, type ScheduleSpec } from './training_flags.js';

/** The commands kerasm knows, in the order help lists them. */
export const COMMANDS = ['train', 'evaluate', 'predict', 'summary'] as const;

/** Topics `kerasm help` knows. */
export type HelpTopic = 'main' | 'train' | ModelCommandName;

/** Everything `kerasm train` needs, validated. */
export interface TrainOptions extends BackendChoice {
  epochs: number;
  batchSize: number;
  /** Hidden units of the first Dense layer. */
  units: number;
  learningRate: number;
  /** Seeds weight initialization and shuffling, so a run repeats exactly. */
  seed: number;
  /** Fraction of the training data held out for validation, in [0, 1). */
  validationSplit: number;
  verbose: 0 | 1;
  json: boolean;
  /** Whether to enable the V8 flag for relaxed SIMD before the kernels load. */
  relaxedSimd: boolean;
  /** A folder to save the trained model to (TensorFlow.js LayersModel format), if any. */
  save?: string;
  /** Stores --save's weights quantized (and without the optimizer state), for a smaller download. */
  quantize?: QuantizeName;
  /** Which network to train: the reference MLP, the Keras CNN, or a small residual network. */
  model: ModelName;
  /** The optimizer, by its `km.optimizers` name, at `learningRate`. */
  optimizer: OptimizerName;
  /** A learning-rate schedule starting from `learningRate`, if any (the model's recipe may set one). */
  lrSchedule?: ScheduleSpec;
  /** EarlyStopping's patience in epochs (restoring the best weights), if any. */
  earlyStopping?: number;
  /** An experiment file (`--config`) that sets the data, model, compile and fit settings. */
  config?: string;
  /** A folder for `km.callbacks.backupAndRestore`: an interrupted run started again resumes from it. */
  backupDir?: string;
  /** A folder for `km.callbacks.tensorBoard`'s event files (`train/`, `validation/`). */
  tensorboard?: string;
}

/** Networks `kerasm train --model` builds. */
export const MODEL_NAMES = ['mlp', 'cnn', 'resnet'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** A parsed command line. */
export type Command =
  | { kind: 'help'; topic: HelpTopic }
  | { kind: 'version'; json: boolean }
  | { kind: 'train'; options: TrainOptions; warnings: string[] }
  | Exclude<ModelCommand, { kind: 'help' }>;

/** Defaults of `kerasm train`: the reference program (other models take their batch size, rate and schedule from their recipe). */
export const TRAIN_DEFAULTS: Readonly<TrainOptions> = Object.freeze({
  epochs: 5,
  batchSize: RECIPES.mlp.batchSize,
  units: 64,
  learningRate: RECIPES.mlp.learningRate,
  seed: 1,
  validationSplit: 0,
  verbose: 1,
  json: false,
  relaxedSimd: true,
  backend: 'wasm',
  model: 'mlp',
  optimizer: 'adam',
});

/** Inclusive bounds of the integer flags; help quotes them too. */
export const LIMITS = {
  epochs: { min: 1, max: 1000 },
  batchSize: { min: 1, max: 60000 },
  units: { min: 1, max: 4096 },
  seed: { min: 0, max: 2 ** 32 - 1 },
  learningRateMax: 1,
} as const;

const MAIN_HELP = 'kerasm --help';
const TRAIN_HELP = 'kerasm train --help';

const MAIN_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  json: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

const TRAIN_OPTIONS = {
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  units: { type: 'string' },
  'learning-rate': { type: 'string' },
  seed: { type: 'string' },
  'validation-split': { type: 'string' },
  verbose: { type: 'string' },
  json: { type: 'boolean' },
  'no-relaxed-simd': { type: 'boolean' },
  save: { type: 'string' },
  quantize: { type: 'string' },
  backend: { type: 'string' },
  model: { type: 'string' },
  threads: { type: 'string' },
  optimizer: { type: 'string' },
  'lr-schedule': { type: 'string' },
  'early-stopping': { type: 'string' },
  config: { type: 'string' },
  'backup-dir': { type: 'string' },
  tensorboard: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** Flags an experiment file replaces; giving one with --config is a usage error. */
const SET_BY_CONFIG = ['epochs', 'batch-size', 'units', 'learning-rate', 'seed', 'validation-split', 'model', 'optimizer', 'lr-schedule', 'early-stopping'] as const;

/**
 * Turns `process.argv.slice(2)` into a {@link Command}. Pure: it reads no environment and prints
 * nothing. Throws {@link UsageError} for anything it cannot accept.
 *
 * @example
 * ```ts
 * parseCommandLine(['train', '--epochs', '2']); // { kind: 'train', options: { epochs: 2, ... }, warnings: [] }
 * ```
 */
export function parseCommandLine(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined) {
    throw new UsageError(`Missing command. Available commands: ${COMMANDS.join(', ')}.`, MAIN_HELP);
  }
  if (first.startsWith('-')) return parseMainFlags(argv);
  if (first === 'help') return parseHelpCommand(rest);
  if (first === 'train') return parseTrain(rest);
  if (first === 'evaluate' || first === 'predict' || first === 'summary') return parseModelCommand(first, rest);
  throw new UsageError(`Unknown command '${first}'${didYouMean(first, [...COMMANDS, 'help'])} Available commands: ${COMMANDS.join(', ')}.`, MAIN_HELP);
}

function parseMainFlags(argv: readonly string[]): Command {
  const { values, positionals } = parseStrict(argv, MAIN_OPTIONS, { command: 'kerasm', helpCommand: MAIN_HELP, valueParsers: {}, positionals: true });
  // `kerasm --help train` asks what `kerasm help train` does.
  if (values.help) return parseHelpCommand(positionals);
  if (!values.version) {
    throw new UsageError(`--json goes with --version or after a command: 'kerasm --version --json', or e.g. 'kerasm ${positionals[0] ?? 'train'} --json'.`, MAIN_HELP);
  }
  if (positionals.length > 0) {
    throw new UsageError(`Unexpected argument '${positionals[0]}' after --version. Run 'kerasm --version' alone, or put the command first.`, MAIN_HELP);
  }
  return { kind: 'version', json: Boolean(values.json) };
}

function parseHelpCommand(rest: readonly string[]): Command {
  if (rest.length === 0) return { kind: 'help', topic: 'main' };
  const [topic] = rest;
  if (rest.length === 1 && (COMMANDS as readonly string[]).includes(topic)) return { kind: 'help', topic: topic as HelpTopic };
  throw new UsageError(
    `No help for '${rest.join(' ')}'. Available commands: ${COMMANDS.join(', ')}.`,
    MAIN_HELP,
  );
}

function parseTrain(rest: readonly string[]): Command {
  const { values } = parseStrict(rest, TRAIN_OPTIONS, { command: 'kerasm train', helpCommand: TRAIN_HELP, valueParsers: TRAIN_VALUE_PARSERS });
  if (values.help) return { kind: 'help', topic: 'train' };

  const d = TRAIN_DEFAULTS;
  const model = optional(values.model, d.model, parseModel);
  const recipe = RECIPES[model];
  const options: TrainOptions = {
    epochs: optional(values.epochs, d.epochs, parseEpochs),
    batchSize: optional(values['batch-size'], recipe.batchSize, parseBatchSize),
    units: optional(values.units, d.units, parseUnits),
    learningRate: optional(values['learning-rate'], recipe.learningRate, parseLearningRate),
    seed: optional(values.seed, d.seed, parseSeed),
    validationSplit: optional(values['validation-split'], d.validationSplit, parseValidationSplit),
    verbose: optional(values.verbose, d.verbose, parseVerbose),
    json: values.json ?? d.json,
    relaxedSimd: values['no-relaxed-simd'] ? false : d.relaxedSimd,
    backend: optional(values.backend, d.backend, parseBackend),
    model,
    optimizer: optional(values.optimizer, d.optimizer, parseOptimizer),
  };
  const schedule = values['lr-schedule'];
  if (schedule === undefined) {
    if (recipe.cosineDecay) options.lrSchedule = { name: 'cosineDecay', args: {}, overRun: true };
  } else if (schedule.trim() !== 'constant') {
    options.lrSchedule = parseLrSchedule(schedule);
  }
  if (values['early-stopping'] !== undefined) options.earlyStopping = parseEarlyStopping(values['early-stopping']);
  if (values.config !== undefined) {
    if (values.config.trim() === '') throw invalidValue('--config', values.config, 'the path of an experiment JSON file, e.g. --config examples/blobs.json');
    const clash = SET_BY_CONFIG.filter((flag) => values[flag] !== undefined);
    if (clash.length > 0) {
      throw new UsageError(`--config sets the data, model, compile and fit settings; --${clash.join(', --')} cannot be given with it. Set ${clash.length > 1 ? 'them' : 'it'} in the config file instead.`, TRAIN_HELP);
    }
    options.config = values.config;
  }
  if (values.save !== undefined) {
    if (values.save.trim() === '' || /\.(json|keras|h5|hdf5)$/i.test(values.save)) throw invalidValue('--save', values.save, 'a folder to save the model to (it then holds model.json and the weights), e.g. --save models/mnist');
    options.save = values.save;
  }
  if (values.quantize !== undefined) {
    if (values.save === undefined) throw new UsageError('--quantize sets how --save stores the weights; give --save DIR with it, e.g. --save models/mnist --quantize uint8.', TRAIN_HELP);
    options.quantize = parseQuantize(values.quantize);
  }
  if (values['backup-dir'] !== undefined) {
    if (values['backup-dir'].trim() === '') throw invalidValue('--backup-dir', values['backup-dir'], 'a folder to keep the training backup in, e.g. --backup-dir backup/mnist');
    options.backupDir = values['backup-dir'];
  }
  if (values.tensorboard !== undefined) {
    if (values.tensorboard.trim() === '') throw invalidValue('--tensorboard', values.tensorboard, 'a folder for the TensorBoard event files, e.g. --tensorboard logs/run-1');
    options.tensorboard = values.tensorboard;
  }
  if (values.threads !== undefined) options.threads = parseThreads(values.threads);

  const warnings: string[] = [];
  if (options.json && values.verbose !== undefined && options.verbose === 1) {
    warnings.push('--verbose 1 is ignored with --json: stdout carries only the JSON line, so the progress bar is off.');
  }
  warnings.push(...ignoredThreadsWarning(options));
  if (values.units !== undefined && model !== 'mlp') {
    warnings.push(`--units is ignored with --model ${model}: it sets the hidden units of the mlp's first Dense layer only.`);
  }
  if (options.json) options.verbose = 0;
  return { kind: 'train', options, warnings };
}

function optional<T>(raw: string | undefined, fallback: T, parse: (raw: string) => T): T {
  return raw === undefined ? fallback : parse(raw);
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

const parseBackend = (raw: string) => parseBackendFlag(raw, TRAIN_HELP);

const parseEpochs = (raw: string) => integerIn('--epochs', raw, LIMITS.epochs);
const parseBatchSize = (raw: string) => integerIn('--batch-size', raw, LIMITS.batchSize);
const parseUnits = (raw: string) => integerIn('--units', raw, LIMITS.units);
const parseSeed = (raw: string) => integerIn('--seed', raw, LIMITS.seed);
const parseThreads = (raw: string) => parseThreadsFlag(raw, TRAIN_HELP);

const integerIn = (flag: string, raw: string, range: { min: number; max: number }) => integerFlag(flag, raw, range, TRAIN_HELP);

function parseLearningRate(raw: string): number {
  const value = decimal(raw);
  if (!(value > 0 && value <= LIMITS.learningRateMax)) {
    throw invalidValue('--learning-rate', raw, `a number greater than 0 and at most ${LIMITS.learningRateMax}, e.g. 0.001`);
  }
  return value;
}

function parseValidationSplit(raw: string): number {
  const value = decimal(raw);
  if (!(value >= 0 && value < 1)) {
    throw invalidValue('--validation-split', raw, 'a number from 0 (inclusive) to 1 (exclusive), e.g. 0.1');
  }
  return value;
}

function parseVerbose(raw: string): 0 | 1 {
  const value = raw.trim();
  if (value === '0') return 0;
  if (value === '1') return 1;
  throw invalidValue('--verbose', raw, '0 (no progress bar) or 1 (progress bar per epoch)');
}

function parseModel(raw: string): ModelName {
  const value = raw.trim() as ModelName;
  if ((MODEL_NAMES as readonly string[]).includes(value)) return value;
  throw invalidChoice('--model', raw, MODEL_NAMES, TRAIN_HELP);
}

/** A decimal number, or NaN for anything else (hex, `Infinity`, empty), so range checks reject it. */
function decimal(raw: string): number {
  return DECIMAL.test(raw.trim()) ? Number(raw) : Number.NaN;
}

const invalidValue = (flag: string, raw: string, expected: string) => invalidFlagValue(flag, raw, expected, TRAIN_HELP);

/** Value parsers by long option name, so a value parseArgs calls ambiguous (`--seed -1`) still gets checked. */
const TRAIN_VALUE_PARSERS: ValueParsers = {
  epochs: parseEpochs,
  'batch-size': parseBatchSize,
  units: parseUnits,
  'learning-rate': parseLearningRate,
  seed: parseSeed,
  'validation-split': parseValidationSplit,
  verbose: parseVerbose,
  model: parseModel,
  threads: parseThreads,
  optimizer: parseOptimizer,
  'lr-schedule': parseLrSchedule,
  'early-stopping': parseEarlyStopping,
  quantize: parseQuantize,
};
