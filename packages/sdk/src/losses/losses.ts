import { mapScalar, type Backend, type BufferId, type RowwiseLossKind, type Scalar } from '../backend/backend.js';
import { sameShape, type Tensor } from '../tensor.js';
import type { Shape } from '../layers/layer.js';
import { ELEMENTWISE_LOSSES, type ElementwiseLossName } from './elementwise.js';
import { ROWWISE_LOSSES } from './rowwise.js';
import { describeTargets, lastAxis, perPositionHint, positions, refuseOneUnitRows, validateDense } from './targets.js';
import { binaryProbabilityLoss, positionMeanLoss } from './position_mean.js';
import { BINARY_FOCAL_DEFAULTS, binaryFocalLoss, CATEGORICAL_FOCAL_DEFAULTS, categoricalFocalLoss } from './focal.js';
import { DICE, overlapLoss, tverskyCoefficients, type OverlapAxis } from './overlap.js';
import { CTC_LOSS } from './ctc.js';
import { refusedFunctionError } from '../engine/function_in_compile.js';
import { functionLoss, type LossFunction } from './function_loss.js';

/**
 * One loss term as the training loop uses it. `compile({ loss })` takes any object of this shape,
 * so a loss of your own can be one: `compute` reads the output and the targets from the backend and
 * writes the gradient itself (a function `(yTrue, yPred) => km.Tensor` of km's ops is simpler, and
 * kerasm derives its gradient). docs/CUSTOM_LOSSES.md has a complete example with its test.
 *
 * @example
 * ```ts
 * // mean squared error, written out; `weights` (masks, sample weights) left out for brevity
 * const mse: km.losses.Loss = {
 *   name: 'mySquaredError', sparseTargets: false, fusesSoftmax: false,
 *   validateTargets() {},
 *   compute(backend, output, targets, grad, batch, outputShape) {
 *     const n = batch * outputShape.reduce((a, b) => a * b, 1);
 *     const y = backend.read(output, n, 'float32') as Float32Array, t = backend.read(targets, n, 'float32');
 *     if (grad) backend.write(grad, y.map((v, i) => (2 * (v - t[i])) / n));
 *     return (y.reduce((s, v, i) => s + (v - t[i]) ** 2, 0) / n) * batch;
 *   },
 * };
 * ```
 */
export interface Loss {
  /** Canonical camelCase name for a built-in loss; a loss of your own gives its own (`'pinball'`), which `model.loss` reports. */
  readonly name: LossName | (string & {});
  /** Whether targets are integer class labels (one per sample) instead of rows like the output. */
  readonly sparseTargets: boolean;
  /** Whether a softmax output layer may hand this loss its logits (cross-entropies). */
  readonly fusesSoftmax: boolean;
  /** Checks the targets against the model's output shape; throws an error that says how to fix it. */
  validateTargets(y: Tensor, outputShape: Shape): void;
  /**
   * Sum over the batch of per-sample losses; writes dLoss/dOutput (or dLoss/dLogits when
   * `fusedSoftmax`, after turning the logits into probabilities in place) for the batch mean.
   * With `weights` (one per position, batch × positions, from `backend.lossWeights`: masks and
   * sample weights, normalised so that they sum the batch mean), the batch mean is Σ weight·loss
   * over the positions; the result is that mean times `batch`, and the gradient is the mean's.
   * `grad` is 0 where nothing trains (evaluate, validation): write no gradient then.
   * Any `lossWeights` factor is applied by the caller, to the result and to `grad`.
   */
  compute(backend: Backend, output: BufferId, targets: BufferId, grad: BufferId, batch: number, outputShape: Shape, fusedSoftmax: boolean, weights?: BufferId): Scalar;
  /**
   * Throws, saying how to fix it, when the loss cannot take one weight per position of the output
   * (its axes but the last): a mask the output carries (`source` 'mask') or temporal sample weights
   * `[n, steps]` ('sampleWeight'). Absent: the loss takes them (each position's loss weighs its weight).
   */
  checkPositionWeights?(outputShape: Shape, source: 'mask' | 'sampleWeight'): void;
  /** Rewrites the host targets of `samples` samples once before training (label smoothing); their length may change. */
  transformTargets?(values: Float32Array | Int32Array, outputShape: Shape, samples: number): Float32Array | Int32Array;
  /**
   * How a loss configured by `km.losses` is saved: Keras' class name and its options (camelCase).
   * Absent on the plain named losses, which are saved by name.
   */
  readonly savedAs?: { readonly className: string; readonly config: Readonly<Record<string, number | boolean | OverlapAxis>> };
}

/** Loss names accepted by `compile` (camelCase; Keras' snake_case names are aliases). */
export type LossName = 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy' | 'binaryCrossentropy' | 'meanSquaredError' | ElementwiseLossName | RowwiseLossKind
  | 'binaryFocalCrossentropy' | 'categoricalFocalCrossentropy' | 'dice' | 'tversky' | 'ctc';

