import type { Scalar } from '../backend/backend.js';
import { MeanMetric, classesOf, countedElements, elementsOf, positionsOf, type Metric, type MetricBatch } from './metric.js';

// Metrics computed by counting/summing kernels on the device: one scalar read back per batch.

// Each position's argmax counts once, so a [steps, classes] output is scored per step, as in Keras;
// positions count with their weights (MetricBatch.weights): padding not at all.
function argmaxMatches(b: MetricBatch): [Scalar, Scalar] {
  const rows = b.batch * positionsOf(b);
  return [b.backend.countArgmaxMatches(b.output, b.targets, b.labelTargets, rows, classesOf(b), b.weights), b.weights ? b.weightSum() : rows];
}

function checkRows(name: string, b: MetricBatch): void {
  if (b.labelTargets) {
    throw new Error(`Metric '${name}' compares outputs with targets shaped like the output, but the loss takes integer labels. Use 'sparseCategoricalAccuracy' (or 'accuracy') with integer labels, or a loss with one-hot or real-valued targets.`);
  }
}

/** Fraction of positions (samples, or each step or pixel of one) whose argmax matches the label or the target row's argmax. */
export function categoricalAccuracy(name = 'categorical_accuracy'): Metric {
  return new MeanMetric(name, argmaxMatches);
}

/** Fraction of output elements on the same side of `threshold` as their 0/1 target (Keras: p > threshold). */
export function binaryAccuracy(name = 'binary_accuracy', threshold = 0.5): Metric {
  return new MeanMetric(name, (b) => {
    checkRows(name, b);
    const n = b.batch * elementsOf(b);
    return [b.backend.countBinaryMatches(b.output, b.targets, n, threshold, b.weights, classesOf(b)), countedElements(b)];
  });
}

/** Mean |p − t| over every output element. */
export function meanAbsoluteError(name = 'mean_absolute_error'): Metric {
  return new MeanMetric(name, (b) => {
    checkRows(name, b);
    const n = b.batch * elementsOf(b);
    return [b.backend.elementwiseLoss('meanAbsoluteError', b.output, b.targets, 0, n, 0, 0, b.weights, classesOf(b)), countedElements(b)];
  });
}

function squaredErrors(name: string) {
  return (b: MetricBatch): [Scalar, Scalar] => {
    checkRows(name, b);
    const n = b.batch * elementsOf(b);
    return [b.backend.meanSquaredError(b.output, b.targets, 0, n, 0, b.weights, classesOf(b)), countedElements(b)];
  };
}

/** Mean (p − t)² over every output element. */
export function meanSquaredError(name = 'mean_squared_error'): Metric {
  return new MeanMetric(name, squaredErrors(name));
}

/** √(mean (p − t)²) over the epoch (the root of the epoch's mean, as Keras computes it). */
export function rootMeanSquaredError(name = 'root_mean_squared_error'): Metric {
  return new MeanMetric(name, squaredErrors(name), Math.sqrt);
}
