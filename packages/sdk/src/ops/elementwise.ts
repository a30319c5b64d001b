// tfjs' element-wise math and activation ops, each with tfjs-core's gradient (its float32 roundings
// included) and tfjs' result dtype: neg, abs, square, relu and clipByValue keep int32; exp gives
// float32; the others take float32 only.
import type { DType, Tensor, TensorLike } from '../tensor.js';
import { unary } from './unary.js';

/** tfjs' step(x, alpha): 1 above 0, `alpha` otherwise, NaN for NaN (the derivative of abs and relu). */
export const step = (x: number, alpha: number): number => (Number.isNaN(x) ? NaN : x > 0 ? 1 : alpha);

/** `-x`, as `tf.neg`; int32 stays int32. @example `km.neg(x)` */
export function neg<D extends DType>(x: Tensor<D> | TensorLike): Tensor<D> {
  return unary('km.neg()', x, 'same', (v) => -v, (dy) => -dy) as Tensor<D>;
}

// abs and square round to float32 even for int32, as tfjs' kernels store them, so that results past
// int32's range wrap as in tfjs.

/** `|x|`, as `tf.abs`; int32 stays int32. Its gradient is -1 at 0, as tfjs'. @example `km.abs(yTrue.sub(yPred)).mean()` (mean absolute error) */
export function abs<D extends DType>(x: Tensor<D> | TensorLike): Tensor<D> {
  return unary('km.abs()', x, 'same', (v) => Math.fround(Math.abs(v)), (dy, v) => dy * step(v, -1)) as Tensor<D>;
}

/** `x * x`, as `tf.square`; int32 stays int32. @example `yTrue.sub(yPred).square().mean()` (mean squared error) */
export function square<D extends DType>(x: Tensor<D> | TensorLike): Tensor<D> {
  return unary('km.square()', x, 'same', (v) => Math.fround(v * v), (dy, v) => dy * Math.fround(v * 2)) as Tensor<D>;
}

/** The square root, as `tf.sqrt` (NaN below 0); float32 only. @example `km.sqrt(variance.add(1e-7))` */
export function sqrt(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.sqrt()', x, 'float32 only', Math.sqrt, (dy, _, y) => dy / Math.fround(y * 2)) as Tensor<'float32'>;
}

/** `1 / x`, as `tf.reciprocal` (±Infinity at ±0); float32 only. @example `km.reciprocal(std)` */
export function reciprocal(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.reciprocal()', x, 'float32 only', (v) => 1 / v, (dy, v) => dy / -Math.fround(v * v)) as Tensor<'float32'>;
}

/** `1 / sqrt(x)`, as `tf.rsqrt`; float32 only. @example `km.rsqrt(variance.add(1e-3))` */
export function rsqrt(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.rsqrt()', x, 'float32 only', (v) => 1 / Math.sqrt(v), (dy, v) => -(dy / Math.fround(Math.fround(Math.pow(v, 1.5)) * 2))) as Tensor<'float32'>;
}

/** The sine (x in radians), as `tf.sin`; float32 only. @example `km.sin(angles)` */
export function sin(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.sin()', x, 'float32 only', Math.sin, (dy, v) => Math.fround(Math.cos(v)) * dy) as Tensor<'float32'>;
}

/** The cosine (x in radians), as `tf.cos`; float32 only. @example `km.cos(angles)` */
export function cos(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.cos()', x, 'float32 only', Math.cos, (dy, v) => -Math.fround(Math.sin(v)) * dy) as Tensor<'float32'>;
}

/** `e ** x`, as `tf.exp`: float32, int32 input too. @example `km.exp(logits)` */
export function exp(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.exp()', x, 'float32', Math.exp, (dy, _, y) => dy * y) as Tensor<'float32'>;
}

/** The natural logarithm, as `tf.log` (-Infinity at 0, NaN below); float32 only. @example `km.log(probs.add(1e-7))` */
export function log(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.log()', x, 'float32 only', Math.log, (dy, v) => dy / v) as Tensor<'float32'>;
}

