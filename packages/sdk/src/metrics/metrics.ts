import type { Backend, BufferId, Scalar } from '../backend/backend.js';
import type { Shape } from '../layers/layer.js';
import type { Loss } from '../losses/losses.js';

/** A metric accumulated over an epoch as a sum of values and a count. */
export interface Metric {
  /** The key it is reported under in logs and History (`accuracy`, `val_accuracy`). */
  readonly name: string;
  /** Returns [sum, count] for one batch; the reported value is Σsum / Σcount. */
  update(backend: Backend, output: BufferId, targets: BufferId, batch: number, outputShape: Shape): [Scalar, number];
}

function accuracyFor(loss: Loss, outputShape: Shape): Metric['update'] {
  const cols = outputShape.reduce((a, b) => a * b, 1);
  // Keras resolves 'accuracy' from the loss and output: sparse/categorical for class outputs, binary otherwise.
  if (loss.sparseTargets) {
    return (b, out, t, batch) => [b.countArgmaxMatches(out, t, true, batch, cols), batch];
  }
  if (loss.name === 'categoricalCrossentropy' || (loss.name !== 'binaryCrossentropy' && cols > 1)) {
    return (b, out, t, batch) => [b.countArgmaxMatches(out, t, false, batch, cols), batch];
  }
  return (b, out, t, batch) => [b.countBinaryMatches(out, t, batch * cols, 0.5), batch * cols];
}

const METRIC_NAMES = ['accuracy', 'acc'] as const;

/** Metric names accepted by `compile`. */
export type MetricName = (typeof METRIC_NAMES)[number];

/** Throws for a metric name kerasm does not know, listing the valid ones. */
export function checkMetricName(name: string): MetricName {
  if ((METRIC_NAMES as readonly string[]).includes(name)) return name as MetricName;
  throw new Error(`Unknown metric '${name}'. Valid metrics: ${METRIC_NAMES.map((n) => `'${n}'`).join(', ')}.`);
}

/** Resolves a metric name for a compiled loss and output shape. */
export function getMetric(name: string, loss: Loss, outputShape: Shape): Metric {
  return { name: checkMetricName(name), update: accuracyFor(loss, outputShape) };
}
