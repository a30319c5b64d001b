import * as km from '@kerasm/sdk';
import type { CallbackSpec, LayerSpec } from './experiment_config.js';
import type { OptimizerName, ScheduleSpec } from './training_flags.js';

/** Runs `make`, prefixing any error with where the settings came from (a flag or a JSON path). */
function at<T>(where: string, make: () => T): T {
  try {
    return make();
  } catch (err) {
    throw new Error(`${where}: ${(err as Error).message}`, { cause: err });
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

/** An optimizer by name with its arguments, the learning rate (or a schedule) included. */
export function makeOptimizer(name: OptimizerName, args: Record<string, unknown>, where: string): km.optimizers.Optimizer {
  return at(where, () => (km.optimizers[name] as (a: unknown) => km.optimizers.Optimizer)(args));
}

const LAYER_TYPES = ['dense', 'flatten', 'activation', 'conv2d', 'maxPooling2d', 'averagePooling2d', 'dropout', 'reshape'] as const;

/** A sequential model from a config's list of layers; errors name the layer's JSON path. */
export function makeSequential(layers: readonly LayerSpec[]): km.Sequential {
  return km.sequential(
    layers.map((spec) => {
      if (!(LAYER_TYPES as readonly string[]).includes(spec.type)) {
        throw new Error(`${spec.path}.type is "${spec.type}"; expected one of ${LAYER_TYPES.map((t) => `"${t}"`).join(', ')}.`);
      }
      return at(spec.path, () => (km.layers[spec.type as (typeof LAYER_TYPES)[number]] as (a: unknown) => km.layers.Layer)(spec.args));
    }),
  );
}

/**
 * `--backup-dir DIR`: Keras' BackupAndRestore, first so that it restores before the other
 * callbacks start; the backup is removed when training ends normally.
 */
export function backupCallbacks(backupDir: string | undefined): km.callbacks.Callback[] {
  return backupDir === undefined ? [] : [km.callbacks.backupAndRestore({ backupDir })];
}

/** Callbacks from a config's `fit.callbacks`; errors name the JSON path. */
export function makeCallbacks(specs: readonly CallbackSpec[]): km.callbacks.Callback[] {
  return specs.map((spec) =>
    at(spec.path, () => {
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
      }
    }),
  );
}
