import * as metrics from '../metrics/index.js';
import type { Metric } from '../metrics/metric.js';
import type { MetricObject } from '../metrics/tensor_metric.js';
import type { MetricFunction } from '../metrics/function_metric.js';
import { isMetricName } from '../metrics/metrics.js';
import { renameKeys, toCamelCase, toSnakeCase } from './keras_names.js';
import { isObject } from './layers_model_format.js';
import type { SavedMetricEntry } from './types.js';

// The Keras classes of the metrics `km.metrics` configures, by the factory that rebuilds them.
const CONFIGURED: Record<string, (config: Record<string, unknown>) => Metric> = {
  F1Score: (c) => metrics.f1Score(c),
  FBetaScore: (c) => metrics.fBetaScore(c),
  R2Score: (c) => metrics.r2Score(c),
  IoU: (c) => metrics.iou(c as unknown as metrics.IoUArgs),
  MeanIoU: (c) => metrics.meanIoU(c as unknown as metrics.MeanIoUArgs),
  OneHotIoU: (c) => metrics.oneHotIoU(c as unknown as metrics.OneHotIoUArgs),
  OneHotMeanIoU: (c) => metrics.oneHotMeanIoU(c as unknown as metrics.OneHotMeanIoUArgs),
  BinaryIoU: (c) => metrics.binaryIoU(c),
  PrecisionAtRecall: (c) => metrics.precisionAtRecall(c as unknown as metrics.PrecisionAtRecallArgs),
  RecallAtPrecision: (c) => metrics.recallAtPrecision(c as unknown as metrics.RecallAtPrecisionArgs),
  SensitivityAtSpecificity: (c) => metrics.sensitivityAtSpecificity(c as unknown as metrics.SensitivityAtSpecificityArgs),
  SpecificityAtSensitivity: (c) => metrics.specificityAtSensitivity(c as unknown as metrics.SpecificityAtSensitivityArgs),
  PearsonCorrelation: (c) => metrics.pearsonCorrelation(c),
  ConcordanceCorrelation: (c) => metrics.concordanceCorrelation(c),
  BinaryCrossentropy: (c) => metrics.binaryCrossentropy(c),
  CategoricalCrossentropy: (c) => metrics.categoricalCrossentropy(c),
  SparseCategoricalCrossentropy: (c) => metrics.sparseCategoricalCrossentropy(c),
  MeanAbsolutePercentageError: (c) => metrics.meanAbsolutePercentageError(c),
  MeanSquaredLogarithmicError: (c) => metrics.meanSquaredLogarithmicError(c),
  KLDivergence: (c) => metrics.kullbackLeiblerDivergence(c),
  Poisson: (c) => metrics.poisson(c),
  LogCoshError: (c) => metrics.logCosh(c),
  Hinge: (c) => metrics.hinge(c),
  SquaredHinge: (c) => metrics.squaredHinge(c),
  CategoricalHinge: (c) => metrics.categoricalHinge(c),
  CosineSimilarity: (c) => metrics.cosineSimilarity(c),
  CosineProximity: (c) => metrics.cosineProximity(c),
  AUC: (c) => metrics.auc(withoutKerasDefaults('AUC', c, { summationMethod: 'interpolation', multiLabel: false, fromLogits: false, numLabels: undefined, labelWeights: undefined, thresholds: undefined })),
  Precision: (c) => metrics.precision(withoutKerasDefaults('Precision', c, { topK: undefined })),
  Recall: (c) => metrics.recall(withoutKerasDefaults('Recall', c, { topK: undefined })),
  TruePositives: (c) => metrics.truePositives(c),
  FalsePositives: (c) => metrics.falsePositives(c),
  TrueNegatives: (c) => metrics.trueNegatives(c),
  FalseNegatives: (c) => metrics.falseNegatives(c),
  TopKCategoricalAccuracy: (c) => metrics.topKCategoricalAccuracy(c),
  SparseTopKCategoricalAccuracy: (c) => metrics.sparseTopKCategoricalAccuracy(withoutKerasDefaults('SparseTopKCategoricalAccuracy', c, { fromSortedIds: false })),
};

/**
 * `config` without Keras options that kerasm has only at their default (`undefined`: unset, None);
 * throws naming one set otherwise, so the model loads uncompiled saying why.
 */
function withoutKerasDefaults(className: string, config: Record<string, unknown>, defaults: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...config };
  for (const [key, value] of Object.entries(defaults)) {
    if (key in rest && rest[key] !== value) throw new Error(`its ${className} metric sets ${toSnakeCase(key)}=${JSON.stringify(rest[key])}, which kerasm's ${className} does not have (only ${value === undefined ? 'None' : JSON.stringify(value)})`);
    delete rest[key];
  }
  return rest;
}

// Keras' names for options with a one-letter word, which plain snake-casing would join to the next.
const ONE_LETTER_WORDS: Readonly<Record<string, string>> = { sparseYTrue: 'sparse_y_true', sparseYPred: 'sparse_y_pred' };
const metricKeyName = (key: string): string => ONE_LETTER_WORDS[key] ?? toSnakeCase(key);

/**
 * A metric as a training config holds it: its name as compile received it (what tfjs reads), or
 * for a metric configured by `km.metrics` Keras' `{class_name, config}`, so that its options survive.
 */
export function savedMetric(metric: string | MetricObject | MetricFunction): SavedMetricEntry {
  if (typeof metric === 'string') return metric;
  if ('savedAs' in metric && metric.savedAs) return { class_name: metric.savedAs.className, config: renameKeys(metric.savedAs.config, metricKeyName) as Record<string, unknown> };
  return metric.name;
}

/**
 * The metric a saved entry describes: a name (tfjs' 'acc' is 'accuracy'), or a Keras class with its
 * config; throws, naming it as saved, for one kerasm does not have, so the model loads uncompiled.
 */
export function metricFromSaved(saved: unknown): string | Metric {
  if (isObject(saved) && typeof saved.class_name === 'string') {
    const rebuild = CONFIGURED[saved.class_name];
    if (!rebuild) throw new Error(`its metric ${JSON.stringify(saved)} is none of ${Object.keys(CONFIGURED).join(', ')}`);
    // Keras writes its dtype, which kerasm has no choice of, and None for an option left unset
    // (F1Score's threshold for the argmax, IoU's ignore_class): the option's default.
    const { dtype: _, ...config } = renameKeys(saved.config ?? {}, toCamelCase) as Record<string, unknown>;
    return rebuild(Object.fromEntries(Object.entries(config).filter(([, value]) => value !== null)));
  }
  const name = saved === 'acc' ? 'accuracy' : String(saved);
  if (!isMetricName(name)) throw new Error(`its metric ${typeof saved === 'string' ? `'${saved}'` : JSON.stringify(saved)} is not one kerasm has (a custom metric? see km.metrics for those it has)`);
  return name;
}
