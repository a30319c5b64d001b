// tfjs-core 4.22's tf.losses functions, computed on the host: km.losses.X(labels, predictions,
// weights?, ..., reduction?) gives what tf.losses.X gives (shape, dtype, values), rounding to float32
// after each of tfjs' ops, then weighting and reducing as computeWeightedLoss does.
import type { DType, Tensor, TensorLike } from '../tensor.js';
import { hostValues } from '../ops/operand.js';
import { checkSameShape, tensorArgument, tensorPair } from '../utils/tensor_call.js';
import { checkReduction, Reduction, weightedLoss, type HostTensor } from './weighted_losses.js';

const f32 = Math.fround;
/** A value stored as `dtype` stores it: float32 rounding, or int32 wrapping. */
const store = (dtype: DType, v: number): number => (dtype === 'int32' ? v | 0 : f32(v));

/** What every tfjs-core loss takes: labels and predictions of one shape, optional weights, a reduction. */
type Tensors = Tensor | TensorLike;

interface Inputs {
  call: string;
  t: ArrayLike<number>;
  p: ArrayLike<number>;
  shape: readonly number[];
  dtype: DType;
}

function inputs(name: string, labels: Tensors, predictions: Tensors, names: readonly [string, string] = ['labels', 'predictions']): Inputs {
  const call = `km.losses.${name}`;
  const [t, p] = tensorPair(call, [labels, predictions], names);
  checkSameShape(call, t, p, names);
  return { call, t: hostValues(call, t), p: hostValues(call, p), shape: t.shape, dtype: t.dtype === 'int32' && p.dtype === 'int32' ? 'int32' : 'float32' };
}

/** The losses (host values of `shape`) weighted and reduced as tfjs' computeWeightedLoss. */
function reduce(i: Inputs, losses: ArrayLike<number>, shape: readonly number[], dtype: DType, weights: Tensors | null | undefined, reduction: unknown): Tensor {
  const checked = checkReduction(reduction ?? Reduction.SUM_BY_NONZERO_WEIGHTS, i.call.slice('km.losses.'.length));
  let w: HostTensor | null = null;
  if (weights !== undefined && weights !== null) {
    const t = tensorArgument(i.call, 'weights', weights);
    w = { values: hostValues(i.call, t), shape: t.shape, dtype: t.dtype };
  }
  return weightedLoss({ values: losses, shape, dtype }, w, checked, i.call.slice('km.losses.'.length));
}

function elementwise(i: Inputs, loss: (t: number, p: number) => number): Float32Array {
  const out = new Float32Array(i.t.length);
  for (let k = 0; k < out.length; k++) out[k] = loss(i.t[k], i.p[k]);
  return out;
}

function checkNumber(call: string, name: string, value: number, ok: (v: number) => boolean, expected: string): number {
  if (typeof value !== 'number' || !ok(value)) throw new Error(`${call}: ${name} must be ${expected}. Received: ${name}=${JSON.stringify(value)}. It is tfjs' positional argument after weights (pass undefined for no weights).`);
  return value;
}

/** `tf.losses.absoluteDifference`: |labels − predictions|, weighted and reduced; int32 stays int32 where tfjs' does. */
export function absoluteDifferenceOf(labels: Tensors, predictions: Tensors, weights?: Tensors | null, reduction?: Reduction): Tensor {
  const i = inputs('absoluteDifference', labels, predictions);
  const losses = i.dtype === 'int32' ? Int32Array.from(i.t, (t, k) => Math.abs((t - i.p[k]) | 0)) : elementwise(i, (t, p) => f32(Math.abs(f32(t - p))));
  return reduce(i, losses, i.shape, i.dtype, weights, reduction);
}

/** `tf.losses.meanSquaredError`: (labels − predictions)², weighted and reduced; int32 stays int32 where tfjs' does. */
export function meanSquaredErrorOf(labels: Tensors, predictions: Tensors, weights?: Tensors | null, reduction?: Reduction): Tensor {
  const i = inputs('meanSquaredError', labels, predictions);
  // tfjs' squaredDifference squares the difference before rounding it.
  const losses = i.dtype === 'int32' ? Int32Array.from(i.t, (t, k) => store('int32', (t - i.p[k]) * (t - i.p[k]))) : elementwise(i, (t, p) => f32((t - p) * (t - p)));
  return reduce(i, losses, i.shape, i.dtype, weights, reduction);
}

/** `tf.losses.hingeLoss`: max(0, 1 − (2·labels − 1)·predictions), tfjs mapping every label t to 2t − 1. */
export function hingeLossOf(labels: Tensors, predictions: Tensors, weights?: Tensors | null, reduction?: Reduction): Tensor<'float32'> {
  const i = inputs('hingeLoss', labels, predictions);
  const losses = elementwise(i, (t, p) => {
    return Math.max(0, f32(1 - f32(f32(f32(2 * t) - 1) * p)));
  });
  return reduce(i, losses, i.shape, 'float32', weights, reduction) as Tensor<'float32'>;
}

