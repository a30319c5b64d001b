// tfjs' trigonometric and hyperbolic ops (tan, the inverse functions, sinh, cosh and their inverses,
// atan2), each computed in double and stored as float32, with tfjs-core's gradient and its float32
// roundings. All take float32 only: tfjs truncates their int32 results to integers.
import type { Tensor, TensorLike } from '../tensor.js';
import { binary } from './binary.js';
import { operand } from './operand.js';
import { unary } from './unary.js';

const f32 = Math.fround;

/** `v` rounded to float32, then squared and rounded, as tf.square(tf.cos(x)) gives it. */
const squaredF32 = (v: number): number => f32(f32(v) * f32(v));

/** The tangent (x in radians), as `tf.tan`; float32 only. @example `km.tan(angles)` */
export function tan(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.tan()', x, 'float32 only', Math.tan, (dy, v) => dy / squaredF32(Math.cos(v))) as Tensor<'float32'>;
}

/** The arcsine, in [-π/2, π/2] (NaN outside [-1, 1]), as `tf.asin`; float32 only. @example `km.asin(x)` */
export function asin(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.asin()', x, 'float32 only', Math.asin, (dy, v) => dy / f32(Math.sqrt(f32(1 - f32(v * v))))) as Tensor<'float32'>;
}

/** The arccosine, in [0, π] (NaN outside [-1, 1]), as `tf.acos`; float32 only. @example `km.acos(cosines)` */
export function acos(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.acos()', x, 'float32 only', Math.acos, (dy, v) => -(dy / f32(Math.sqrt(f32(1 - f32(v * v)))))) as Tensor<'float32'>;
}

/** The arctangent, in (-π/2, π/2), as `tf.atan`; float32 only. @example `km.atan(slopes)` */
export function atan(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.atan()', x, 'float32 only', Math.atan, (dy, v) => dy / f32(f32(v * v) + 1)) as Tensor<'float32'>;
}

/** The hyperbolic sine, as `tf.sinh`; float32 only. @example `km.sinh(x)` */
export function sinh(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.sinh()', x, 'float32 only', Math.sinh, (dy, v) => f32(Math.cosh(v)) * dy) as Tensor<'float32'>;
}

/** The hyperbolic cosine, as `tf.cosh`; float32 only. @example `km.cosh(x)` */
export function cosh(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.cosh()', x, 'float32 only', Math.cosh, (dy, v) => f32(Math.sinh(v)) * dy) as Tensor<'float32'>;
}

/** The inverse hyperbolic sine, as `tf.asinh`; float32 only. @example `km.asinh(x)` */
export function asinh(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.asinh()', x, 'float32 only', Math.asinh, (dy, v) => dy / f32(Math.sqrt(f32(1 + f32(v * v))))) as Tensor<'float32'>;
}

/** The inverse hyperbolic cosine (NaN below 1), as `tf.acosh`; float32 only. @example `km.acosh(x)` */
export function acosh(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.acosh()', x, 'float32 only', Math.acosh, (dy, v) => dy / f32(Math.sqrt(f32(f32(v * v) - 1)))) as Tensor<'float32'>;
}

/** The inverse hyperbolic tangent (±Infinity at ±1, NaN beyond), as `tf.atanh`; float32 only. @example `km.atanh(x)` */
export function atanh(x: Tensor | TensorLike): Tensor<'float32'> {
  return unary('km.atanh()', x, 'float32 only', Math.atanh, (dy, v) => dy / f32(1 - f32(v * v))) as Tensor<'float32'>;
}

/**
 * The angle of the point (b, a) from the x axis, in [-π, π], element-wise with broadcasting, as
 * `tf.atan2(a, b)`. float32 (an int32 operand with a float32 one counts as float32); two int32
 * operands are refused, where tfjs truncates the angle to an integer.
 * @example `km.atan2(y, x)` (the polar angle of each (x, y))
 */
export function atan2(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor<'float32'> {
  const fn = 'km.atan2()';
  const ta = operand(fn, 'a', a);
  const tb = operand(fn, 'b', b);
  if (ta.dtype === 'int32' && tb.dtype === 'int32') {
    throw new Error(`${fn} takes float32 operands (tfjs truncates the angle of two int32 operands to an integer). Cast one first: km.atan2(km.cast(a, 'float32'), b). Received: a.dtype='int32', b.dtype='int32'.`);
  }
  // tfjs: dy · b / (a² + b²) for a, -(dy · a / (a² + b²)) for b, each then summed over broadcast axes.
  const squares = (va: number, vb: number): number => f32(f32(va * va) + f32(vb * vb));
  const cotangents = { a: (dy: number, va: number, vb: number) => dy * f32(vb / squares(va, vb)), b: (dy: number, va: number, vb: number) => -(dy * f32(va / squares(va, vb))) };
  return binary(fn, ta, tb, Math.atan2, cotangents) as Tensor<'float32'>;
}
