// tfjs' sign, floor, ceil and round: each value to a whole number (or -1, 0, 1), with tfjs' dtypes
// (floor and ceil take float32 only, as tfjs) and a gradient of zeros, as tfjs-core's.
import type { DType, Tensor, TensorLike } from '../tensor.js';
import { unary } from './unary.js';

const zero = (): number => 0;

/** -1, 0 or 1 by the sign of each value, as `tf.sign` (0 for NaN and ±0); int32 stays int32. @example `km.sign(gradient)` */
export function sign<D extends DType>(x: Tensor<D> | TensorLike): Tensor<D> {
  return unary('km.sign()', x, 'same', (v) => (v < 0 ? -1 : v > 0 ? 1 : 0), zero) as Tensor<D>;
}

/** The largest whole number <= x, as `tf.floor`; float32 only (tfjs rejects int32). @example `km.floor(x.mul(10)).div(10)` */
export function floor(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.floor()', x, 'float32 only', Math.floor, zero) as Tensor<'float32'>;
}

/** The smallest whole number >= x, as `tf.ceil`; float32 only (tfjs rejects int32). @example `km.ceil(x)` */
export function ceil(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.ceil()', x, 'float32 only', Math.ceil, zero) as Tensor<'float32'>;
}

/** The nearest whole number, halves to the even one (banker's rounding: 0.5 to 0, 1.5 to 2), as `tf.round`; int32 stays int32. @example `km.round(probs)` */
export function round<D extends DType>(x: Tensor<D> | TensorLike): Tensor<D> {
  return unary('km.round()', x, 'same', halfToEven, zero) as Tensor<D>;
}

/** `v` rounded to the nearest whole number, halves to even, written as tfjs' CPU kernel is, so that ±Infinity and NaN come out as there. */
export function halfToEven(v: number): number {
  const base = Math.floor(v);
  if (v - base < 0.5) return base;
  if (v - base > 0.5) return Math.ceil(v);
  return base % 2 === 0 ? base : base + 1;
}
