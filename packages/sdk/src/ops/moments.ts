// tfjs' moments, composed of km ops in tfjs' order (mean, then the mean of squared deviations), so
// its values are tfjs' to the bit and the tape differentiates it.
import type { Tensor, TensorLike } from '../tensor.js';
import { sub } from './arithmetic.js';
import { parseAxes } from './axes.js';
import { square } from './elementwise.js';
import { operand } from './operand.js';
import { mean, type ReduceAxis } from './reduce.js';
import { cast } from './shape_ops.js';

/** The mean and variance {@link moments} returns. */
export interface Moments {
  mean: Tensor<'float32'>;
  variance: Tensor<'float32'>;
}

/**
 * The mean and the (population) variance over `axis` (all axes by default), as `tf.moments`;
 * `keepDims` keeps the reduced axes with size 1. Both float32, int32 input too.
 * @example
 * ```ts
 * const { mean, variance } = km.moments(x, 0); // per-feature statistics of [samples, features]
 * const standardized = x.sub(mean).div(variance.add(1e-7).sqrt());
 * ```
 */
export function moments(x: Tensor | TensorLike, axis: ReduceAxis = null, keepDims = false): Moments {
  const fn = 'km.moments()';
  const t = operand(fn, 'x', x);
  const axes = parseAxes(fn, axis, t.shape);
  const m = mean(t, axes, keepDims);
  const kept = t.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const variance = mean(square(sub(cast(t, 'float32'), m.reshape(kept))), axes, keepDims);
  return { mean: m, variance: variance as Tensor<'float32'> };
}
