import type { Shape } from '../layers/layer.js';
import { lastAxis } from '../losses/targets.js';
import type { Loss } from '../losses/losses.js';
import { auc } from './auc.js';
import { binaryAccuracy, categoricalAccuracy, meanAbsoluteError, meanSquaredError, rootMeanSquaredError } from './device_metrics.js';
import { confusionCount, precision, recall, topKCategoricalAccuracy } from './host_metrics.js';
import type { Metric } from './metric.js';
import { isTensorMetric, tensorMetricAdapter, type MetricObject } from './tensor_metric.js';
import { f1Score, fBetaScore } from './f_score.js';
import { KERAS_LOSS_METRIC_CLASSES, LOSS_METRICS, namedLossMetric } from './loss_metrics.js';
import { r2Score } from './r2_score.js';
import { refusedFunctionError } from '../engine/function_in_compile.js';
import { functionMetric, type MetricFunction } from './function_metric.js';
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
  // Keras 3's metric class names: its compile takes them as strings (metrics=['AUC']) and logs each
  // under the class's default name ('auc', 'val_auc'), as it makes the class with its defaults.
  BinaryAccuracy: () => binaryAccuracy('binary_accuracy'),
  CategoricalAccuracy: () => categoricalAccuracy('categorical_accuracy'),
  SparseCategoricalAccuracy: () => categoricalAccuracy('sparse_categorical_accuracy'),
  TopKCategoricalAccuracy: () => topKCategoricalAccuracy(5, 'top_k_categorical_accuracy'),
  SparseTopKCategoricalAccuracy: () => topKCategoricalAccuracy(5, 'sparse_top_k_categorical_accuracy', 'SparseTopKCategoricalAccuracy'),
  Precision: () => precision({ name: 'precision' }),
  Recall: () => recall({ name: 'recall' }),
  AUC: () => auc({ name: 'auc' }),
  TruePositives: () => confusionCount('TruePositives', { name: 'true_positives' }),
  FalsePositives: () => confusionCount('FalsePositives', { name: 'false_positives' }),
  TrueNegatives: () => confusionCount('TrueNegatives', { name: 'true_negatives' }),
  FalseNegatives: () => confusionCount('FalseNegatives', { name: 'false_negatives' }),
  MeanAbsoluteError: () => meanAbsoluteError('mean_absolute_error'),
  MeanSquaredError: () => meanSquaredError('mean_squared_error'),
  RootMeanSquaredError: () => rootMeanSquaredError('root_mean_squared_error'),
  R2Score: () => r2Score({ name: 'r2_score' }),
  F1Score: () => f1Score({ name: 'f1_score' }),
  FBetaScore: () => fBetaScore({ name: 'fbeta_score' }),
  PearsonCorrelation: () => pearsonCorrelation({ name: 'pearson_correlation' }),
  ConcordanceCorrelation: () => concordanceCorrelation({ name: 'concordance_correlation' }),
  ...Object.fromEntries(Object.entries(KERAS_LOSS_METRIC_CLASSES).map(([className, key]) => [className, () => namedLossMetric(key)])),
  ...Object.fromEntries(Object.keys(LOSS_METRICS).map((key) => [key, (name: string) => namedLossMetric(name)])),
};

/** Metric names accepted by `compile`. */
export type MetricName = keyof typeof FACTORIES;

/** Whether a value is a metric object: a name, reset and result, and update (kerasm's form, as km.metrics makes) or updateState (Keras'). */
export function isMetricObject(value: unknown): value is MetricObject {
  return typeof value === 'object' && value !== null && missingMembers(value).length === 0;
}

function missingMembers(value: object): string[] {
  const m = value as Record<string, unknown>;
  const missing: string[] = ['reset', 'result'].filter((key) => typeof m[key] !== 'function');
  if (typeof m.update !== 'function' && typeof m.updateState !== 'function') missing.push('update or updateState');
  return typeof m.name === 'string' ? missing : ['name (a string)', ...missing];
}

const METRIC_OBJECT_FORMS = "an object with name, reset, result and either update(batch) (kerasm's form: one km.metrics.MetricBatch) or updateState(yTrue, yPred, sampleWeight) (Keras' form: km.Tensor values), or a named function (yTrue, yPred) => km.Tensor";

