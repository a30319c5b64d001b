// tfjs' comparisons (equal, notEqual, greater, greaterEqual, less, lessEqual) with NumPy
// broadcasting, and its value tests isNaN, isInf and isFinite. tfjs returns bool tensors; kerasm has
// no bool dtype, so these give int32 tensors of 1 (true) and 0 (false), which km.where and the
// logical ops take as conditions. Comparisons follow JavaScript's (and tfjs' CPU kernels'): anything
// compared with NaN is false, notEqual true; -0 equals 0. An int32 result carries no gradient.
import type { Tensor, TensorLike } from '../tensor.js';
import { binary, NO_COTANGENTS } from './binary.js';
import { unary } from './unary.js';


/** 1 where `test` holds for the broadcast pair of values, 0 elsewhere: tfjs' bool result as int32. */
export function binaryTest(fn: string, a: Tensor | TensorLike, b: Tensor | TensorLike, test: (x: number, y: number) => boolean): Tensor<'int32'> {
  const op = (x: number, y: number): number => (test(x, y) ? 1 : 0);
  return binary(fn, a, b, op, NO_COTANGENTS, op, 'int32') as Tensor<'int32'>;
}

/** 1 where `test` holds for a value of `x`, 0 elsewhere: tfjs' bool result as int32. */
export function unaryTest(fn: string, x: Tensor | TensorLike, test: (v: number) => boolean): Tensor<'int32'> {
  // The cotangent is never asked for, as NO_COTANGENTS' are not.
  return unary(fn, x, 'int32', (v) => (test(v) ? 1 : 0), () => 0) as Tensor<'int32'>;
}

/**
 * 1 where `a == b`, 0 elsewhere (int32; tfjs gives bool), with broadcasting, as `tf.equal` (NaN
 * equals nothing). @example `km.equal(yPred.argMax(-1), labels).cast('float32').mean()` (accuracy)
 */
export function equal(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor<'int32'> {
  return binaryTest('km.equal()', a, b, (x, y) => x === y);
}

/** 1 where `a != b`, 0 elsewhere (int32; tfjs gives bool), with broadcasting, as `tf.notEqual` (1 for NaN). @example `km.notEqual(labels, 0)` (a padding mask) */
export function notEqual(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor<'int32'> {
  return binaryTest('km.notEqual()', a, b, (x, y) => x !== y);
}

/** 1 where `a > b`, 0 elsewhere (int32; tfjs gives bool), with broadcasting, as `tf.greater` (0 for NaN). @example `km.greater(probs, 0.5)` */
export function greater(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor<'int32'> {
  return binaryTest('km.greater()', a, b, (x, y) => x > y);
}

/** 1 where `a >= b`, 0 elsewhere (int32; tfjs gives bool), with broadcasting, as `tf.greaterEqual` (0 for NaN). @example `km.greaterEqual(x, 0)` */
export function greaterEqual(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor<'int32'> {
  return binaryTest('km.greaterEqual()', a, b, (x, y) => x >= y);
}

/** 1 where `a < b`, 0 elsewhere (int32; tfjs gives bool), with broadcasting, as `tf.less` (0 for NaN). @example `km.where(km.less(km.abs(err), 1), quadratic, linear)` */
export function less(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor<'int32'> {
  return binaryTest('km.less()', a, b, (x, y) => x < y);
}

/** 1 where `a <= b`, 0 elsewhere (int32; tfjs gives bool), with broadcasting, as `tf.lessEqual` (0 for NaN). @example `km.lessEqual(step, warmupSteps)` */
export function lessEqual(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor<'int32'> {
  return binaryTest('km.lessEqual()', a, b, (x, y) => x <= y);
}

/** 1 where `x` is NaN, 0 elsewhere (int32; tfjs gives bool), as `tf.isNaN`. @example `km.isNaN(loss).sum()` (how many NaNs) */
export function isNaN(x: Tensor | TensorLike): Tensor<'int32'> {
  return unaryTest('km.isNaN()', x, Number.isNaN);
}

/** 1 where `x` is Infinity or -Infinity, 0 elsewhere (int32; tfjs gives bool), as `tf.isInf`. @example `km.isInf(gradient)` */
export function isInf(x: Tensor | TensorLike): Tensor<'int32'> {
  return unaryTest('km.isInf()', x, (v) => Math.abs(v) === Infinity);
}

/** 1 where `x` is neither NaN nor ±Infinity, 0 elsewhere (int32; tfjs gives bool), as `tf.isFinite`. @example `km.where(km.isFinite(x), x, km.zerosLike(x))` */
export function isFinite(x: Tensor | TensorLike): Tensor<'int32'> {
  return unaryTest('km.isFinite()', x, Number.isFinite);
}
