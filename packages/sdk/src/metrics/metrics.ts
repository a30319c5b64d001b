import type { Shape } from '../layers/layer.js';
import { lastAxis } from '../losses/targets.js';
import type { Loss } from '../losses/losses.js';
import { auc } from './auc.js';
import { binaryAccuracy, categoricalAccuracy, meanAbsoluteError, meanSquaredError, rootMeanSquaredError } from './device_metrics.js';
import { confusionCount, precision, recall, topKCategoricalAccuracy } from './host_metrics.js';
import type { Metric } from './metric.js';
import { f1Score, fBetaScore } from './f_score.js';
import { LOSS_METRICS, namedLossMetric } from './loss_metrics.js';
import { r2Score } from './r2_score.js';
import { functionInCompileError } from '../engine/function_in_compile.js';
import { concordanceCorrelation, pearsonCorrelation } from './correlation.js';

export type { Metric } from './metric.js';

/** 'accuracy' as Keras resolves it: from the loss and the output, sparse/categorical for class outputs, binary otherwise. */
function accuracyFor(name: string, loss: Loss, outputShape: Shape): Metric {
  if (loss.name === 'ctc') {
    throw new Error(`Metric '${name}' compares the class at each output step with a target, but loss 'ctc' takes label sequences that are not aligned with the steps. Drop the metric, and measure sequence accuracy on km.utils.ctcDecode's output instead.`);
  }
  const cols = lastAxis(outputShape);
  const categorical = loss.sparseTargets || loss.name === 'categoricalCrossentropy' || loss.name === 'sparseCategoricalCrossentropy' || (loss.name !== 'binaryCrossentropy' && cols > 1);
  return categorical ? categoricalAccuracy(name) : binaryAccuracy(name);
}

// Every name compile accepts, camelCase and Keras' snake_case; logs use the name as written.
const FACTORIES: Record<string, (name: string, loss: Loss, outputShape: Shape) => Metric> = {
  accuracy: (name, loss, shape) => accuracyFor(name, loss, shape),
  acc: (name, loss, shape) => accuracyFor(name, loss, shape),
  binaryAccuracy: (name) => binaryAccuracy(name),
  binary_accuracy: (name) => binaryAccuracy(name),
  categoricalAccuracy: (name) => categoricalAccuracy(name),
  categorical_accuracy: (name) => categoricalAccuracy(name),
  sparseCategoricalAccuracy: (name) => categoricalAccuracy(name),
  sparse_categorical_accuracy: (name) => categoricalAccuracy(name),
  topKCategoricalAccuracy: (name) => topKCategoricalAccuracy(5, name),
  top_k_categorical_accuracy: (name) => topKCategoricalAccuracy(5, name),
  sparseTopKCategoricalAccuracy: (name) => topKCategoricalAccuracy(5, name, 'SparseTopKCategoricalAccuracy'),
  sparse_top_k_categorical_accuracy: (name) => topKCategoricalAccuracy(5, name, 'SparseTopKCategoricalAccuracy'),
  precision: (name) => precision({ name }),
  truePositives: (name) => confusionCount('TruePositives', { name }),
  true_positives: (name) => confusionCount('TruePositives', { name }),
  falsePositives: (name) => confusionCount('FalsePositives', { name }),
  false_positives: (name) => confusionCount('FalsePositives', { name }),
  trueNegatives: (name) => confusionCount('TrueNegatives', { name }),
  true_negatives: (name) => confusionCount('TrueNegatives', { name }),
  falseNegatives: (name) => confusionCount('FalseNegatives', { name }),
  false_negatives: (name) => confusionCount('FalseNegatives', { name }),
  recall: (name) => recall({ name }),
  auc: (name) => auc({ name }),
  meanAbsoluteError: (name) => meanAbsoluteError(name),
  mean_absolute_error: (name) => meanAbsoluteError(name),
  mae: (name) => meanAbsoluteError(name),
  meanSquaredError: (name) => meanSquaredError(name),
  mean_squared_error: (name) => meanSquaredError(name),
  mse: (name) => meanSquaredError(name),
  rootMeanSquaredError: (name) => rootMeanSquaredError(name),
  root_mean_squared_error: (name) => rootMeanSquaredError(name),
  rmse: (name) => rootMeanSquaredError(name),
  MAE: (name) => meanAbsoluteError(name),
  MSE: (name) => meanSquaredError(name),
  r2Score: (name) => r2Score({ name }),
  r2_score: (name) => r2Score({ name }),
  f1Score: (name) => f1Score({ name }),
  f1_score: (name) => f1Score({ name }),
  fBetaScore: (name) => fBetaScore({ name }),
  fbeta_score: (name) => fBetaScore({ name }),
  f_beta_score: (name) => fBetaScore({ name }),
  pearsonCorrelation: (name) => pearsonCorrelation({ name }),
  pearson_correlation: (name) => pearsonCorrelation({ name }),
  concordanceCorrelation: (name) => concordanceCorrelation({ name }),
  concordance_correlation: (name) => concordanceCorrelation({ name }),
  ...Object.fromEntries(Object.keys(LOSS_METRICS).map((key) => [key, (name: string) => namedLossMetric(name)])),
};

/** Metric names accepted by `compile`. */
export type MetricName = keyof typeof FACTORIES;

/** Whether a value is a metric object: a name and reset, update and result (what km.metrics makes). */
export function isMetricObject(value: unknown): value is Metric {
  const m = value as Partial<Metric> | null;
  return typeof value === 'object' && m !== null && typeof m.update === 'function' && typeof m.result === 'function' && typeof m.reset === 'function' && typeof m.name === 'string';
}

/** Whether compile takes `name` as a metric name. */
export function isMetricName(name: string): boolean {
  return Object.hasOwn(FACTORIES, name);
}

/** Throws for a metric kerasm does not know, listing the valid names; passes metric objects through. */
export function checkMetricName(metric: string | Metric): void {
  if (typeof metric === 'function') throw functionInCompileError('metric', metric, (name) => name in FACTORIES);
  if (typeof metric !== 'string') {
    if (!isMetricObject(metric)) {
      throw new Error(`A metric must be a name or an object with name, reset, update and result (e.g. km.metrics.auc()); received ${JSON.stringify(metric)}.`);
    }
    return;
  }
  if (!(metric in FACTORIES)) throw new Error(`Unknown metric '${metric}'. Valid metrics: ${Object.keys(FACTORIES).map((n) => `'${n}'`).join(', ')}.`);
}

/** Resolves a metric name (or passes a metric object through) for a compiled loss and output shape. */
export function getMetric(metric: string | Metric, loss: Loss, outputShape: Shape): Metric {
  checkMetricName(metric);
  return typeof metric === 'string' ? FACTORIES[metric](metric, loss, outputShape) : metric;
}
