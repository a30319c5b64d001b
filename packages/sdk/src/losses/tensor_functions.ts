// tfjs-core 4.22's tf.losses functions: km.losses.X(labels, predictions, weights?, ..., reduction?)
// composes km's host ops as tf.losses.X composes tfjs', then weights and reduces as
// computeWeightedLoss does, so it gives what tfjs gives (shape, dtype, values) and km.grad, a loss
// function given to compile, or a CallLayer differentiates it.
import { add, div, minimum, mul, squaredDifference, sub } from '../ops/arithmetic.js';
import { abs, exp, log, log1p, neg, relu, square } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import { logSumExp } from '../ops/softmax.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { checkSameShape, tensorArgument, tensorPair } from '../utils/tensor_call.js';
import { checkReduction, Reduction, weightedLoss } from './weighted_losses.js';

/** What every tfjs-core loss takes: labels and predictions of one shape, optional weights, a reduction. */
type Tensors = Tensor | TensorLike;

interface Inputs {
  name: string;
  call: string;
  t: Tensor;
  p: Tensor;
}

function inputs(name: string, labels: Tensors, predictions: Tensors, names: readonly [string, string] = ['labels', 'predictions']): Inputs {
  const call = `km.losses.${name}`;
  const [t, p] = tensorPair(call, [labels, predictions], names);
  checkSameShape(call, t, p, names);
  return { name, call, t, p };
}

/** The losses weighted and reduced as tfjs' computeWeightedLoss. */
function reduce(i: Inputs, losses: Tensor, weights: Tensors | null | undefined, reduction: unknown): Tensor {
  const checked = checkReduction(reduction ?? Reduction.SUM_BY_NONZERO_WEIGHTS, i.name);
  const w = weights === undefined || weights === null ? null : tensorArgument(i.call, 'weights', weights);
  return weightedLoss(losses, w, checked, i.name);
}

function checkNumber(call: string, name: string, value: number, ok: (v: number) => boolean, expected: string): number {
  if (typeof value !== 'number' || !ok(value)) throw new Error(`${call}: ${name} must be ${expected}. Received: ${name}=${JSON.stringify(value)}. It is tfjs' positional argument after weights (pass undefined for no weights).`);
  return value;
}

/** `tf.losses.absoluteDifference`: |labels − predictions|, weighted and reduced; int32 stays int32 where tfjs' does. */
export function absoluteDifferenceOf(labels: Tensors, predictions: Tensors, weights?: Tensors | null, reduction?: Reduction): Tensor {
  const i = inputs('absoluteDifference', labels, predictions);
  return reduce(i, abs(sub(i.t, i.p)), weights, reduction);
}

/** `tf.losses.meanSquaredError`: (labels − predictions)², weighted and reduced; int32 stays int32 where tfjs' does. */
export function meanSquaredErrorOf(labels: Tensors, predictions: Tensors, weights?: Tensors | null, reduction?: Reduction): Tensor {
  const i = inputs('meanSquaredError', labels, predictions);
  return reduce(i, squaredDifference(i.t, i.p), weights, reduction);
}

/** `tf.losses.hingeLoss`: max(0, 1 − (2·labels − 1)·predictions), tfjs mapping every label t to 2t − 1. */
export function hingeLossOf(labels: Tensors, predictions: Tensors, weights?: Tensors | null, reduction?: Reduction): Tensor<'float32'> {
  const i = inputs('hingeLoss', labels, predictions);
  const signs = sub(mul(2, i.t), 1);
  return reduce(i, relu(sub(1, mul(signs, i.p))), weights, reduction) as Tensor<'float32'>;
}

/** `tf.losses.huberLoss`: ½e² for an error e within delta, delta·(|e| − ½delta) beyond. */
export function huberLossOf(labels: Tensors, predictions: Tensors, weights?: Tensors | null, delta = 1, reduction?: Reduction): Tensor<'float32'> {
  const i = inputs('huberLoss', labels, predictions);
  const d = checkNumber(i.call, 'delta', delta, (v) => v > 0 && Number.isFinite(v), 'a finite number > 0 (default 1)');
  const error = abs(sub(i.p, i.t));
  const quadratic = minimum(error, d);
  const linear = sub(error, quadratic);
  return reduce(i, add(mul(0.5, square(quadratic)), mul(d, linear)), weights, reduction) as Tensor<'float32'>;
}

/** `tf.losses.logLoss`: −t·log(p + ε) − (1 − t)·log(1 − p + ε), ε = `epsilon` (default 1e-7), no clipping. */
export function logLossOf(labels: Tensors, predictions: Tensors, weights?: Tensors | null, epsilon = 1e-7, reduction?: Reduction): Tensor<'float32'> {
  const i = inputs('logLoss', labels, predictions);
  const e = checkNumber(i.call, 'epsilon', epsilon, (v) => v >= 0 && Number.isFinite(v), 'a finite number ≥ 0 (default 1e-7)');
  const positive = neg(mul(i.t, log(add(i.p, e))));
  const negative = mul(sub(1, i.t), log(add(sub(1, i.p), e)));
  return reduce(i, sub(positive, negative), weights, reduction) as Tensor<'float32'>;
}

function checkSmoothing(call: string, labelSmoothing: number): number {
  return checkNumber(call, 'labelSmoothing', labelSmoothing, (v) => v >= 0 && v <= 1, 'in [0, 1] (default 0)');
}

/**
 * `tf.losses.sigmoidCrossEntropy`: the cross-entropy of logits against 0/1 labels, per value
 * (max(x, 0) − x·t + log(1 + e^−|x|)); labelSmoothing s makes the labels t·(1 − s) + s/2.
 */
export function sigmoidCrossEntropyOf(multiClassLabels: Tensors, logits: Tensors, weights?: Tensors | null, labelSmoothing = 0, reduction?: Reduction): Tensor<'float32'> {
  const i = inputs('sigmoidCrossEntropy', multiClassLabels, logits, ['multiClassLabels', 'logits']);
  const s = checkSmoothing(i.call, labelSmoothing);
  const t = s > 0 ? add(mul(i.t, sub(1, s)), mul(0.5, s)) : i.t;
  const x = i.p;
  const losses = add(sub(relu(x), mul(x, t)), log1p(exp(neg(abs(x)))));
  return reduce(i, losses, weights, reduction) as Tensor<'float32'>;
}

/**
 * `tf.losses.softmaxCrossEntropy`: −Σ t·log softmax(x) over the last axis, one loss per row, against
 * one-hot labels; labelSmoothing s makes them t·(1 − s) + s/classes, classes being the size of axis 1
 * as in tfjs (the last axis of rank-2 labels).
 */
export function softmaxCrossEntropyOf(onehotLabels: Tensors, logits: Tensors, weights?: Tensors | null, labelSmoothing = 0, reduction?: Reduction): Tensor<'float32'> {
  const i = inputs('softmaxCrossEntropy', onehotLabels, logits, ['onehotLabels', 'logits']);
  const s = checkSmoothing(i.call, labelSmoothing);
  if (i.t.rank === 0) throw new Error(`${i.call}: onehotLabels and logits are scalars, but the loss takes a softmax over their last axis. Pass rows of class scores, e.g. shape [batch, classes].`);
  const classes = i.t.shape[1] ?? i.t.shape[0];
  const t = s > 0 ? add(mul(i.t, sub(1, s)), div(s, classes)) : i.t;
  const costs = sub(i.p, logSumExp(i.p, -1, true));
  return reduce(i, sum(neg(mul(costs, t)), -1), weights, reduction) as Tensor<'float32'>;
}
