// tfjs-layers 4.22's tf.metrics functions: km.metrics.X(yTrue, yPred) gives what tf.metrics.X gives
// (shape, float32 dtype, values). Those tfjs composes of ops compose km's host ops the same way, so
// km.grad differentiates them; the counting ones (accuracies, precision, recall) round to float32
// after each of tfjs' steps. Unlike tfjs, yTrue and yPred of different shapes are refused rather
// than broadcast.
import { Tensor, type DType } from '../tensor.js';
import { add, div, maximum, mul, sub } from '../ops/arithmetic.js';
import { abs, clipByValue, exp, log, log1p, neg, relu, sqrt } from '../ops/elementwise.js';
import { argMax, mean, sum } from '../ops/reduce.js';
import { cast } from '../ops/shape_ops.js';
import { hostValues } from '../ops/operand.js';
import { checkHasAxis, checkSameShape } from '../utils/tensor_call.js';

const f32 = Math.fround;
/** tfjs-layers' epsilon() on its CPU backend. */
const EPSILON = 1e-7;

/** A value stored as `dtype` stores it: float32 rounding, or int32 wrapping (NaN and ±Infinity become 0). */
const store = (dtype: DType, v: number): number => (dtype === 'int32' ? v | 0 : f32(v));
/** tfjs' result dtype for an op on two tensors. */
const upcast = (a: Tensor, b: Tensor): DType => (a.dtype === 'int32' && b.dtype === 'int32' ? 'int32' : 'float32');
const lastAxisShape = (t: Tensor) => t.shape.slice(0, -1);
const float = (values: Float32Array, shape: readonly number[]) => new Tensor(values, shape, 'float32');

/** The values of both, checked to have the same shape (and an axis to reduce, where `reduces`). */
function pair(call: string, yTrue: Tensor, yPred: Tensor, reduces = true): [ArrayLike<number>, ArrayLike<number>] {
  checkSameShape(call, yTrue, yPred);
  if (reduces) checkHasAxis(call, yTrue, 'yTrue');
  return [hostValues(call, yTrue), hostValues(call, yPred)];
}

/** An elementwise loss of `yTrue` and `yPred`, averaged over the last axis as tfjs' mean does. */
function lastAxisMean(call: string, yTrue: Tensor, yPred: Tensor, loss: (t: number, p: number) => number): Tensor<'float32'> {
  const [t, p] = pair(call, yTrue, yPred);
  const losses = new Float32Array(t.length);
  for (let i = 0; i < t.length; i++) losses[i] = loss(t[i], p[i]);
  return mean(float(losses, yTrue.shape), -1);
}

/** `tf.metrics.binaryAccuracy`: per sample, the fraction of outputs on the side of 0.5 (above is 1) equal to their target. */
export function binaryAccuracyOf(yTrue: Tensor, yPred: Tensor): Tensor<'float32'> {
  return lastAxisMean('km.metrics.binaryAccuracy', yTrue, yPred, (t, p) => (t === (p > 0.5 ? 1 : 0) ? 1 : 0));
}

/** `tf.metrics.categoricalAccuracy`: per sample, 1 where the argmax of yPred's last axis is yTrue's, else 0. */
export function categoricalAccuracyOf(yTrue: Tensor, yPred: Tensor): Tensor<'float32'> {
  pair('km.metrics.categoricalAccuracy', yTrue, yPred);
  const [t, p] = [argMax(yTrue, -1).dataSync(), argMax(yPred, -1).dataSync()];
  return float(Float32Array.from(t, (c, i) => (c === p[i] ? 1 : 0)), lastAxisShape(yTrue));
}