/** An object's own keys and its classes' methods (a metric written as a class keeps them on its prototype). */
function memberNames(value: object): string[] {
  const names = new Set(Object.keys(value));
  for (let proto = Object.getPrototypeOf(value); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto)) if (key !== 'constructor') names.add(key);
  }
  return [...names];
}

/** Throws for a metric object that is neither form, or whose update takes Keras' arguments. */
function checkMetricObject(metric: object): void {
  const missing = missingMembers(metric);
  if (missing.length > 0) {
    const members = memberNames(metric);
    const kerasReset = missing.includes('reset') ? members.find((key) => key === 'resetState' || key === 'reset_state' || key === 'resetStates' || key === 'reset_states') : undefined;
    const fix = kerasReset ? ` Keras' reset_state is named reset here: rename ${kerasReset} to reset.` : '';
    throw new Error(`A metric must be a name (e.g. 'accuracy'), a km.metrics object (e.g. km.metrics.auc()) or ${METRIC_OBJECT_FORMS}; received an object with keys [${members.join(', ')}], missing ${missing.join(', ')}.${fix}`);
  }
  const { name, update, updateState } = metric as { name: string; update?: (...args: unknown[]) => unknown; updateState?: unknown };
  if (update && updateState) throw new Error(`Metric '${name}' has both update and updateState, so it is unclear which to call. Keep update(batch) for kerasm's MetricBatch, or updateState(yTrue, yPred, sampleWeight) for Keras' tensors.`);
  if (update && update.length >= 2) {
    throw new Error(`Metric '${name}' declares update with ${update.length} parameters, but update receives one km.metrics.MetricBatch (the batch's device buffers). For Keras' signature, name the method updateState(yTrue, yPred, sampleWeight): it receives km.Tensor values.`);
  }
}

/** Whether compile takes `name` as a metric name. */
export function isMetricName(name: string): boolean {
  return Object.hasOwn(FACTORIES, name);
}

/** Throws for a metric kerasm does not know, listing the valid names; passes metric objects through. */
export function checkMetricName(metric: string | MetricObject | MetricFunction): void {
  if (typeof metric === 'function') {
    const refused = refusedFunctionError('metric', metric, (name) => name in FACTORIES);
    if (refused) throw refused;
    functionMetric(metric);
    return;
  }
  if (typeof metric === 'object' && metric !== null) return checkMetricObject(metric);
  if (typeof metric !== 'string') throw new Error(`A metric must be a name (e.g. 'accuracy'), a km.metrics object (e.g. km.metrics.auc()) or ${METRIC_OBJECT_FORMS}; received ${String(metric)}.`);
  if (!(metric in FACTORIES)) throw new Error(`Unknown metric '${metric}'.${unknownMetricHint(metric)} Valid metrics: ${Object.keys(FACTORIES).map((n) => `'${n}'`).join(', ')}.`);
}

/** What an unknown metric name probably meant: Keras' exact-match Accuracy, or a known name spelt in another case or with underscores. */
function unknownMetricHint(metric: string): string {
  if (metric === 'Accuracy') {
    return " Keras' Accuracy class counts outputs exactly equal to their targets, which kerasm has no metric for; for the fraction of correct classes, use 'accuracy' (resolved from the loss, as Keras does).";
  }
  const key = (name: string) => name.toLowerCase().replaceAll('_', '');
  const meant = Object.keys(FACTORIES).find((name) => key(name) === key(metric));
  return meant ? ` Did you mean '${meant}'?` : '';
}

/** Resolves a metric name for a compiled loss and output shape; passes a kerasm metric object through and adapts a Keras-form one or a function of tensors. */
export function getMetric(metric: string | MetricObject | MetricFunction, loss: Loss, outputShape: Shape): Metric {
  checkMetricName(metric);
  if (typeof metric === 'string') return FACTORIES[metric](metric, loss, outputShape);
  if (typeof metric === 'function') return tensorMetricAdapter(functionMetric(metric));
  return isTensorMetric(metric) ? tensorMetricAdapter(metric) : metric;
}
