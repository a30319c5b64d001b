import * as device from './device_metrics.js';
import { confusionCount, topKCategoricalAccuracy as topK, type ThresholdMetricArgs } from './host_metrics.js';
import type { Metric } from './metric.js';
import { checkOptions } from '../utils/options.js';
import { getLoss } from '../losses/losses.js';
import { LOSS_METRICS, lossMetric } from './loss_metrics.js';
import { markCompileFactories } from '../utils/compile_factories.js';
import { auc } from './auc.js';
import { precision, recall } from './host_metrics.js';
import { r2Score } from './r2_score.js';
import { f1Score, fBetaScore } from './f_score.js';
import { iou, meanIoU, oneHotIoU, oneHotMeanIoU, binaryIoU } from './iou.js';
import { precisionAtRecall, recallAtPrecision, sensitivityAtSpecificity, specificityAtSensitivity } from './threshold_curve.js';
import { pearsonCorrelation, concordanceCorrelation } from './correlation.js';

// km.metrics: Keras' stateful metrics as configured objects (compile also takes their names).
export { auc, type AucArgs } from './auc.js';
export { precision, recall, type ThresholdMetricArgs } from './host_metrics.js';
export { confusionMatrix } from './confusion_matrix.js';
export { r2Score, type R2ScoreArgs } from './r2_score.js';
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

/** Fraction of outputs on the same side of `threshold` as their 0/1 target. @example `km.metrics.binaryAccuracy({ threshold: 0.7 })` */
export function binaryAccuracy(args: MetricArgs & { threshold?: number } = {}): Metric {
  checkOptions(args, ['name', 'threshold'], 'km.metrics.binaryAccuracy');
  return device.binaryAccuracy(args.name, args.threshold);
}

/** Fraction of samples whose output argmax is the target row's argmax. @example `km.metrics.categoricalAccuracy()` */
export function categoricalAccuracy(args: MetricArgs = {}): Metric {
  checkOptions(args, ['name'], 'km.metrics.categoricalAccuracy');
  return device.categoricalAccuracy(args.name);
}

/** Fraction of samples whose output argmax is their integer label. @example `km.metrics.sparseCategoricalAccuracy()` */
export function sparseCategoricalAccuracy(args: MetricArgs = {}): Metric {
  checkOptions(args, ['name'], 'km.metrics.sparseCategoricalAccuracy');
  return device.categoricalAccuracy(args.name ?? 'sparse_categorical_accuracy');
}

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

/** Mean |p − t| over the epoch. @example `km.metrics.meanAbsoluteError()` */
export function meanAbsoluteError(args: MetricArgs = {}): Metric {
  checkOptions(args, ['name'], 'km.metrics.meanAbsoluteError');
  return device.meanAbsoluteError(args.name);
}

/** Mean (p − t)² over the epoch. @example `km.metrics.meanSquaredError()` */
export function meanSquaredError(args: MetricArgs = {}): Metric {
  checkOptions(args, ['name'], 'km.metrics.meanSquaredError');
  return device.meanSquaredError(args.name);
}

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

/** Binary cross-entropy of probabilities. @example `metrics: [km.metrics.binaryCrossentropy()]` (or `'binary_crossentropy'`) */
export const binaryCrossentropy = lossMetricFactory('binaryCrossentropy', 'binaryCrossentropy', 'binary_crossentropy', 'BinaryCrossentropy');
/** Categorical cross-entropy of probabilities against one-hot rows. @example `metrics: [km.metrics.categoricalCrossentropy()]` */
export const categoricalCrossentropy = lossMetricFactory('categoricalCrossentropy', 'categoricalCrossentropy', 'categorical_crossentropy', 'CategoricalCrossentropy');
/** Categorical cross-entropy of probabilities against integer labels. @example `metrics: [km.metrics.sparseCategoricalCrossentropy()]` */
export const sparseCategoricalCrossentropy = lossMetricFactory('sparseCategoricalCrossentropy', 'sparseCategoricalCrossentropy', 'sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy');
/** 100·mean |(t − p) / t|. @example `metrics: [km.metrics.meanAbsolutePercentageError()]` (or `'mape'`) */
export const meanAbsolutePercentageError = lossMetricFactory('meanAbsolutePercentageError', 'meanAbsolutePercentageError', 'mean_absolute_percentage_error', 'MeanAbsolutePercentageError');
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
/** tfjs' cosineProximity: −cos, the sign of the loss. @example `metrics: [km.metrics.cosineProximity()]` (or `'cosine'`) */
export const cosineProximity = lossMetricFactory('cosineProximity', 'cosineProximity', 'cosine_proximity', 'CosineProximity');

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
