import * as device from './device_metrics.js';
import { topKCategoricalAccuracy as topK } from './host_metrics.js';
import type { Metric } from './metric.js';
import { checkOptions } from '../utils/options.js';

// km.metrics: Keras' stateful metrics as configured objects (compile also takes their names).
export { auc, type AucArgs } from './auc.js';
export { precision, recall, type ThresholdMetricArgs } from './host_metrics.js';
export { confusionMatrix } from './confusion_matrix.js';
export type { Metric, MetricBatch } from './metric.js';

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
