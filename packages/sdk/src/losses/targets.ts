import type { Shape } from '../layers/layer.js';
import { sameShape, type Tensor } from '../tensor.js';

// Target checks shared by every loss.

export function units(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The size of the last axis: the classes (or features) that a cross-entropy or a rowwise loss reduces per position. */
export function lastAxis(shape: Shape): number {
  return shape[shape.length - 1];
}

/**
 * Positions per sample that a last-axis loss is taken at, and averaged over as Keras does: 1 for a
 * [classes] output, steps for [steps, classes], pixels for [height, width, classes].
 */
export function positions(shape: Shape): number {
  return units(shape) / lastAxis(shape);
}

export function describeTargets(y: Tensor): string {
  return `targets of shape [${y.shape.join(', ')}] (${y.dtype})`;
}

/**
 * Targets shaped like the output: [n, ...outputShape], or without the output's last axis where that
 * axis is 1 (`[n]` for a `[n, 1]` regression or sigmoid output), which Keras and tfjs expand to
 * match. The values line up either way.
 */
export function validateDense(name: string, y: Tensor, outputShape: Shape): void {
  const expected = [y.shape[0], ...outputShape];
  const same = sameShape(y.shape, expected) || (lastAxis(outputShape) === 1 && sameShape(y.shape, expected.slice(0, -1)));
  if (!same) {
    const hint =
      (name === 'categoricalCrossentropy' && isClassLabels(y, outputShape)
        ? ` These look like integer class labels: use loss 'sparseCategoricalCrossentropy', or one-hot encode them with km.utils.toCategorical(y, ${lastAxis(outputShape)}).`
        : undefined) ??
      perPositionHint(y, outputShape) ??
      oneHotForSigmoidHint(name, y, outputShape) ??
      ` Give targets with one row per sample shaped like the model's output.`;
    throw new Error(`Loss '${name}' expects targets of shape [${expected.join(', ')}] but received ${describeTargets(y)}.${hint}`);
  }
}

/**
 * Throws for a loss over rows of class probabilities on a 1-unit output: each row is divided by
 * its sum before the log, so one unit always gives p = 1, a loss of 0 and no gradient.
 */
export function refuseOneUnitRows(name: string, outputShape: Shape): void {
  if (lastAxis(outputShape) !== 1) return;
  throw new Error(
    `Loss '${name}' compares rows of class probabilities, but the model's output (None, ${outputShape.join(', ')}) has 1 unit, so the loss would be 0 whatever the weights and nothing would train. ` +
      `For two classes with a 1-unit sigmoid output use loss '${name === 'categoricalCrossentropy' ? 'binaryCrossentropy' : 'binaryFocalCrossentropy'}' (targets 0/1); for one-hot targets end the model with one unit per class and activation 'softmax'.`,
  );
}

/**
 * One value per position of a several-class output: `[n]` or `[n, 1]` for a `[classes]` output,
 * `[n, steps]` or `[n, steps, 1]` for `[steps, classes]` (a label per character of addition-rnn's answer).
 */
export function isClassLabels(y: Tensor, outputShape: Shape): boolean {
  const labelAxes = outputShape.slice(0, -1);
  const sample = y.shape.slice(1);
  return lastAxis(outputShape) > 1 && (sameShape(sample, labelAxes) || sameShape(sample, [...labelAxes, 1]));
}

/** Two-column one-hot rows (tfjs' oneHot of 0/1 labels) for a binary cross-entropy whose one sigmoid unit gives the probability of class 1. */
function oneHotForSigmoidHint(name: string, y: Tensor, outputShape: Shape): string | undefined {
  if (!/^binary(Focal)?Crossentropy$/.test(name) || lastAxis(outputShape) !== 1 || !sameShape(y.shape.slice(1), [...outputShape.slice(0, -1), 2])) return undefined;
  return ` These look like one-hot rows of 2 classes, but the output's one unit is the probability of class 1: pass the 0/1 labels themselves (shape [${[y.shape[0], ...outputShape].join(', ')}], the rows' second column), ` +
    `or end the model with km.layers.dense({ units: 2, activation: 'softmax' }) and use loss 'categoricalCrossentropy'.`;
}


/**
 * The usual cause of per-sample targets meeting an output with several positions per sample: a
 * Dense layer on an unflattened input, which acts on the last axis as in Keras.
 */
export function perPositionHint(y: Tensor, outputShape: Shape): string | undefined {
  const perSample = y.rank === 0 ? 0 : y.size / y.shape[0];
  if (outputShape.length < 2 || y.rank > 2 || (perSample !== 1 && perSample !== lastAxis(outputShape))) return undefined;
  return ` The model's output (None, ${outputShape.join(', ')}) has values at each of ${positions(outputShape)} positions per sample, as a Dense layer on an input of higher rank gives (it acts on the last axis). ` +
    `For one prediction per sample, put km.layers.flatten() or a global pooling layer before the last Dense layer.`;
}

/**
 * Targets of a binary cross-entropy (plain or focal): probabilities of class 1, in [0, 1]. A little
 * beyond (strictly between −1 and 2) is taken as Keras takes it, since label noise makes such
 * targets (Keras' DCGAN adds up to 0.05 to its labels); a class index of 2 or more, or a value far
 * outside, is not a probability.
 */
export function validateUnitInterval(name: string, y: Tensor): void {
  const values = y.dataSync();
  for (let i = 0; i < values.length; i++) {
    if (!(values[i] > -1 && values[i] < 2)) {
      throw new Error(`Loss '${name}' expects targets in [0, 1] (probabilities of class 1, with label noise a little beyond); value ${values[i]} at index ${i} is not. Rescale the targets, or for class indices use 'sparseCategoricalCrossentropy'.`);
    }
  }
}

/**
 * Refuses integer class labels (one per sample or position, against an output of several classes)
 * for a loss with no sparse form, before the generic shape error: `why` says what the loss needs.
 */
export function rejectClassLabels(name: string, y: Tensor, outputShape: Shape, why: string): void {
  const classes = lastAxis(outputShape);
  const labelAxes = outputShape.slice(0, -1);
  const sample = y.shape.slice(1);
  if (classes > 1 && (sameShape(sample, labelAxes) || sameShape(sample, [...labelAxes, 1]))) {
    throw new Error(
      `Loss '${name}' expects targets of shape [${[y.shape[0], ...outputShape].join(', ')}] (one row of ${classes} per ${labelAxes.length === 0 ? 'sample' : 'position'}), but received ${describeTargets(y)}, which look like integer class labels. ` +
        `${why} One-hot encode them with km.utils.toCategorical(y, ${classes}).`,
    );
  }
}