/**
 * tfjs-layers' own names for two losses, which its files hold as compile received them.
 * cosineProximity is −cos, as Keras' cosine_similarity loss is.
 */
export const TFJS_LOSS_NAMES: Readonly<Record<string, LossName>> = {
  logcosh: 'logCosh',
  cosineProximity: 'cosineSimilarity',
  cosine_proximity: 'cosineSimilarity',
};

/**
 * Keras 3's loss class names, which its `losses.get` (and so `compile(loss='Huber')`) also takes,
 * each meaning the class with its defaults.
 */
const KERAS_CLASS_NAMES: Readonly<Record<string, LossName>> = {
  BinaryCrossentropy: 'binaryCrossentropy',
  BinaryFocalCrossentropy: 'binaryFocalCrossentropy',
  CategoricalCrossentropy: 'categoricalCrossentropy',
  CategoricalFocalCrossentropy: 'categoricalFocalCrossentropy',
  SparseCategoricalCrossentropy: 'sparseCategoricalCrossentropy',
  MeanSquaredError: 'meanSquaredError',
  MeanAbsoluteError: 'meanAbsoluteError',
  MeanAbsolutePercentageError: 'meanAbsolutePercentageError',
  MeanSquaredLogarithmicError: 'meanSquaredLogarithmicError',
  Huber: 'huber',
  LogCosh: 'logCosh',
  KLDivergence: 'kullbackLeiblerDivergence',
  Poisson: 'poisson',
  Hinge: 'hinge',
  SquaredHinge: 'squaredHinge',
  CategoricalHinge: 'categoricalHinge',
  CosineSimilarity: 'cosineSimilarity',
  Dice: 'dice',
  Tversky: 'tversky',
  CTC: 'ctc',
};

const SNAKE_ALIASES: Record<string, LossName> = {
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  binary_crossentropy: 'binaryCrossentropy',
  mean_squared_error: 'meanSquaredError',
  mse: 'meanSquaredError',
  mean_absolute_error: 'meanAbsoluteError',
  mae: 'meanAbsoluteError',
  mean_absolute_percentage_error: 'meanAbsolutePercentageError',
  mape: 'meanAbsolutePercentageError',
  mean_squared_logarithmic_error: 'meanSquaredLogarithmicError',
  msle: 'meanSquaredLogarithmicError',
  log_cosh: 'logCosh',
  kl_divergence: 'kullbackLeiblerDivergence',
  kullback_leibler_divergence: 'kullbackLeiblerDivergence',
  kld: 'kullbackLeiblerDivergence',
  squared_hinge: 'squaredHinge',
  categorical_hinge: 'categoricalHinge',
  cosine_similarity: 'cosineSimilarity',
  binary_focal_crossentropy: 'binaryFocalCrossentropy',
  categorical_focal_crossentropy: 'categoricalFocalCrossentropy',
  ...TFJS_LOSS_NAMES,
  ...KERAS_CLASS_NAMES,
};

/**
 * A softmax cross-entropy over the last axis at every position of each sample, averaged over the
 * positions (Keras' reduction for outputs such as [steps, classes] or [height, width, classes]).
 */
function crossEntropy(backend: Backend, output: BufferId, targets: BufferId, sparse: boolean, grad: BufferId, batch: number, outputShape: Shape, fused: boolean, weights?: BufferId): Scalar {
  const rows = batch * positions(outputShape);
  const gradScale = weights ? 1 : 1 / rows;
  const sum = fused
    ? backend.softmaxCrossEntropy(output, targets, sparse, output, grad, rows, lastAxis(outputShape), gradScale, weights)
    : backend.categoricalCrossEntropy(output, targets, sparse, grad, rows, lastAxis(outputShape), gradScale, weights);
  return mapScalar(sum, (s) => (weights ? s * batch : s / positions(outputShape)));
}

const categoricalCrossentropy: Loss = {
  name: 'categoricalCrossentropy',
  sparseTargets: false,
  fusesSoftmax: true,
  validateTargets(y, outputShape) {
    refuseOneUnitRows(this.name, outputShape);
    validateDense(this.name, y, outputShape);
  },
  compute(backend, output, targets, grad, batch, outputShape, fused, weights) {
    return crossEntropy(backend, output, targets, false, grad, batch, outputShape, fused, weights);
  },
};

