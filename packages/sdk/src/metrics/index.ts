import * as device from './device_metrics.js';
import { confusionCount, topKCategoricalAccuracy as topK, type ThresholdMetricArgs } from './host_metrics.js';
import type { Metric } from './metric.js';
import { checkOptions } from '../utils/options.js';
import { getLoss } from '../losses/losses.js';
import { LOSS_METRICS, lossMetric } from './loss_metrics.js';
import { markCompileFactories } from '../utils/compile_factories.js';
import { auc } from './auc.js';
import { precision as precisionMetric, recall as recallMetric } from './host_metrics.js';
import { r2Score as r2ScoreMetric, type R2ScoreArgs } from './r2_score.js';
import * as onTensors from './tensor_functions.js';
import { withTensorForm } from './tensor_form.js';
import { f1Score, fBetaScore } from './f_score.js';
import { iou, meanIoU, oneHotIoU, oneHotMeanIoU, binaryIoU } from './iou.js';
import { precisionAtRecall, recallAtPrecision, sensitivityAtSpecificity, specificityAtSensitivity } from './threshold_curve.js';
import { pearsonCorrelation, concordanceCorrelation } from './correlation.js';

// km.metrics: Keras' stateful metrics as configured objects (compile also takes their names).
export { auc, type AucArgs } from './auc.js';
export type { ThresholdMetricArgs } from './host_metrics.js';
export { confusionMatrix } from './confusion_matrix.js';
export type { R2ScoreArgs } from './r2_score.js';
export type { MetricFunction } from './tensor_form.js';
export { f1Score, fBetaScore, type F1ScoreArgs, type FBetaScoreArgs } from './f_score.js';
export { iou, meanIoU, oneHotIoU, oneHotMeanIoU, binaryIoU, type IoUArgs, type MeanIoUArgs, type OneHotIoUArgs, type OneHotMeanIoUArgs, type BinaryIoUArgs } from './iou.js';
export {
  precisionAtRecall, recallAtPrecision, sensitivityAtSpecificity, specificityAtSensitivity,
  type CurveMetricArgs, type PrecisionAtRecallArgs, type RecallAtPrecisionArgs, type SensitivityAtSpecificityArgs, type SpecificityAtSensitivityArgs,
} from './threshold_curve.js';
export { pearsonCorrelation, concordanceCorrelation, type CorrelationArgs } from './correlation.js';
export type { Metric, MetricBatch } from './metric.js';
export type { TensorMetric, MetricObject } from './tensor_metric.js';

/** Options every metric takes. */
export interface MetricArgs {
  /** The key in logs and History (default: Keras' snake_case name). */
  name?: string;
}

/**
 * Fraction of outputs on the same side of `threshold` as their 0/1 target. Called with tensors, as
 * `tf.metrics.binaryAccuracy(yTrue, yPred)`: that fraction per sample (threshold 0.5), computed now.
 * @example `km.metrics.binaryAccuracy({ threshold: 0.7 })`
 * @example `km.metrics.binaryAccuracy(km.tensor([[1, 0]]), km.tensor([[0.8, 0.6]])).dataSync() // [0.5]`
 */
export const binaryAccuracy = withTensorForm('km.metrics.binaryAccuracy', (args: MetricArgs & { threshold?: number } = {}): Metric => {
  checkOptions(args, ['name', 'threshold'], 'km.metrics.binaryAccuracy');
  return device.binaryAccuracy(args.name, args.threshold);
}, onTensors.binaryAccuracyOf);

/**
 * Fraction of samples whose output argmax is the target row's argmax. Called with tensors, as
 * `tf.metrics.categoricalAccuracy(yTrue, yPred)`: 1 or 0 per sample, computed now.
 * @example `km.metrics.categoricalAccuracy()`
 */
export const categoricalAccuracy = withTensorForm('km.metrics.categoricalAccuracy', (args: MetricArgs = {}): Metric => {
  checkOptions(args, ['name'], 'km.metrics.categoricalAccuracy');
  return device.categoricalAccuracy(args.name);
}, onTensors.categoricalAccuracyOf);

/**
 * Fraction of samples whose output argmax is their integer label. Called with tensors, as
 * `tf.metrics.sparseCategoricalAccuracy(yTrue, yPred)`: 1 or 0 per sample, computed now.
 * @example `km.metrics.sparseCategoricalAccuracy()`
 * @example `km.metrics.sparseCategoricalAccuracy(km.tensor([2, 0]), km.tensor([[0.1, 0.2, 0.7], [0.3, 0.6, 0.1]])).dataSync() // [1, 0]`
 */
