// tfjs' softmax, logSoftmax and logSumExp, composed of km ops in the order tfjs' kernels compute them
// (the max subtracted first), so their values are tfjs' and the tape differentiates them.
import type { Tensor, TensorLike } from '../tensor.js';
import { add, sub } from './arithmetic.js';
import { exp, log } from './elementwise.js';
import { parseAxes } from './axes.js';
import { operand } from './operand.js';
import { max, sum, type ReduceAxis } from './reduce.js';

function float32(fn: string, x: Tensor | TensorLike): Tensor {
  const t = operand(fn, 'x', x);
  if (t.dtype !== 'float32') throw new Error(`${fn} takes float32 logits. Cast them first: km.cast(x, 'float32'). Received: x.dtype='${t.dtype}'.`);
  return t;
}

/**
 * The softmax along `dim` (the last axis by default), as `tf.softmax`: exp(x − max) / Σ exp(x − max).
 * @example `km.softmax(logits).argMax(-1)`
 */
export function softmax(logits: Tensor | TensorLike, dim = -1): Tensor<'float32'> {
  const x = float32('km.softmax()', logits);
  const e = exp(sub(x, max(x, dim, true)));
  return e.div(sum(e, dim, true)) as Tensor<'float32'>;
}

/**
 * The log of the softmax along `axis` (the last by default), as `tf.logSoftmax`: (x − max) − log Σ exp(x − max).
 * @example `km.neg(km.sum(km.mul(yTrue, km.logSoftmax(logits)), -1))` (cross-entropy from logits)
 */
export function logSoftmax(logits: Tensor | TensorLike, axis = -1): Tensor<'float32'> {
  const x = float32('km.logSoftmax()', logits);
  const shifted = sub(x, max(x, axis, true));
  return sub(shifted, log(sum(exp(shifted), axis, true))) as Tensor<'float32'>;
}

/**
 * log Σ exp(x) over `axis` (every axis by default), as `tf.logSumExp`, computed from x − max so that
 * large values do not overflow.
 * @example `km.logSumExp(logits, -1)` (one value per sample)
 */
export function logSumExp(x: Tensor | TensorLike, axis: ReduceAxis = null, keepDims = false): Tensor<'float32'> {
  const t = float32('km.logSumExp()', x);
  const top = max(t, axis, true);
  const total = log(sum(exp(sub(t, top)), axis, true));
  const result = add(top, total);
  const reduced = parseAxes('km.logSumExp()', axis, t.shape);
  return (keepDims ? result : result.reshape(t.shape.filter((_, i) => !reduced.includes(i)))) as Tensor<'float32'>;
}