const sparseCategoricalCrossentropy: Loss = {
  name: 'sparseCategoricalCrossentropy',
  sparseTargets: true,
  fusesSoftmax: true,
  validateTargets(y, outputShape) {
    const classes = lastAxis(outputShape);
    // One label per position: [n] for a [classes] output, [n, steps] for [steps, classes]; a trailing 1 is allowed.
    const labelAxes = outputShape.slice(0, -1);
    const sample = y.shape.slice(1);
    if (!sameShape(sample, labelAxes) && !sameShape(sample, [...labelAxes, 1])) {
      const hint = sameShape(sample, outputShape)
        ? " These look like one-hot rows: use loss 'categoricalCrossentropy', or pass the class indices instead."
        : (perPositionHint(y, outputShape) ?? ` Give one integer class index per ${labelAxes.length === 0 ? 'sample' : 'position'}.`);
      throw new Error(
        `Loss 'sparseCategoricalCrossentropy' expects integer labels of shape [${[y.shape[0], ...labelAxes].join(', ')}] for an output of shape (None, ${outputShape.join(', ')}), but received ${describeTargets(y)}.${hint}`,
      );
    }
    const labels = y.dataSync();
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i];
      if (!Number.isInteger(label)) {
        throw new Error(
          `Label ${label} at index ${i} is not a class index: loss 'sparseCategoricalCrossentropy' takes integer labels 0 to ${classes - 1}. ` +
            `For fractional (soft) targets, give one row of ${classes} probabilities per sample and use loss 'categoricalCrossentropy'.`,
        );
      }
      if (label < 0 || label >= classes) {
        throw new Error(
          `Label ${label} at index ${i} is out of range for an output of ${classes} classes (valid labels: 0 to ${classes - 1}). ` +
            `Check the labels, or give the last layer more units.`,
        );
      }
    }
  },
  compute(backend, output, targets, grad, batch, outputShape, fused, weights) {
    return crossEntropy(backend, output, targets, true, grad, batch, outputShape, fused, weights);
  },
};

/**
 * Binary cross-entropy of probabilities. The kernel smooths each target towards 0.5 by
 * `labelSmoothing` as it reads it, so the target buffer, which the metrics read, stays as given.
 */
export function binaryCrossentropyLoss(labelSmoothing = 0): Loss {
  return binaryProbabilityLoss('binaryCrossentropy', (backend, output, targets, grad, scale, n, w, repeat) => backend.binaryCrossEntropy(output, targets, grad, n, scale, w, repeat, labelSmoothing));
}

// Keras averages these over the last axis per sample, then over the batch.
const binaryCrossentropy = binaryCrossentropyLoss();

const meanSquaredError: Loss = {
  name: 'meanSquaredError',
  sparseTargets: false,
  fusesSoftmax: false,
  validateTargets(y, outputShape) {
    validateDense(this.name, y, outputShape);
  },
  compute(backend, output, targets, grad, batch, outputShape, _fused, weights) {
    return positionMeanLoss((scale, n, w, repeat) => backend.meanSquaredError(output, targets, grad, n, scale, w, repeat), batch, outputShape, lastAxis(outputShape), weights);
  },
};

const LOSSES: Record<LossName, Loss> = {
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
  binaryCrossentropy,
  meanSquaredError,
  ...ELEMENTWISE_LOSSES,
  ...ROWWISE_LOSSES,
  binaryFocalCrossentropy: binaryFocalLoss(BINARY_FOCAL_DEFAULTS),
  categoricalFocalCrossentropy: categoricalFocalLoss(CATEGORICAL_FOCAL_DEFAULTS),
  dice: overlapLoss('dice', DICE),
  tversky: overlapLoss('tversky', tverskyCoefficients(0.5, 0.5)),
  ctc: CTC_LOSS,
};

/** The built-in cross-entropies with Keras' defaults, for the configurable variants to build on. */
export const CROSS_ENTROPIES = { categoricalCrossentropy, sparseCategoricalCrossentropy, binaryCrossentropy };

/** Whether compile takes `name` as a loss name. */
export function isLossName(name: string): boolean {
  return Object.hasOwn(LOSSES, name) || Object.hasOwn(SNAKE_ALIASES, name);
}

/**
 * Resolves a loss by camelCase or Keras snake_case name (with an error listing the valid names),
 * passes a loss object through, and wraps a function of tensors.
 */
export function getLoss(name: string | Loss | LossFunction): Loss {
  if (typeof name === 'function') {
    const refused = refusedFunctionError('loss', name, isLossName);
    if (refused) throw refused;
    return functionLoss(name);
  }
  if (typeof name !== 'string') return name;
  const loss = LOSSES[(SNAKE_ALIASES[name] ?? name) as LossName];
  if (!loss) {
    throw new Error(
      `Unknown loss '${name}'. Valid losses: ${Object.keys(LOSSES).map((n) => `'${n}'`).join(', ')} (Keras snake_case names such as 'sparse_categorical_crossentropy', Keras class names such as 'BinaryCrossentropy', and tfjs' 'logcosh' and 'cosineProximity' work too).`,
    );
  }
  return loss;
}
