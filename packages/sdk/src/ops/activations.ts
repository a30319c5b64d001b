// tfjs' elu, selu, leakyRelu, relu6 and prelu, each with tfjs-core's gradient and its float32 roundings.
import type { DType, Tensor, TensorLike } from '../tensor.js';
import { binary } from './binary.js';
import { step } from './elementwise.js';
import { operand } from './operand.js';
import { unary } from './unary.js';

// tfjs' backend_util.SELU_SCALEALPHA and SELU_SCALE; its gradient multiplies by them as float32 scalars.
const SELU_SCALE_ALPHA = 1.7580993408473768599402175208123;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** `x` above 0, `e ** x - 1` below, as `tf.elu`; float32 only. @example `km.elu(x)` */
export function elu(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.elu()', x, 'float32 only', (v) => (v >= 0 ? v : Math.exp(v) - 1), (dy, _, y) => (y >= 0 ? dy : dy * (y + 1))) as Tensor<'float32'>;
}

/**
 * The scaled elu, `scale · x` above 0 and `scale · alpha · (e ** x - 1)` below, as `tf.selu`
 * (alpha ≈ 1.6733, scale ≈ 1.0507); float32 only.
 * @example `km.selu(x)`
 */
export function selu(x: Tensor | TensorLike): Tensor<'float32'> {
  const [scale, scaleAlpha] = [Math.fround(SELU_SCALE), Math.fround(SELU_SCALE_ALPHA)];
  return unary('km.selu()', x, 'float32 only', (v) => (v >= 0 ? SELU_SCALE * v : SELU_SCALE_ALPHA * (Math.exp(v) - 1)), (dy, v) => (v > 0 ? dy * scale : Math.fround(dy * scaleAlpha) * Math.fround(Math.exp(v)))) as Tensor<'float32'>;
}

/**
 * `x` where x >= 0, `alpha · x` below (alpha 0.2 by default), as `tf.leakyRelu`: always float32, as
 * tfjs gives it. Its gradient is `alpha` at 0, as tfjs'.
 * @example `km.leakyRelu(x, 0.1)`
 */
export function leakyRelu(x: Tensor | TensorLike, alpha = 0.2): Tensor<'float32'> {
  const fn = 'km.leakyRelu()';
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new Error(`${fn}: alpha must be a finite number, the slope below 0 (default 0.2). Received: alpha=${String(alpha)}.`);
  const slope = Math.fround(alpha);
  return unary(fn, x, 'float32', (v) => (v < 0 ? alpha * v : v), (dy, v) => (v > 0 ? dy : dy * slope)) as Tensor<'float32'>;
}

/** `min(max(x, 0), 6)`, as `tf.relu6`; int32 stays int32. Its gradient is 1 on (0, 6], as tfjs'. @example `km.relu6(x)` */
export function relu6<D extends DType>(x: Tensor<D> | TensorLike): Tensor<D> {
  return unary('km.relu6()', x, 'same', (v) => Math.min(Math.max(0, v), 6), (dy, v) => dy * ((v <= 6 ? 1 : 0) * step(v, 0))) as Tensor<D>;
}

/**
 * `x` where x >= 0, `alpha · x` below, element-wise with `alpha` broadcast against `x` (e.g. one
 * slope per channel), as `tf.prelu(x, alpha)`: always float32, as tfjs gives it. Its gradient is
 * tfjs': at x = 0 it takes the lower branch (alpha for x, x for alpha).
 * @example `km.prelu(x, km.fill([channels], 0.25))`
 */
export function prelu(x: Tensor | TensorLike, alpha: Tensor | TensorLike): Tensor<'float32'> {
  const fn = 'km.prelu()';
  const cotangents = { a: (dy: number, v: number, a: number) => (v > 0 ? dy : dy * a), b: (dy: number, v: number) => (v > 0 ? 0 : dy * v) };
  const slope = (v: number, a: number): number => (v < 0 ? a * v : v);
  return binary(fn, operand(fn, 'x', x), operand(fn, 'alpha', alpha), slope, cotangents, slope, 'float32') as Tensor<'float32'>;
}