export const sparseCategoricalAccuracy = withTensorForm('km.metrics.sparseCategoricalAccuracy', (args: MetricArgs = {}): Metric => {
  checkOptions(args, ['name'], 'km.metrics.sparseCategoricalAccuracy');
  return device.categoricalAccuracy(args.name ?? 'sparse_categorical_accuracy');
}, onTensors.sparseCategoricalAccuracyOf);

/** Fraction of samples whose true class is among the k highest outputs (labels or one-hot rows). @example `km.metrics.topKCategoricalAccuracy({ k: 3 })` */
export function topKCategoricalAccuracy(args: MetricArgs & { k?: number } = {}): Metric {
  checkOptions(args, ['name', 'k'], 'km.metrics.topKCategoricalAccuracy');
  return topK(args.k ?? 5, args.name);
}

/**
 * The same for integer labels, saved as Keras' SparseTopKCategoricalAccuracy (which Keras needs
 * for a model trained on labels). @example `km.metrics.sparseTopKCategoricalAccuracy({ k: 3 })`
 */
export function sparseTopKCategoricalAccuracy(args: MetricArgs & { k?: number } = {}): Metric {
  checkOptions(args, ['name', 'k'], 'km.metrics.sparseTopKCategoricalAccuracy');
  return topK(args.k ?? 5, args.name, 'SparseTopKCategoricalAccuracy');
}

/**
 * Mean |p − t| over the epoch. Called with tensors, as `tf.metrics.meanAbsoluteError(yTrue, yPred)`:
 * the mean over the last axis per sample, computed now.
 * @example `km.metrics.meanAbsoluteError()`
 */
export const meanAbsoluteError = withTensorForm('km.metrics.meanAbsoluteError', (args: MetricArgs = {}): Metric => {
  checkOptions(args, ['name'], 'km.metrics.meanAbsoluteError');
  return device.meanAbsoluteError(args.name);
}, onTensors.meanAbsoluteErrorOf);

/**
 * Mean (p − t)² over the epoch. Called with tensors, as `tf.metrics.meanSquaredError(yTrue, yPred)`:
 * the mean over the last axis per sample, computed now.
 * @example `km.metrics.meanSquaredError()`
 * @example `km.metrics.meanSquaredError(km.tensor([[0, 1], [3, 4]]), km.tensor([[0, 1], [-3, -4]])).dataSync() // [0, 50]`
 */
export const meanSquaredError = withTensorForm('km.metrics.meanSquaredError', (args: MetricArgs = {}): Metric => {
  checkOptions(args, ['name'], 'km.metrics.meanSquaredError');
  return device.meanSquaredError(args.name);
}, onTensors.meanSquaredErrorOf);

/** √(mean (p − t)²) over the epoch. @example `km.metrics.rootMeanSquaredError()` */
export function rootMeanSquaredError(args: MetricArgs = {}): Metric {
  checkOptions(args, ['name'], 'km.metrics.rootMeanSquaredError');
  return device.rootMeanSquaredError(args.name);
}

/** A loss-metric factory: the mean over the epoch of the loss per sample, reported as `name`. */
function lossMetricFactory(call: string, compileName: string, defaultName: string, className: string): (args?: MetricArgs) => Metric {
  return (args = {}) => {
    checkOptions(args, ['name'], `km.metrics.${call}`);
    const { loss, sign } = LOSS_METRICS[compileName];
    const name = args.name ?? defaultName;
    return lossMetric(getLoss(loss), name, sign, { className, config: { name } });
  };
}

// Losses as metrics (Keras' MeanMetricWrapper): computed from the outputs as they are (probabilities
// after a softmax) with no gradient, so they never change training. Compile takes their names too.

/**
 * Binary cross-entropy of probabilities. Called with tensors, as `tf.metrics.binaryCrossentropy(yTrue, yPred)`:
 * the mean over the last axis per sample, computed now.
 * @example `metrics: [km.metrics.binaryCrossentropy()]` (or `'binary_crossentropy'`)
 */
export const binaryCrossentropy = withTensorForm('km.metrics.binaryCrossentropy', lossMetricFactory('binaryCrossentropy', 'binaryCrossentropy', 'binary_crossentropy', 'BinaryCrossentropy'), onTensors.binaryCrossentropyOf);
/**
 * Categorical cross-entropy of probabilities against one-hot rows. Called with tensors, as
 * `tf.metrics.categoricalCrossentropy(yTrue, yPred)`: one value per sample, computed now.
 * @example `metrics: [km.metrics.categoricalCrossentropy()]`
 */