/** `tf.metrics.sparseCategoricalAccuracy`: per sample, 1 where yPred's argmax is the integer label, else 0. */
export function sparseCategoricalAccuracyOf(yTrue: Tensor, yPred: Tensor): Tensor<'float32'> {
  const call = 'km.metrics.sparseCategoricalAccuracy';
  checkHasAxis(call, yPred, 'yPred');
  const labelShape = lastAxisShape(yPred);
  const squeezable = yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1;
  const given = squeezable ? yTrue.shape.slice(0, -1) : yTrue.shape;
  if (given.length !== labelShape.length || given.some((d, i) => d !== labelShape[i])) {
    throw new Error(`${call}: yTrue holds one integer label per row of yPred, so its shape must be yPred's without the last axis ([${labelShape.join(', ')}], or [${[...labelShape, 1].join(', ')}]). Received: yTrue [${yTrue.shape.join(', ')}], yPred [${yPred.shape.join(', ')}]. For one-hot rows use km.metrics.categoricalAccuracy.`);
  }
  const labels = hostValues(call, yTrue);
  checkLabels(call, labels, yPred.shape[yPred.rank - 1]);
  const predicted = argMax(yPred, -1).dataSync();
  return float(Float32Array.from(predicted, (c, i) => (c === labels[i] ? 1 : 0)), labelShape);
}

/** Throws for a label that is not an integer in [0, classes). */
function checkLabels(call: string, labels: ArrayLike<number>, classes: number): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (Number.isInteger(label) && label >= 0 && label < classes) continue;
    throw new Error(`${call}: yTrue holds class labels, integers in [0, ${classes}) for yPred's ${classes} classes; it holds ${label} at index ${i}. Pass labels of the classes yPred scores (or one-hot rows to the categorical form).`);
  }
}

/** tfjs' TP / (TP + FP) (or FN, for `recall`), counting pairs of values equal to 1 and 0 exactly. */
function precisionOrRecall(call: string, yTrue: Tensor, yPred: Tensor, recall: boolean): Tensor<'float32'> {
  const [t, p] = pair(call, yTrue, yPred, false);
  for (const [name, values] of [['yTrue', t], ['yPred', p]] as const) {
    let i = 0;
    while (i < values.length && (values[i] === 0 || values[i] === 1)) i++;
    if (i < values.length) {
      throw new Error(`${call} counts values equal to 1 and 0 exactly, as tfjs' does, so yTrue and yPred must hold 0s and 1s; ${name} holds ${Number(values[i].toPrecision(7))} at index ${i}. Threshold probabilities first, e.g. km.tensor(Array.from(p.dataSync(), (v) => (v > 0.5 ? 1 : 0)), p.shape), or compile km.metrics.${recall ? 'recall' : 'precision'}({ thresholds: 0.5 }), Keras' metric that thresholds.`);
    }
  }
  let tp = 0;
  let other = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === 1 && p[i] === 1) tp++;
    else if (recall ? t[i] === 1 && p[i] === 0 : t[i] === 0 && p[i] === 1) other++;
  }
  const denominator = f32(f32(tp) + f32(other));
  return float(new Float32Array([denominator > 0 ? f32(f32(tp) / denominator) : 0]), []);
}

/** `tf.metrics.precision`: TP / (TP + FP) over every value, 0 without positives predicted; a scalar. */
export function precisionOf(yTrue: Tensor, yPred: Tensor): Tensor<'float32'> {
  return precisionOrRecall('km.metrics.precision', yTrue, yPred, false);
}

/** `tf.metrics.recall`: TP / (TP + FN) over every value, 0 without positive targets; a scalar. */
export function recallOf(yTrue: Tensor, yPred: Tensor): Tensor<'float32'> {
  return precisionOrRecall('km.metrics.recall', yTrue, yPred, true);
}

/** Probabilities clipped to [ε, 1 − ε] as tfjs-layers clips them; integer values are read as float32 (tfjs' integer clipping would make them 0). */
const clippedProbabilities = (p: Tensor) => clipByValue(cast(p, 'float32'), EPSILON, 1 - EPSILON);

/**
 * `tf.metrics.binaryCrossentropy`: per sample, the mean over the last axis of the cross-entropy of
 * probabilities clipped to [1e-7, 1 − 1e-7], computed as tfjs does through their logits.
 */
export function binaryCrossentropyOf(yTrue: Tensor, yPred: Tensor): Tensor<'float32'> {
  pair('km.metrics.binaryCrossentropy', yTrue, yPred);
  const y = clippedProbabilities(yPred);
  const logits = log(div(y, sub(1, y)));
  return mean(add(sub(relu(logits), mul(logits, yTrue)), log1p(exp(neg(abs(logits))))), -1);
}

