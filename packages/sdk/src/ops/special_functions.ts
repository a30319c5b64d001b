// tfjs' erf, expm1, logSigmoid, step and clone: element-wise, computed as tfjs' CPU kernels compute
// them (in double, stored as float32), with tfjs-core's gradients and their float32 roundings.
import type { DType, Tensor, TensorLike } from '../tensor.js';
import { logistic, softplusOf, step as stepOf } from './elementwise.js';
import { operand } from './operand.js';
import { unary } from './unary.js';

// Abramowitz and Stegun's formula 7.1.26 (error below 1.5e-7), tfjs' backend_util.ERF_* constants.
const ERF_P = 0.3275911;
const [ERF_A1, ERF_A2, ERF_A3, ERF_A4, ERF_A5] = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429];
// tfjs' erf gradient multiplies by 2/√π as a float32 scalar.
const TWO_OVER_SQRT_PI = Math.fround(2 / Math.sqrt(Math.PI));

function erfOf(x: number): number {
  const v = Math.abs(x);
  const t = 1 / (1 + ERF_P * v);
  return Math.sign(x) * (1 - (((((ERF_A5 * t + ERF_A4) * t) + ERF_A3) * t + ERF_A2) * t + ERF_A1) * t * Math.exp(-v * v));
}

/**
 * The Gauss error function, as `tf.erf`, by tfjs' approximation (absolute error below 1.5e-7):
 * float32, int32 input too.
 * @example `km.erf(x.div(Math.SQRT2)).add(1).mul(0.5)` (the standard normal CDF)
 */
export function erf(x: Tensor | TensorLike): Tensor<'float32'> {
  const cotangent = (dy: number, v: number): number => dy * Math.fround(Math.fround(Math.exp(-Math.fround(v * v))) * TWO_OVER_SQRT_PI);
  return unary('km.erf()', x, 'float32', erfOf, cotangent) as Tensor<'float32'>;
}

/** `e ** x - 1`, accurate near 0, as `tf.expm1`; float32 only (tfjs truncates int32 results). @example `km.expm1(x)` */
export function expm1(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.expm1()', x, 'float32 only', Math.expm1, (dy, v) => dy * Math.fround(Math.exp(v))) as Tensor<'float32'>;
}

/**
 * `log(sigmoid(x))`, computed as tfjs does, `-softplus(-x)`, so that it stays finite for large |x|,
 * as `tf.logSigmoid`; float32 only. Its gradient is `dy · sigmoid(-x)`.
 * @example `km.logSigmoid(logits)` (the log-probability of the positive class)
 */
export function logSigmoid(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.logSigmoid()', x, 'float32 only', (v) => -softplusOf(-v), (dy, v) => dy * Math.fround(logistic(-v))) as Tensor<'float32'>;
}

/**
 * The step function, as `tf.step(x, alpha)`: 1 where x > 0, `alpha` (default 0) elsewhere, NaN for
 * NaN. int32 stays int32 (a fractional alpha then truncates, as in tfjs). Its gradient is 0, as tfjs'.
 * @example `km.step(x)` (1 where positive), `km.step(x, -1)`
 */
export function step<D extends DType>(x: Tensor<D> | TensorLike, alpha = 0): Tensor<D> {
  const fn = 'km.step()';
  if (typeof alpha !== 'number') throw new Error(`${fn}: alpha must be a number, the value at and below 0 (default 0). Received: alpha=${JSON.stringify(alpha)}.`);
  return unary(fn, x, 'same', (v) => stepOf(v, alpha), () => 0) as Tensor<D>;
}

/**
 * A copy of `x`, as `tf.clone` (the same as `x.clone()`): same values, shape and dtype; in a gradient
 * call its cotangent passes to `x` unchanged.
 * @example `const copy = km.clone(x)`
 */
export function clone<D extends DType>(x: Tensor<D> | TensorLike): Tensor<D> {
  return operand<D>('km.clone()', 'x', x).clone();
}