export const categoricalCrossentropy = withTensorForm('km.metrics.categoricalCrossentropy', lossMetricFactory('categoricalCrossentropy', 'categoricalCrossentropy', 'categorical_crossentropy', 'CategoricalCrossentropy'), onTensors.categoricalCrossentropyOf);
/** Categorical cross-entropy of probabilities against integer labels. @example `metrics: [km.metrics.sparseCategoricalCrossentropy()]` */
export const sparseCategoricalCrossentropy = lossMetricFactory('sparseCategoricalCrossentropy', 'sparseCategoricalCrossentropy', 'sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy');
/**
 * 100·mean |(t − p) / t|. Called with tensors, as `tf.metrics.meanAbsolutePercentageError(yTrue, yPred)`:
 * the mean over the last axis per sample, computed now.
 * @example `metrics: [km.metrics.meanAbsolutePercentageError()]` (or `'mape'`)
 */
export const meanAbsolutePercentageError = withTensorForm('km.metrics.meanAbsolutePercentageError', lossMetricFactory('meanAbsolutePercentageError', 'meanAbsolutePercentageError', 'mean_absolute_percentage_error', 'MeanAbsolutePercentageError'), onTensors.meanAbsolutePercentageErrorOf);
/** mean (log(p + 1) − log(t + 1))². @example `metrics: [km.metrics.meanSquaredLogarithmicError()]` (or `'msle'`) */
export const meanSquaredLogarithmicError = lossMetricFactory('meanSquaredLogarithmicError', 'meanSquaredLogarithmicError', 'mean_squared_logarithmic_error', 'MeanSquaredLogarithmicError');
/** Σ t·log(t / p) over the last axis. @example `metrics: [km.metrics.kullbackLeiblerDivergence()]` (or `'kld'`) */
export const kullbackLeiblerDivergence = lossMetricFactory('kullbackLeiblerDivergence', 'kullbackLeiblerDivergence', 'kl_divergence', 'KLDivergence');
/** mean (p − t·log p). @example `metrics: [km.metrics.poisson()]` */
export const poisson = lossMetricFactory('poisson', 'poisson', 'poisson', 'Poisson');
/** mean log(cosh(p − t)) (Keras' LogCoshError). @example `metrics: [km.metrics.logCosh()]` (or `'logcosh'`) */
export const logCosh = lossMetricFactory('logCosh', 'logCosh', 'logcosh', 'LogCoshError');
/** mean max(0, 1 − t·p); a batch of 0/1 targets is taken as −1/1, as Keras does. @example `metrics: [km.metrics.hinge()]` */
export const hinge = lossMetricFactory('hinge', 'hinge', 'hinge', 'Hinge');
/** mean max(0, 1 − t·p)², targets as hinge takes them. @example `metrics: [km.metrics.squaredHinge()]` */
export const squaredHinge = lossMetricFactory('squaredHinge', 'squaredHinge', 'squared_hinge', 'SquaredHinge');
/** max(0, 1 + max((1 − t)·p) − Σ t·p). @example `metrics: [km.metrics.categoricalHinge()]` */
export const categoricalHinge = lossMetricFactory('categoricalHinge', 'categoricalHinge', 'categorical_hinge', 'CategoricalHinge');
/** Cosine similarity of each output row with its target row, +cos (Keras 3's metric; the loss is −cos). @example `metrics: [km.metrics.cosineSimilarity()]` */
export const cosineSimilarity = lossMetricFactory('cosineSimilarity', 'cosineSimilarity', 'cosine_similarity', 'CosineSimilarity');
/**
 * tfjs' cosineProximity: −cos, the sign of the loss. Called with tensors, as `tf.metrics.cosineProximity(yTrue, yPred)`:
 * −cos of each last-axis row pair, computed now.
 * @example `metrics: [km.metrics.cosineProximity()]` (or `'cosine'`)
 */
export const cosineProximity = withTensorForm('km.metrics.cosineProximity', lossMetricFactory('cosineProximity', 'cosineProximity', 'cosine_proximity', 'CosineProximity'), onTensors.cosineProximityOf);

