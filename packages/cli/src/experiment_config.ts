import { MODEL_NAMES, type ModelName } from './args.js';
import { UsageError } from './errors.js';
import { OPTIMIZER_NAMES, parseLrSchedule, type OptimizerName, type ScheduleSpec } from './training_flags.js';

/** A layer of a config's `model` list: a `km.layers` factory name and its arguments. */
export interface LayerSpec {
  type: string;
  args: Record<string, unknown>;
  /** Where it sits in the file, for error messages (`model[1]`). */
  path: string;
}

/** A callback of a config's `fit.callbacks`: a `km.callbacks` factory name and its arguments. */
export interface CallbackSpec {
  type: 'earlyStopping' | 'reduceLROnPlateau' | 'terminateOnNaN' | 'csvLogger' | 'tensorBoard';
  args: Record<string, unknown>;
  path: string;
}

export type DataSpec =
  | { source: 'mnist' }
  | { source: 'csv'; path: string; labelColumn: string; delimiter: string; testPath?: string; shuffleBuffer: number; columnConfigs?: Record<string, { default: number }> };

/** A whole experiment, as `kerasm train --config FILE.json` reads it (paths resolved against the file's folder). */
export interface ExperimentConfig {
  seed: number;
  data: DataSpec;
  model: { named: ModelName; units: number } | { layers: LayerSpec[] };
  compile: { optimizer: OptimizerName; optimizerArgs: Record<string, unknown>; schedule?: ScheduleSpec; loss: string; metrics: string[] };
  fit: { epochs: number; batchSize: number; validationSplit: number; callbacks: CallbackSpec[] };
}

const CALLBACK_TYPES = ['earlyStopping', 'reduceLROnPlateau', 'terminateOnNaN', 'csvLogger', 'tensorBoard'] as const;

type Json = Record<string, unknown>;

class ConfigReader {
  constructor(readonly file: string) {}

  fail(path: string, received: unknown, expected: string): never {
    throw new UsageError(`${this.file}: ${path} is ${JSON.stringify(received) ?? 'undefined'}; expected ${expected}.`, 'kerasm train --help');
  }

  object(value: unknown, path: string, allowed: readonly string[]): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, value, 'an object');
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        throw new UsageError(`${this.file}: ${path}.${key} is not a setting here; expected one of ${allowed.join(', ')}.`, 'kerasm train --help');
      }
    }
    return value as Json;
  }

  int(value: unknown, path: string, fallback: number, min: number, max: number): number {
    if (value === undefined) return fallback;
    if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) this.fail(path, value, `an integer from ${min} to ${max}`);
    return value as number;
  }

  string(value: unknown, path: string, fallback?: string): string {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || value === '') this.fail(path, value, 'a non-empty string');
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, options: readonly T[]): T {
    if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) this.fail(path, value, `one of ${options.map((o) => `"${o}"`).join(', ')}`);
    return value as T;
  }

  /** A `{ type, ...args }` entry. */
  typed(value: unknown, path: string): { type: string; args: Json } {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, value, 'an object with a "type" and its arguments');
    const { type, ...args } = value as Json;
    if (typeof type !== 'string') this.fail(`${path}.type`, type, 'the name of the thing to make, e.g. "dense"');
    return { type, args };
  }
}

function readData(r: ConfigReader, value: unknown, resolve: (p: string) => string): DataSpec {
  const source = r.oneOf(r.object(value, 'data', ['source', 'path', 'labelColumn', 'delimiter', 'testPath', 'shuffleBuffer', 'columnConfigs']).source, 'data.source', ['mnist', 'csv'] as const);
  const data = value as Json;
  if (source === 'mnist') {
    // The CSV settings mean nothing for MNIST: a config that sets them meant another source.
    const csvOnly = Object.keys(data).find((key) => key !== 'source');
    if (csvOnly !== undefined) r.fail(`data.${csvOnly}`, data[csvOnly], 'nothing with "source": "mnist" (it is a setting of "source": "csv")');
    return { source };
  }
  const spec: DataSpec = {
    source,
    path: resolve(r.string(data.path, 'data.path')),
    labelColumn: r.string(data.labelColumn, 'data.labelColumn'),
    delimiter: r.string(data.delimiter, 'data.delimiter', ','),
    shuffleBuffer: r.int(data.shuffleBuffer, 'data.shuffleBuffer', 10000, 1, 10_000_000),
  };
  if (data.testPath !== undefined) spec.testPath = resolve(r.string(data.testPath, 'data.testPath'));
  if (data.columnConfigs !== undefined) spec.columnConfigs = readColumnConfigs(r, data.columnConfigs);
  return spec;
}

/** `data.columnConfigs`, as km.data.csv takes it: a default for each column whose empty cells it fills. */
function readColumnConfigs(r: ConfigReader, value: unknown): Record<string, { default: number }> {
  const configs: Record<string, { default: number }> = {};
  for (const [column, config] of Object.entries(r.object(value, 'data.columnConfigs', Object.keys(value ?? {})))) {
    const path = `data.columnConfigs.${JSON.stringify(column)}`;
    const given = r.object(config, path, ['default']).default;
    if (typeof given !== 'number' || !Number.isFinite(given)) r.fail(`${path}.default`, given, 'a finite number for the empty cells of that column');
    configs[column] = { default: given };
  }
  return configs;
}

