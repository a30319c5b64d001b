import * as km from '@kerasm/sdk';
import { sampleSize } from './sample_shape.js';

// Losses that compare the output with one-hot rows. Keras users make those from integer labels with
// to_categorical; the CLI's labels (MNIST's, a CSV's label column) are integers, so it does it for them.
const ONE_HOT_LOSSES: readonly string[] = ['categoricalCrossentropy', 'categoricalFocalCrossentropy', 'categoricalHinge'];

/** The classes of `model`'s output when its loss takes one-hot rows (a rank-1 output of one value per class); 0 otherwise. */
export function oneHotClassCount(model: km.LayersModel): number {
  const shape = model.outputs[0].shape;
  const classes = shape.length === 1 ? shape[0] : null;
  return model.loss !== undefined && ONE_HOT_LOSSES.includes(model.loss) && classes !== null && classes > 1 ? classes : 0;
}

/**
 * The classes whose indices a model's integer labels must be: for sparse categorical
 * cross-entropy, and for the losses whose one-hot rows the CLI makes from labels; 0 for any other loss,
 * and for an output whose size only the data gives.
 */
export function labelClassCount(model: km.LayersModel): number {
  if (model.loss === 'sparseCategoricalCrossentropy') return sampleSize(model.outputs[0].shape) ?? 0;
  return oneHotClassCount(model);
}

/** The targets `model` trains or evaluates on for integer class `labels` (a batch's, undefined without a label column): their one-hot rows when its loss takes those, else the labels. */
export function targetsFor<T extends km.Tensor | undefined>(model: km.LayersModel, labels: T): T {
  const classes = oneHotClassCount(model);
  return classes > 0 && labels !== undefined ? (km.utils.toCategorical(labels, classes) as T) : labels;
}