/** `tf.losses.huberLoss`: ½e² for an error e within delta, delta·(|e| − ½delta) beyond. */
export function huberLossOf(labels: Tensors, predictions: Tensors, weights?: Tensors | null, delta = 1, reduction?: Reduction): Tensor<'float32'> {
  const i = inputs('huberLoss', labels, predictions);
  const d = f32(checkNumber(i.call, 'delta', delta, (v) => v > 0 && Number.isFinite(v), 'a finite number > 0 (default 1)'));
  const losses = elementwise(i, (t, p) => {
    const error = store(i.dtype, Math.abs(store(i.dtype, p - t)));
    const quadratic = Math.min(error, d);
    return f32(f32(0.5 * f32(quadratic * quadratic)) + f32(d * f32(error - quadratic)));
  });
  return reduce(i, losses, i.shape, 'float32', weights, reduction) as Tensor<'float32'>;
}

/** `tf.losses.logLoss`: −t·log(p + ε) − (1 − t)·log(1 − p + ε), ε = `epsilon` (default 1e-7), no clipping. */
export function logLossOf(labels: Tensors, predictions: Tensors, weights?: Tensors | null, epsilon = 1e-7, reduction?: Reduction): Tensor<'float32'> {
  const i = inputs('logLoss', labels, predictions);
  const e = f32(checkNumber(i.call, 'epsilon', epsilon, (v) => v >= 0 && Number.isFinite(v), 'a finite number ≥ 0 (default 1e-7)'));
  const losses = elementwise(i, (t, p) => {
    const positive = -f32(t * f32(Math.log(f32(p + e))));
    const negative = f32(f32(1 - t) * f32(Math.log(f32(f32(1 - p) + e))));
    return f32(positive - negative);
  });
  return reduce(i, losses, i.shape, 'float32', weights, reduction) as Tensor<'float32'>;
}

function checkSmoothing(call: string, labelSmoothing: number): number {
  return f32(checkNumber(call, 'labelSmoothing', labelSmoothing, (v) => v >= 0 && v <= 1, 'in [0, 1] (default 0)'));
}

/**
 * `tf.losses.sigmoidCrossEntropy`: the cross-entropy of logits against 0/1 labels, per value
 * (max(x, 0) − x·t + log(1 + e^−|x|)); labelSmoothing s makes the labels t·(1 − s) + s/2.
 */
export function sigmoidCrossEntropyOf(multiClassLabels: Tensors, logits: Tensors, weights?: Tensors | null, labelSmoothing = 0, reduction?: Reduction): Tensor<'float32'> {
  const i = inputs('sigmoidCrossEntropy', multiClassLabels, logits, ['multiClassLabels', 'logits']);
  const s = checkSmoothing(i.call, labelSmoothing);
  const losses = elementwise(i, (label, x) => {
    const t = s > 0 ? f32(f32(label * f32(1 - s)) + f32(0.5 * s)) : label;
    return f32(f32(Math.max(0, x) - f32(x * t)) + f32(Math.log1p(f32(Math.exp(-Math.abs(x))))));
  });
  return reduce(i, losses, i.shape, 'float32', weights, reduction) as Tensor<'float32'>;
}

/**
 * `tf.losses.softmaxCrossEntropy`: −Σ t·log softmax(x) over the last axis, one loss per row, against
 * one-hot labels; labelSmoothing s makes them t·(1 − s) + s/classes, classes being the size of axis 1
 * as in tfjs (the last axis of rank-2 labels).
 */
export function softmaxCrossEntropyOf(onehotLabels: Tensors, logits: Tensors, weights?: Tensors | null, labelSmoothing = 0, reduction?: Reduction): Tensor<'float32'> {
  const i = inputs('softmaxCrossEntropy', onehotLabels, logits, ['onehotLabels', 'logits']);
  const s = checkSmoothing(i.call, labelSmoothing);
  if (i.shape.length === 0) throw new Error(`${i.call}: onehotLabels and logits are scalars, but the loss takes a softmax over their last axis. Pass rows of class scores, e.g. shape [batch, classes].`);
  const n = i.shape[i.shape.length - 1];
  const classes = f32(i.shape[1] ?? i.shape[0]);
  const offset = f32(s / classes);
  const label = (t: number) => (s > 0 ? f32(f32(t * f32(1 - s)) + offset) : t);
  const rowShape = i.shape.slice(0, -1);
  const losses = new Float32Array(rowShape.reduce((a, b) => a * b, 1));
  for (let r = 0; r < losses.length; r++) {
    const start = r * n;
    let max = -Infinity;
    for (let j = 0; j < n; j++) if (Number.isNaN(i.p[start + j]) || i.p[start + j] > max) max = i.p[start + j];
    let total = 0;
    for (let j = 0; j < n; j++) total += f32(Math.exp(f32(i.p[start + j] - max)));
    const lse = f32(max + f32(Math.log(f32(total))));
    let cost = 0;
    for (let j = 0; j < n; j++) cost += -f32(f32(i.p[start + j] - lse) * label(i.t[start + j]));
    losses[r] = f32(cost);
  }
  return reduce(i, losses, rowShape, 'float32', weights, reduction) as Tensor<'float32'>;
}