function readModel(r: ConfigReader, value: unknown): ExperimentConfig['model'] {
  if (typeof value === 'string') return { named: r.oneOf(value, 'model', MODEL_NAMES), units: 64 };
  if (!Array.isArray(value) || value.length === 0) r.fail('model', value, `a model name (${MODEL_NAMES.join(', ')}) or a non-empty list of layers like { "type": "dense", "units": 16, "activation": "relu", "inputShape": [4] }`);
  return { layers: value.map((layer, i) => ({ ...r.typed(layer, `model[${i}]`), path: `model[${i}]` })) };
}

function readCompile(r: ConfigReader, value: unknown): ExperimentConfig['compile'] {
  const compile = r.object(value, 'compile', ['optimizer', 'loss', 'metrics']);
  let optimizer: OptimizerName = 'adam';
  let optimizerArgs: Json = {};
  let schedule: ScheduleSpec | undefined;
  if (typeof compile.optimizer === 'string' || compile.optimizer === undefined) {
    optimizer = r.oneOf(compile.optimizer ?? 'adam', 'compile.optimizer', OPTIMIZER_NAMES);
  } else {
    const { type, args } = r.typed(compile.optimizer, 'compile.optimizer');
    optimizer = r.oneOf(type, 'compile.optimizer.type', OPTIMIZER_NAMES);
    const { learningRate, ...rest } = args;
    optimizerArgs = rest;
    if (typeof learningRate === 'string') {
      try {
        schedule = parseLrSchedule(learningRate, 'compile.optimizer.learningRate');
      } catch (err) {
        throw new UsageError(`${r.file}: ${(err as Error).message}`, 'kerasm train --help');
      }
    } else if (learningRate !== undefined) {
      if (typeof learningRate !== 'number' || !(learningRate > 0)) r.fail('compile.optimizer.learningRate', learningRate, 'a number > 0, or a schedule like "cosineDecay:decaySteps=1000"');
      optimizerArgs.learningRate = learningRate;
    }
  }
  const metrics = compile.metrics ?? [];
  if (!Array.isArray(metrics) || metrics.some((m) => typeof m !== 'string')) r.fail('compile.metrics', metrics, 'a list of metric names, e.g. ["accuracy"]');
  return { optimizer, optimizerArgs, schedule, loss: r.string(compile.loss, 'compile.loss', 'sparseCategoricalCrossentropy'), metrics: metrics as string[] };
}

function readFit(r: ConfigReader, value: unknown, resolve: (p: string) => string): ExperimentConfig['fit'] {
  const fit = r.object(value ?? {}, 'fit', ['epochs', 'batchSize', 'validationSplit', 'callbacks']);
  const split = fit.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) r.fail('fit.validationSplit', split, 'a number from 0 (inclusive) to 1 (exclusive)');
  const callbacks = fit.callbacks ?? [];
  if (!Array.isArray(callbacks)) r.fail('fit.callbacks', callbacks, `a list like [{ "type": "earlyStopping", "patience": 3 }]`);
  return {
    epochs: r.int(fit.epochs, 'fit.epochs', 5, 1, 1000),
    batchSize: r.int(fit.batchSize, 'fit.batchSize', 32, 1, 60000),
    validationSplit: split,
    callbacks: callbacks.map((c, i) => {
      const path = `fit.callbacks[${i}]`;
      const { type, args } = r.typed(c, path);
      const spec: CallbackSpec = { type: r.oneOf(type, `${path}.type`, CALLBACK_TYPES), args, path };
      if (spec.type === 'csvLogger') spec.args = { ...args, filename: resolve(r.string(args.filename, `${path}.filename`)) };
      if (spec.type === 'tensorBoard') spec.args = { ...args, logDir: resolve(r.string(args.logDir, `${path}.logDir`)) };
      return spec;
    }),
  };
}

/**
 * Validates an experiment file's JSON, naming the JSON path at fault. Relative paths (data files,
 * a csvLogger's filename, a tensorBoard's logDir) are resolved with `resolve` (against the config file's folder).
 *
 * @example
 * ```ts
 * parseExperiment('{"data":{"source":"mnist"},"model":"mlp","compile":{"optimizer":"adam"}}', 'exp.json', (p) => p);
 * ```
 */
export function parseExperiment(text: string, file: string, resolve: (path: string) => string): ExperimentConfig {
  let json: unknown;
  try {
    // Some editors (Notepad, Excel exports) start a UTF-8 file with a byte-order mark, which JSON.parse refuses.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON: ${(err as Error).message}. Check for trailing commas and unquoted keys.`, 'kerasm train --help');
  }
  const r = new ConfigReader(file);
  const top = r.object(json, '(top level)', ['seed', 'data', 'model', 'compile', 'fit']);
  if (top.data === undefined) r.fail('data', undefined, '{ "source": "mnist" } or { "source": "csv", "path": "...", "labelColumn": "..." }');
  if (top.model === undefined) r.fail('model', undefined, `a model name (${MODEL_NAMES.join(', ')}) or a list of layers`);
  return {
    seed: r.int(top.seed, 'seed', 1, 0, 2 ** 32 - 1),
    data: readData(r, top.data, resolve),
    model: readModel(r, top.model),
    compile: readCompile(r, top.compile ?? {}),
    fit: readFit(r, top.fit, resolve),
  };
}
