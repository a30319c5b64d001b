import { lastAxis } from '../losses/targets.js';
import type { OutputSpec } from '../engine/outputs.js';
import { sameShape, type Tensor } from '../tensor.js';

/**
 * The targets of an output compiled without a loss, which only its metrics read. Keras 3 resolves
 * 'accuracy' by the shapes of the targets and the predictions even without a loss, so integer
 * class labels (one per position, `[n, ...steps]` or with a trailing 1) are taken as well as targets
 * shaped like the output. Labels are one-hot encoded here, so the metrics compare them with the
 * predictions as they would one-hot targets: the argmax of a one-hot row is its label.
 */

/** The metrics that read a class label per position, which Keras computes the same from labels as from one-hot rows. */
const LABEL_METRICS = new Set(['accuracy', 'acc', 'sparseCategoricalAccuracy', 'sparse_categorical_accuracy', 'sparseTopKCategoricalAccuracy', 'sparse_top_k_categorical_accuracy']);

/** Whether `y` has the shape of class labels for an output of `shape` with several classes: one per position, or one per position and a trailing 1. */
function labelShaped(y: Tensor, shape: readonly number[]): boolean {
  const positions = [y.shape[0], ...shape.slice(0, -1)];
  return lastAxis(shape) > 1 && (sameShape(y.shape, positions) || sameShape(y.shape, [...positions, 1]));
}

/** Whether `y` is shaped like output `o`: `[n, ...shape]`, or without a last axis of 1. */
function outputShaped(y: Tensor, o: OutputSpec): boolean {
  const expected = [y.shape[0], ...o.shape];
  return sameShape(y.shape, expected) || (lastAxis(o.shape) === 1 && sameShape(y.shape, expected.slice(0, -1)));
}

/**
 * Checks the targets of output `o`, which has no loss, only metrics: shaped like the output, or
 * integer class labels where all its metrics read labels. `label` names the targets in errors (`y['cls']`).
 */
export function checkNoLossTargets(y: Tensor, o: OutputSpec, label: string): void {
  if (outputShaped(y, o)) return;
  const expected = [y.shape[0], ...o.shape];
  const what = `${label}, the targets of output '${o.name}' (which has no loss, only metrics)`;
  if (!labelShaped(y, o.shape)) {
    const labels = lastAxis(o.shape) > 1 ? `, or with one class label per position, [${expected.slice(0, -1).join(', ')}]` : '';
    throw new Error(`${what}: its metrics compare the predictions with targets shaped like the output, [${expected.join(', ')}]${labels}, but received shape [${y.shape.join(', ')}] (${y.dtype}).`);
  }
  const classes = lastAxis(o.shape);
  const others = [...o.metrics, ...o.weightedMetrics].filter((m) => !LABEL_METRICS.has(m.name)).map((m) => `'${m.name}'`);
  if (others.length > 0) {
    throw new Error(
      `${what}: received class labels, shape [${y.shape.join(', ')}], but its metrics ${others.join(', ')} compare the predictions with targets shaped like the output, [${expected.join(', ')}]. ` +
        `One-hot encode the labels with km.utils.toCategorical(labels, ${classes}), or give the output only label metrics ('accuracy', 'sparseCategoricalAccuracy', 'sparseTopKCategoricalAccuracy').`,
    );
  }
  const values = y.dataSync();
  const bad = Array.prototype.findIndex.call(values, (v: number) => !Number.isInteger(v) || v < 0 || v >= classes);
  if (bad >= 0) {
    throw new Error(`${what}: class labels must be integers in 0..${classes - 1}, one of the output's ${classes} classes; received ${values[bad]} at flat index ${bad}. Pass integer labels, or targets shaped like the output, [${expected.join(', ')}].`);
  }
}

/** The checked targets of output `o` (see {@link checkNoLossTargets}) as its metrics read them: rows shaped like the output, labels one-hot encoded. */
export function noLossTargets(y: Tensor, o: OutputSpec): Float32Array {
  const values = y.dataSync();
  if (outputShaped(y, o)) return values instanceof Float32Array ? values : Float32Array.from(values);
  const classes = lastAxis(o.shape);
  const rows = new Float32Array(values.length * classes);
  for (let i = 0; i < values.length; i++) rows[i * classes + values[i]] = 1;
  return rows;
}
