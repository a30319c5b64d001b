import { mapScalar } from '../backend/backend.js';
import { getLoss, type Loss, type LossName } from '../losses/losses.js';
import { MeanMetric, type Metric, type MetricBatch, type SavedMetricForm } from './metric.js';

/*
 * Every loss as a metric, as Keras' MeanMetricWrapper makes one: the mean over the epoch of the
 * per-sample loss (averaged over a sample's positions; masked positions left out). The loss's own
 * kernels compute it with no gradient buffer (grad 0), on the outputs the other metrics see:
 * probabilities where the output is softmax, so a cross-entropy metric is taken from probabilities
 * as in Keras, whatever the training loss fused.
 */

/** One loss-metric: the loss it evaluates, and the sign it is reported with. */
interface LossMetricSpec {
  readonly loss: LossName;
  /** −1 for Keras 3's cosine similarity metric, +cos, where the loss is −cos. */
  readonly sign: 1 | -1;
}

const spec = (loss: LossName, sign: 1 | -1 = 1): LossMetricSpec => ({ loss, sign });

/** The compile names of the loss-metrics: camelCase (tfjs' names) and Keras' snake_case and short names. */
export const LOSS_METRICS: Readonly<Record<string, LossMetricSpec>> = {
  binaryCrossentropy: spec('binaryCrossentropy'),
  binary_crossentropy: spec('binaryCrossentropy'),
  bce: spec('binaryCrossentropy'),
  BCE: spec('binaryCrossentropy'),
  categoricalCrossentropy: spec('categoricalCrossentropy'),
  categorical_crossentropy: spec('categoricalCrossentropy'),
  sparseCategoricalCrossentropy: spec('sparseCategoricalCrossentropy'),
  sparse_categorical_crossentropy: spec('sparseCategoricalCrossentropy'),
  meanAbsolutePercentageError: spec('meanAbsolutePercentageError'),
  mean_absolute_percentage_error: spec('meanAbsolutePercentageError'),
  mape: spec('meanAbsolutePercentageError'),
  MAPE: spec('meanAbsolutePercentageError'),
  meanSquaredLogarithmicError: spec('meanSquaredLogarithmicError'),
  mean_squared_logarithmic_error: spec('meanSquaredLogarithmicError'),
  msle: spec('meanSquaredLogarithmicError'),
  MSLE: spec('meanSquaredLogarithmicError'),
  kullbackLeiblerDivergence: spec('kullbackLeiblerDivergence'),
  kullback_leibler_divergence: spec('kullbackLeiblerDivergence'),
  kl_divergence: spec('kullbackLeiblerDivergence'),
  kld: spec('kullbackLeiblerDivergence'),
  KLD: spec('kullbackLeiblerDivergence'),
  poisson: spec('poisson'),
  logcosh: spec('logCosh'),
  logCosh: spec('logCosh'),
  log_cosh: spec('logCosh'),
  log_cosh_error: spec('logCosh'),
  huber: spec('huber'),
  hinge: spec('hinge'),
  squaredHinge: spec('squaredHinge'),
  squared_hinge: spec('squaredHinge'),
  categoricalHinge: spec('categoricalHinge'),
  categorical_hinge: spec('categoricalHinge'),
  cosineSimilarity: spec('cosineSimilarity', -1),
  cosine_similarity: spec('cosineSimilarity', -1),
  // tfjs' cosineProximity metric (alias 'cosine') keeps the loss's sign, −cos.
  cosineProximity: spec('cosineSimilarity'),
  cosine_proximity: spec('cosineSimilarity'),
  cosine: spec('cosineSimilarity'),
};

/**
 * Keras 3's loss-metric class names, which its compile takes as strings too, each with the
 * {@link LOSS_METRICS} key that is also the name Keras logs it under (the class's default name).
 */
export const KERAS_LOSS_METRIC_CLASSES: Readonly<Record<string, string>> = {
  BinaryCrossentropy: 'binary_crossentropy',
  CategoricalCrossentropy: 'categorical_crossentropy',
  SparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
  MeanAbsolutePercentageError: 'mean_absolute_percentage_error',
  MeanSquaredLogarithmicError: 'mean_squared_logarithmic_error',
  KLDivergence: 'kl_divergence',
  Poisson: 'poisson',
  LogCoshError: 'logcosh',
  Hinge: 'hinge',
  SquaredHinge: 'squared_hinge',
  CategoricalHinge: 'categorical_hinge',
  CosineSimilarity: 'cosine_similarity',
};

function checkTargetKind(name: string, loss: Loss, b: MetricBatch): void {
  if (loss.sparseTargets && !b.labelTargets) {
    throw new Error(
      `Metric '${name}' takes one integer label per sample, but the compiled loss takes targets shaped like the output (one-hot rows). ` +
        `Use 'categorical_crossentropy' as the metric, or compile with loss 'sparseCategoricalCrossentropy' and integer labels.`,
    );
  }
  if (!loss.sparseTargets && b.labelTargets) {
    const fix = loss.name === 'categoricalCrossentropy' ? "Use 'sparse_categorical_crossentropy' as the metric" : `Compile with a loss whose targets are shaped like the output (one-hot labels: km.utils.toCategorical(y, ${b.outputShape[b.outputShape.length - 1]}))`;
    throw new Error(`Metric '${name}' compares outputs with targets shaped like the output, but the compiled loss takes integer labels. ${fix}.`);
  }
}

/** The mean over the epoch of `loss` per sample (times `sign`), reported as `name`. */
export function lossMetric(loss: Loss, name: string, sign: 1 | -1 = 1, savedAs?: SavedMetricForm): Metric {
  return new MeanMetric(name, (b) => {
    checkTargetKind(name, loss, b);
    if (!b.weights) return [mapScalar(loss.compute(b.backend, b.output, b.targets, 0, b.batch, b.outputShape, false), (sum) => sign * sum), b.batch];
    // With weights the loss returns batch · Σ w·loss over positions (see Loss.compute): a weighted mean over them.
    const weighted = loss.compute(b.backend, b.output, b.targets, 0, b.batch, b.outputShape, false, b.weights);
    return [mapScalar(weighted, (sum) => (sign * sum) / b.batch), b.weightSum()];
  }, undefined, savedAs);
}

/** The loss-metric a compile name stands for. */
export function namedLossMetric(name: string): Metric {
  const { loss, sign } = LOSS_METRICS[name];
  return lossMetric(getLoss(loss), name, sign);
}