/** `log(1 + x)`, accurate near 0, as `tf.log1p`; float32 only (tfjs truncates int32 results). @example `km.log1p(km.exp(x.neg()))` */
export function log1p(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.log1p()', x, 'float32 only', Math.log1p, (dy, v) => dy / Math.fround(v + 1)) as Tensor<'float32'>;
}

/** `1 / (1 + e ** -x)`, as `tf.sigmoid`; float32 only. @example `km.sigmoid(logits)` */
export function sigmoid(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.sigmoid()', x, 'float32 only', logistic, (dy, _, y) => dy * Math.fround(y * Math.fround(1 - y))) as Tensor<'float32'>;
}

/** tfjs' sigmoid of one value, in double. */
export function logistic(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

/** The hyperbolic tangent, as `tf.tanh`; float32 only. @example `km.tanh(x)` */
export function tanh(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.tanh()', x, 'float32 only', Math.tanh, (dy, _, y) => Math.fround(1 - Math.fround(y * y)) * dy) as Tensor<'float32'>;
}

/** `max(x, 0)`, as `tf.relu` (NaN stays NaN); int32 stays int32. Its gradient is 0 at 0, as tfjs'. @example `km.relu(x)` */
export function relu<D extends DType>(x: Tensor<D> | TensorLike): Tensor<D> {
  return unary('km.relu()', x, 'same', (v) => Math.max(0, v), (dy, v) => dy * step(v, 0)) as Tensor<D>;
}

// tfjs' softplus: x itself above -log(eps) - 2 and e ** x below log(eps) + 2, eps = 2 ** -23.
const SOFTPLUS_THRESHOLD = Math.log(1.1920928955078125e-7) + 2;

/** `log(1 + e ** x)`, as `tf.softplus` (computed as tfjs does, safe for large |x|); float32 only. @example `km.softplus(x)` */
export function softplus(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.softplus()', x, 'float32 only', softplusOf, (dy, v) => dy * Math.fround(logistic(v))) as Tensor<'float32'>;
}

/** tfjs' softplus of one value, in double. */
export function softplusOf(v: number): number {
  return v < SOFTPLUS_THRESHOLD ? Math.exp(v) : v > -SOFTPLUS_THRESHOLD ? v : Math.log(1 + Math.exp(v));
}

/**
 * `x` limited to [clipValueMin, clipValueMax], as `tf.clipByValue` (NaN stays NaN, but equal bounds
 * fill every value, NaN too, as tfjs does); int32 stays int32, a fractional bound then truncating as
 * in tfjs. The gradient passes where clipValueMin <= x <= clipValueMax, bounds included, as tfjs'.
 * @example `km.clipByValue(probs, 1e-7, 1 - 1e-7)`
 */
export function clipByValue<D extends DType>(x: Tensor<D> | TensorLike, clipValueMin: number, clipValueMax: number): Tensor<D> {
  const fn = 'km.clipByValue()';
  if (typeof clipValueMin !== 'number' || typeof clipValueMax !== 'number' || !(clipValueMin <= clipValueMax)) {
    throw new Error(`${fn}: clipValueMin must be a number no larger than clipValueMax. Received: clipValueMin=${String(clipValueMin)}, clipValueMax=${String(clipValueMax)}.`);
  }
  // Equal bounds give a constant (NaN too) with no gradient, as tfjs fills the result then.
  const clip = (v: number): number => (v > clipValueMax || clipValueMin === clipValueMax ? clipValueMax : v < clipValueMin ? clipValueMin : v);
  const passes = (v: number): boolean => v >= clipValueMin && v <= clipValueMax && clipValueMin < clipValueMax;
  return unary(fn, x, 'same', clip, (dy, v) => (passes(v) ? dy : 0)) as Tensor<D>;
}
