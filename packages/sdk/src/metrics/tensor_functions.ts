// tfjs-layers 4.22's tf.metrics functions, computed on the host: km.metrics.X(yTrue, yPred) gives
// what tf.metrics.X gives (shape, float32 dtype, values), rounding to float32 after each of tfjs'
// ops. Unlike tfjs, yTrue and yPred of different shapes are refused rather than broadcast.
import { Tensor, type DType } from '../tensor.js';
import { argMax, mean } from '../ops/reduce.js';
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

/** tfjs' clipByValue to [EPSILON, 1 − EPSILON], compared in double and stored as float32. */
const clipProbability = (p: number) => f32(p > 1 - EPSILON ? 1 - EPSILON : p < EPSILON ? EPSILON : p);

/**
 * `tf.metrics.binaryCrossentropy`: per sample, the mean over the last axis of the cross-entropy of
 * probabilities clipped to [1e-7, 1 − 1e-7], computed as tfjs does through their logits. Integer
 * yPred is read as float32 values (tfjs' integer clipping would make them 0).
 */
export function binaryCrossentropyOf(yTrue: Tensor, yPred: Tensor): Tensor<'float32'> {
  return lastAxisMean('km.metrics.binaryCrossentropy', yTrue, yPred, (t, p) => {
    const y = clipProbability(p);
    const logit = f32(Math.log(f32(y / f32(1 - y))));
    return f32(f32(Math.max(0, logit) - f32(logit * t)) + f32(Math.log1p(f32(Math.exp(-Math.abs(logit))))));
  });
}

/** Each last-axis row of `n` values: `row(start)` writes one result per row. */
function eachRow(t: Tensor, row: (start: number, n: number) => number): Float32Array {
  const n = t.shape[t.rank - 1];
  const out = new Float32Array(lastAxisShape(t).reduce((a, b) => a * b, 1));
  for (let r = 0; r < out.length; r++) out[r] = row(r * n, n);
  return out;
}

/**
 * `tf.metrics.categoricalCrossentropy`: per sample, −Σ t·log(p) over the last axis, each yPred row
 * divided by its sum and clipped to [1e-7, 1 − 1e-7] first. Integer yPred is read as float32.
 */
export function categoricalCrossentropyOf(yTrue: Tensor, yPred: Tensor): Tensor<'float32'> {
  const [t, p] = pair('km.metrics.categoricalCrossentropy', yTrue, yPred);
  return float(eachRow(yPred, (start, n) => {
    let total = 0;
    for (let j = 0; j < n; j++) total += p[start + j];
    const rowSum = f32(total);
    let cross = 0;
    for (let j = 0; j < n; j++) cross += f32(f32(t[start + j]) * f32(Math.log(clipProbability(f32(p[start + j] / rowSum)))));
    return -f32(cross);
  }), lastAxisShape(yPred));
}

/** `tf.metrics.cosineProximity`: per sample, −Σ of the l2-normalised rows' products (norms floored at √1e-7). */
export function cosineProximityOf(yTrue: Tensor, yPred: Tensor): Tensor<'float32'> {
  const [t, p] = pair('km.metrics.cosineProximity', yTrue, yPred);
  const norm = (v: ArrayLike<number>, start: number, n: number) => {
    let squares = 0;
    for (let j = 0; j < n; j++) squares += f32(f32(v[start + j]) * f32(v[start + j]));
    return f32(Math.sqrt(Math.max(f32(squares), f32(EPSILON))));
  };
  return float(eachRow(yTrue, (start, n) => {
    const [nt, np] = [norm(t, start, n), norm(p, start, n)];
    let dot = 0;
    for (let j = 0; j < n; j++) dot += f32(f32(f32(t[start + j]) / nt) * f32(f32(p[start + j]) / np));
    return -f32(dot);
  }), lastAxisShape(yTrue));
}

/** `tf.metrics.meanSquaredError` (`mse`, `MSE`): per sample, the mean of (p − t)² over the last axis. */
export function meanSquaredErrorOf(yTrue: Tensor, yPred: Tensor): Tensor<'float32'> {
  const dtype = upcast(yTrue, yPred);
  return lastAxisMean('km.metrics.meanSquaredError', yTrue, yPred, (t, p) => {
    const d = store(dtype, p - t);
    return store(dtype, d * d);
  });
}

/** `tf.metrics.meanAbsoluteError`: per sample, the mean of |p − t| over the last axis. */
export function meanAbsoluteErrorOf(yTrue: Tensor, yPred: Tensor): Tensor<'float32'> {
  const dtype = upcast(yTrue, yPred);
  return lastAxisMean('km.metrics.meanAbsoluteError', yTrue, yPred, (t, p) => store(dtype, Math.abs(store(dtype, p - t))));
}

/**
 * `tf.metrics.meanAbsolutePercentageError` (`mape`, `MAPE`): per sample, 100 · the mean of
 * |(t − p) / max(|t|, 1e-7)| over the last axis. As in tfjs, int32 yTrue loses the 1e-7 floor (a 0
 * target divides by 0), and int32 yTrue and yPred divide as integers, flooring.
 */
export function meanAbsolutePercentageErrorOf(yTrue: Tensor, yPred: Tensor): Tensor<'float32'> {
  const dtype = upcast(yTrue, yPred);
  const trueDtype = yTrue.dtype;
  const perSample = lastAxisMean('km.metrics.meanAbsolutePercentageError', yTrue, yPred, (t, p) => {
    const diff = store(dtype, t - p);
    const absTrue = Math.abs(t);
    const clipped = store(trueDtype, absTrue < EPSILON ? EPSILON : absTrue);
    const ratio = dtype === 'int32' ? store('int32', Math.floor(diff / clipped)) : f32(diff / clipped);
    return store(dtype, Math.abs(ratio));
  });
  return float(Float32Array.from(perSample.dataSync(), (m) => f32(100 * m)), perSample.shape);
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
