import type * as km from '@kerasm/sdk';
import { labelClassCount } from './class_targets.js';
import { didYouMean } from './did_you_mean.js';
import { UsageError } from './errors.js';
import type { ExperimentConfig } from './experiment_config.js';

const TRAIN_HELP = 'kerasm train --help';

/**
 * Refuses, before training, a compiled loss that compares each of several output values with a
 * target of its own (meanSquaredError on a softmax), since the config's data gives one label a
 * sample; losses that take class labels, or whose one-hot rows the CLI makes from them, pass.
 */
export function checkLossTakesLabels(config: ExperimentConfig, model: km.LayersModel, file: string): void {
  const outputSize = model.outputs[0].shape.reduce((a, b) => a * b, 1);
  if (outputSize === 1 || labelClassCount(model) > 0) return;
  const labels = config.data.source === 'csv' ? `data.labelColumn "${config.data.labelColumn}" holds one value a row` : 'MNIST gives one label (the digit) an image';
  const lastLayer = 'layers' in config.model ? `model[${config.model.layers.length - 1}]` : 'the last layer';
  throw new UsageError(
    `${file}: compile.loss is "${config.compile.loss}", which compares each of the model's ${outputSize} output values with a target of its own, but ${labels}. ` +
      `For class labels set compile.loss to "sparseCategoricalCrossentropy" (or "categoricalCrossentropy"); for one target value a sample give ${lastLayer} 1 unit.`,
    TRAIN_HELP,
  );
}

/**
 * Refuses, before training, an earlyStopping or reduceLROnPlateau callback whose `monitor` (by
 * default 'val_loss') fit will not log: a `val_` key without validation data, or a misspelt name.
 * The config's callbacks add no keys of their own, so fit's logs are the model's metrics names.
 */
export function checkMonitors(config: ExperimentConfig, model: km.LayersModel, validates: boolean, file: string): void {
  const logged = [...model.metricsNames, ...(validates ? model.metricsNames.map((name) => `val_${name}`) : [])];
  for (const { type, args, path } of config.fit.callbacks) {
    if (type !== 'earlyStopping' && type !== 'reduceLROnPlateau') continue;
    const monitor = args.monitor ?? 'val_loss';
    if (typeof monitor !== 'string' || logged.includes(monitor)) continue;
    const setting = args.monitor === undefined ? `${path}.monitor is not set, so it is "val_loss"` : `${path}.monitor is "${monitor}"`;
    if (monitor.startsWith('val_') && !validates) {
      const trained = monitor.slice(4);
      throw new UsageError(
        `${file}: ${setting}, but training has no validation data to log it. Set fit.validationSplit (e.g. 0.2), or set ${path}.monitor to ${logged.includes(trained) ? `"${trained}"` : `one of ${logged.join(', ')}`}.`,
        TRAIN_HELP,
      );
    }
    throw new UsageError(`${file}: ${setting}, which training does not log${didYouMean(monitor, logged, (name) => `"${name}"`)} It logs: ${logged.join(', ')}.`, TRAIN_HELP);
  }
}
