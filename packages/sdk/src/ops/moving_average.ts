// tfjs' movingAverage, composed of km ops as tfjs composes it, so that its values are tfjs' to the
// bit and the tape differentiates it.
import type { Tensor, TensorLike } from '../tensor.js';
import { add, div, mul, pow, sub } from './arithmetic.js';
import { operand } from './operand.js';

/**
 * One step of an exponential moving average, as `tf.movingAverage(v, x, decay, step?, zeroDebias = true)`:
 * `v + (x - v) · (1 - decay)`, divided (the update) by `1 - decay ** step` when `zeroDebias`, which
 * corrects the bias toward the zero start in early steps (as Adam does) and needs the 1-based `step`.
 * v and x have the same shape and dtype; decay and step are numbers or scalar tensors.
 * @example `average = km.movingAverage(average, batchMean, 0.99, step)`
 */
export function movingAverage(v: Tensor | TensorLike, x: Tensor | TensorLike, decay: number | Tensor, step?: number | Tensor, zeroDebias = true): Tensor {
  const fn = 'km.movingAverage()';
  const tv = operand(fn, 'v', v);
  const tx = operand(fn, 'x', x);
  const tDecay = operand(fn, 'decay', decay);
  if (tv.dtype !== tx.dtype || tv.shape.join() !== tx.shape.join()) {
    throw new Error(`${fn}: v and x must have the same shape and dtype (x is the new value of what v averages). Received: v: ${tv.dtype} [${tv.shape.join(', ')}], x: ${tx.dtype} [${tx.shape.join(', ')}].`);
  }
  let update = mul(sub(tx, tv), sub(1, tDecay));
  if (zeroDebias) {
    if (step == null) throw new Error(`${fn}: zeroDebias (the default) divides by 1 - decay ** step, so it needs step, the 1-based number of updates so far. Pass step, or zeroDebias = false. Received: step=${String(step)}.`);
    update = div(update, sub(1, pow(tDecay, operand(fn, 'step', step))));
  }
  return add(tv, update);
}
