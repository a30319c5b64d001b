import * as metrics from '../metrics/index.js';
import type { Metric } from '../metrics/metric.js';
import { renameKeys, toCamelCase, toSnakeCase } from './keras_names.js';
import { isObject } from './layers_model_format.js';
import type { SavedMetricEntry } from './types.js';

// The Keras classes of the metrics `km.metrics` configures, by the factory that rebuilds them.
const CONFIGURED: Record<string, (config: Record<string, unknown>) => Metric> = {
  F1Score: (c) => metrics.f1Score(c),
  FBetaScore: (c) => metrics.fBetaScore(c),
  R2Score: (c) => metrics.r2Score(c),
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
};

/**
 * A metric as a training config holds it: its name as compile received it (what tfjs reads), or
 * for a metric configured by `km.metrics` Keras' `{class_name, config}`, so that its options survive.
 */
export function savedMetric(metric: string | Metric): SavedMetricEntry {
  if (typeof metric === 'string') return metric;
  if (metric.savedAs) return { class_name: metric.savedAs.className, config: renameKeys(metric.savedAs.config, toSnakeCase) as Record<string, unknown> };
  return metric.name;
}

/** The metric a saved entry describes: a name (tfjs' 'acc' is 'accuracy'), or a Keras class with its config. */
export function metricFromSaved(saved: unknown): string | Metric {
  if (isObject(saved) && typeof saved.class_name === 'string') {
    const rebuild = CONFIGURED[saved.class_name];
    if (!rebuild) throw new Error(`its metric ${JSON.stringify(saved)} is none of ${Object.keys(CONFIGURED).join(', ')}`);
    // Keras writes its dtype, which kerasm has no choice of, and threshold null for the argmax.
    const { dtype: _, threshold, ...config } = renameKeys(saved.config ?? {}, toCamelCase) as Record<string, unknown>;
    return rebuild(threshold === null || threshold === undefined ? config : { ...config, threshold });
  }
  return saved === 'acc' ? 'accuracy' : String(saved);
}
