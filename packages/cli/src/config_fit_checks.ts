import * as km from '@kerasm/sdk';
import { labelClassCount } from './class_targets.js';
import { UsageError } from './errors.js';
import type { CallbackSpec, ExperimentConfig } from './experiment_config.js';
import { sampleSize } from './sample_shape.js';

const TRAIN_HELP = 'kerasm train --help';

/**
 * Refuses, before training, a compiled loss that compares each of several output values with a
 * target of its own (meanSquaredError on a softmax), since the config's data gives one label a
 * sample; losses that take class labels, or whose one-hot rows the CLI makes from them, pass.
 */
export function checkLossTakesLabels(config: ExperimentConfig, model: km.LayersModel, file: string): void {
  const outputSize = sampleSize(model.outputs[0].shape);
  // An output whose size only the data gives is left to the loss' own check.
  if (outputSize === null || outputSize === 1 || labelClassCount(model) > 0) return;
  const labels = config.data.source === 'csv' ? `data.labelColumn "${config.data.labelColumn}" holds one value a row` : 'MNIST gives one label (the digit) an image';
  const lastLayer = 'layers' in config.model ? `model[${config.model.layers.length - 1}]` : 'the last layer';
  throw new UsageError(
    `${file}: compile.loss is "${config.compile.loss}", which compares each of the model's ${outputSize} output values with a target of its own, but ${labels}. ` +
      `For class labels set compile.loss to "sparseCategoricalCrossentropy" (or "categoricalCrossentropy"); for one target value a sample give ${lastLayer} 1 unit.`,
    TRAIN_HELP,
  );
}

/**
 * Refuses, before training, a config callback whose `monitor` (by default 'val_loss') fit will not
 * log, by the SDK's check of the `made` callbacks (one for each of `specs`); the error names the
 * config setting to change.
 */
export function checkMonitors(specs: readonly CallbackSpec[], made: readonly km.CustomCallbackArgs[], model: km.LayersModel, validates: boolean, file: string): void {
  try {
    km.callbacks.checkMonitored(made, { metricsNames: model.metricsNames, validates });
  } catch (err) {
    if (!(err instanceof km.callbacks.MonitorError)) throw err;
    const { path, args } = specs[err.callbackIndex];
    throw new UsageError(`${file}: ${path}.monitor${args.monitor === undefined ? ' (not set, so the default)' : ''}: ${err.message}`, TRAIN_HELP);
  }
}