/**
 * `tf.metrics.categoricalCrossentropy`: per sample, −Σ t·log(p) over the last axis, each yPred row
 * divided by its sum and clipped to [1e-7, 1 − 1e-7] first. Integer yPred is read as float32.
 */
export function categoricalCrossentropyOf(yTrue: Tensor, yPred: Tensor): Tensor<'float32'> {
  pair('km.metrics.categoricalCrossentropy', yTrue, yPred);
  const p = cast(yPred, 'float32');
  const scaled = clippedProbabilities(div(p, sum(p, -1, true)));
  return neg(sum(mul(cast(yTrue, 'float32'), log(scaled)), -1)) as Tensor<'float32'>;
}

/** Rows divided by their l2 norm, floored at √1e-7, as tfjs-layers' l2Normalize. */
function l2Normalized(x: Tensor): Tensor {
  const values = cast(x, 'float32');
  return div(values, sqrt(maximum(sum(mul(values, values), -1, true), EPSILON)));
}

/** `tf.metrics.cosineProximity`: per sample, −Σ of the l2-normalised rows' products (norms floored at √1e-7). */
export function cosineProximityOf(yTrue: Tensor, yPred: Tensor): Tensor<'float32'> {
  pair('km.metrics.cosineProximity', yTrue, yPred);
  return neg(sum(mul(l2Normalized(yTrue), l2Normalized(yPred)), -1)) as Tensor<'float32'>;
}

/** `tf.metrics.meanSquaredError` (`mse`, `MSE`): per sample, the mean of (p − t)² over the last axis. */
export function meanSquaredErrorOf(yTrue: Tensor, yPred: Tensor): Tensor<'float32'> {
  pair('km.metrics.meanSquaredError', yTrue, yPred);
  const d = sub(yPred, yTrue);
  return mean(mul(d, d), -1);
}

/** `tf.metrics.meanAbsoluteError`: per sample, the mean of |p − t| over the last axis. */
export function meanAbsoluteErrorOf(yTrue: Tensor, yPred: Tensor): Tensor<'float32'> {
  pair('km.metrics.meanAbsoluteError', yTrue, yPred);
  return mean(abs(sub(yPred, yTrue)), -1);
}

/**
 * `tf.metrics.meanAbsolutePercentageError` (`mape`, `MAPE`): per sample, 100 · the mean of
 * |(t − p) / max(|t|, 1e-7)| over the last axis. As in tfjs, int32 yTrue loses the 1e-7 floor (a 0
 * target divides by 0), and int32 yTrue and yPred divide as integers, flooring.
 */
export function meanAbsolutePercentageErrorOf(yTrue: Tensor, yPred: Tensor): Tensor<'float32'> {
  pair('km.metrics.meanAbsolutePercentageError', yTrue, yPred);
  const clippedTrue = clipByValue(abs(yTrue), EPSILON, Number.MAX_VALUE);
  return mul(100, mean(abs(div(sub(yTrue, yPred), clippedTrue)), -1)) as Tensor<'float32'>;
}

/** `tf.metrics.r2Score`: 1 − Σ(t − p)² / Σ(t − mean t)² over every value (one pooled score), a scalar. */
export function r2ScoreOf(yTrue: Tensor, yPred: Tensor): Tensor<'float32'> {
  const [t, p] = pair('km.metrics.r2Score', yTrue, yPred, false);
  const dtype = upcast(yTrue, yPred);
  let residuals = 0;
  for (let i = 0; i < t.length; i++) {
    const d = store(dtype, t[i] - p[i]);
    residuals += store(dtype, d * d);
  }
  const m = mean(yTrue).dataSync()[0];
  let squares = 0;
  for (let i = 0; i < t.length; i++) {
    const d = f32(t[i] - m);
    squares += f32(d * d);
  }
  return float(new Float32Array([f32(1 - f32(store(dtype, residuals) / f32(squares)))]), []);
}
