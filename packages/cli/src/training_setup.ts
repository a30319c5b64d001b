import * as km from '@kerasm/sdk';
import type { CallbackSpec, LayerSpec } from './experiment_config.js';
import { configLayerTypes } from './config_layers.js';
import { didYouMean } from './did_you_mean.js';
import { UsageError } from './errors.js';
import type { TrainOptions } from './args.js';
import type { OptimizerName, ScheduleSpec } from './training_flags.js';

const TRAIN_HELP = 'kerasm train --help';

/**
 * Runs `make`, prefixing any error with where the settings came from (a flag or a JSON path). The
 * settings are the user's, so the SDK refusing them is a usage error (exit 2), not a crash.
 */
export function at<T>(where: string, make: () => T): T {
  try {
    return make();
  } catch (err) {
    throw new UsageError(`${where}: ${(err as Error).message}`, TRAIN_HELP);
  }
}

/**
 * A schedule from `km.optimizers.schedules`; `initialLearningRate` defaults to the run's learning
 * rate, and a schedule `overRun` decays over all `runSteps` steps.
 */
export function makeSchedule(spec: ScheduleSpec, learningRate: number, where: string, runSteps?: number): km.optimizers.schedules.LearningRateSchedule {
  const own = spec.overRun ? { ...spec.args, decaySteps: runSteps } : spec.args;
  const args = spec.name === 'piecewiseConstantDecay' ? own : { initialLearningRate: learningRate, ...own };
  return at(where, () => (km.optimizers.schedules[spec.name] as (a: unknown) => km.optimizers.schedules.LearningRateSchedule)(args));
}

/** The optimizer steps of a run: a schedule `overRun` decays over these. */
export function stepsOfRun(epochs: number, trainSamples: number, batchSize: number): number {
  return epochs * Math.ceil(trainSamples / batchSize);
}

/** An optimizer by name with its arguments, the learning rate (or a schedule) included. */
export function makeOptimizer(name: OptimizerName, args: Record<string, unknown>, where: string): km.optimizers.Optimizer {
  return at(where, () => (km.optimizers[name] as (a: unknown) => km.optimizers.Optimizer)(args));
}

/** A sequential model from a config's list of layers; errors name `file` and the layer's JSON path. */
export function makeSequential(layers: readonly LayerSpec[], file: string): km.Sequential {
  const types = configLayerTypes();
  const made = layers.map((spec) => {
    const make = types.get(spec.type);
    if (make === undefined) {
      const guess = didYouMean(spec.type, [...types.keys()], (t) => `"${t}"`);
      throw new UsageError(`${file}: ${spec.path}.type is "${spec.type}"${guess} Expected a km.layers factory that takes one input: ${[...types.keys()].join(', ')}.`, TRAIN_HELP);
    }
    return at(`${file}: ${spec.path}`, () => make(spec.args));
  });
  // Stacking checks each layer against the one before it (shapes, ranks).
  return at(`${file}: model`, () => km.sequential(made));
}

/**
 * `--backup-dir DIR`: Keras' BackupAndRestore; the backup is removed when training ends normally.
 * List it after the callbacks that change the learning rate at an epoch's end (reduceLROnPlateau),
 * so that epoch's backup holds the changed rate.
 */
export function backupCallback(backupDir: string | undefined): km.callbacks.BackupAndRestore | undefined {
  return backupDir === undefined ? undefined : km.callbacks.backupAndRestore({ backupDir });
}

/**
 * `--save DIR` (and `--quantize`): the model with its optimizer state, so training can resume from
 * it, or quantized without the state: a quantized model is for serving, and its state would be
 * most of a smaller file.
 */
export async function saveTrained(model: km.LayersModel, options: Pick<TrainOptions, 'save' | 'quantize'>): Promise<void> {
  if (options.save === undefined) return;
  await model.save(options.save, options.quantize ? { quantize: options.quantize } : { includeOptimizer: true });
}

/** `--tensorboard DIR`: Keras' TensorBoard callback, writing the epoch values to DIR. */
export function tensorBoardCallbacks(logDir: string | undefined): km.callbacks.Callback[] {
  return logDir === undefined ? [] : [km.callbacks.tensorBoard(logDir)];
}

/** Callbacks from a config's `fit.callbacks`; errors name `file` and the JSON path. */
export function makeCallbacks(specs: readonly CallbackSpec[], file: string): km.callbacks.Callback[] {
  return specs.map((spec) =>
    at(`${file}: ${spec.path}`, () => {
      switch (spec.type) {
        case 'earlyStopping':
          return km.callbacks.earlyStopping(spec.args);
        case 'reduceLROnPlateau':
          return km.callbacks.reduceLROnPlateau(spec.args);
        case 'terminateOnNaN':
          return km.callbacks.terminateOnNaN();
        case 'csvLogger': {
          const { filename, ...rest } = spec.args;
          if (typeof filename !== 'string') throw new Error(`filename is ${JSON.stringify(filename)}; expected the path of the CSV log to write.`);
          return km.callbacks.csvLogger(filename, rest);
        }
        case 'tensorBoard': {
          const { logDir, ...rest } = spec.args;
          return km.callbacks.tensorBoard(logDir as string, rest);
        }
      }
    }),
  );
}