/**
 * Keras' Precision, thresholded (default 0.5; `thresholds`, `classId`). Called with tensors, as
 * `tf.metrics.precision(yTrue, yPred)`: TP / (TP + FP) over every value, a scalar computed now;
 * as in tfjs, both hold 0s and 1s (it compares with 1 exactly, thresholding nothing).
 * @example `km.metrics.precision({ thresholds: 0.7 })`
 */
export const precision = withTensorForm<ThresholdMetricArgs>('km.metrics.precision', precisionMetric, onTensors.precisionOf);
/**
 * Keras' Recall, thresholded (default 0.5). Called with tensors, as `tf.metrics.recall(yTrue, yPred)`:
 * TP / (TP + FN) over every value of 0/1 tensors, a scalar computed now.
 * @example `km.metrics.recall({ thresholds: 0.7 })`
 */
export const recall = withTensorForm<ThresholdMetricArgs>('km.metrics.recall', recallMetric, onTensors.recallOf);
/**
 * Keras 3's R2Score over the epoch (`classAggregation`, `numRegressors`). Called with tensors, as
 * `tf.metrics.r2Score(yTrue, yPred)`: one score pooling every value (tfjs' form), a scalar computed now.
 * @example `km.metrics.r2Score()`
 */
export const r2Score = withTensorForm<R2ScoreArgs>('km.metrics.r2Score', r2ScoreMetric, onTensors.r2ScoreOf);

/** Options of the confusion counts: the threshold above which an output counts as positive (default 0.5), and the log name. */
export type ConfusionCountArgs = Omit<ThresholdMetricArgs, 'classId'>;

/** Weighted count of outputs above the threshold whose target is non-zero (Keras' TruePositives). @example `km.metrics.truePositives({ thresholds: 0.7 })` */
export function truePositives(args: ConfusionCountArgs = {}): Metric {
  return confusionCount('TruePositives', args);
}

/** Weighted count of outputs above the threshold whose target is zero (Keras' FalsePositives). */
export function falsePositives(args: ConfusionCountArgs = {}): Metric {
  return confusionCount('FalsePositives', args);
}

/** Weighted count of outputs at or below the threshold whose target is zero (Keras' TrueNegatives). */
export function trueNegatives(args: ConfusionCountArgs = {}): Metric {
  return confusionCount('TrueNegatives', args);
}

/** Weighted count of outputs at or below the threshold whose target is non-zero (Keras' FalseNegatives). */
export function falseNegatives(args: ConfusionCountArgs = {}): Metric {
  return confusionCount('FalseNegatives', args);
}

// TensorFlow.js' short names in tf.metrics (and Keras' mae), for `metrics: [km.metrics.mse()]`: the same
// factories, so the logs say 'mean_squared_error' where the string 'mse' logs 'mse'.
/** tfjs' `tf.metrics.mse`: {@link meanSquaredError}. @example `metrics: [km.metrics.mse()]` (or `'mse'`) */
export const mse = meanSquaredError;
/** tfjs' `tf.metrics.MSE`: {@link meanSquaredError}. */
export const MSE = meanSquaredError;
/** Keras' `mae`: {@link meanAbsoluteError}. @example `metrics: [km.metrics.mae()]` (or `'mae'`) */
export const mae = meanAbsoluteError;
/** Keras' `MAE`: {@link meanAbsoluteError}. */
export const MAE = meanAbsoluteError;
/** tfjs' `tf.metrics.mape`: {@link meanAbsolutePercentageError}. @example `metrics: [km.metrics.mape()]` (or `'mape'`) */
export const mape = meanAbsolutePercentageError;
/** tfjs' `tf.metrics.MAPE`: {@link meanAbsolutePercentageError}. */
export const MAPE = meanAbsolutePercentageError;

markCompileFactories({
  binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, topKCategoricalAccuracy, sparseTopKCategoricalAccuracy, meanAbsoluteError, meanSquaredError, rootMeanSquaredError,
  binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy, meanAbsolutePercentageError, meanSquaredLogarithmicError, kullbackLeiblerDivergence, poisson, logCosh,
  hinge, squaredHinge, categoricalHinge, cosineSimilarity, cosineProximity, truePositives, falsePositives, trueNegatives, falseNegatives,
  auc, precision, recall, r2Score, f1Score, fBetaScore, iou, meanIoU, oneHotIoU, oneHotMeanIoU, binaryIoU,
  precisionAtRecall, recallAtPrecision, sensitivityAtSpecificity, specificityAtSensitivity, pearsonCorrelation, concordanceCorrelation,
});
