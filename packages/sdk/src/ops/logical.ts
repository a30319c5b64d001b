// tfjs' logicalAnd, logicalOr, logicalXor and logicalNot, with NumPy broadcasting. tfjs takes and
// gives bool tensors; kerasm takes any tensor, a value other than 0 counting as true (NaN too, as
// tfjs' cast to bool counts it), and gives int32 tensors of 1 and 0, as its comparisons do.
import type { Tensor, TensorLike } from '../tensor.js';
import { binaryTest, unaryTest } from './compare.js';

const truthy = (v: number): boolean => v !== 0;

/** 1 where both `a` and `b` are non-zero, 0 elsewhere (int32; tfjs gives bool), with broadcasting, as `tf.logicalAnd`. @example `km.logicalAnd(km.greater(x, 0), km.less(x, 1))` */
export function logicalAnd(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor<'int32'> {
  return binaryTest('km.logicalAnd()', a, b, (x, y) => truthy(x) && truthy(y));
}

/** 1 where `a` or `b` is non-zero, 0 elsewhere (int32; tfjs gives bool), with broadcasting, as `tf.logicalOr`. @example `km.logicalOr(km.isNaN(x), km.isInf(x))` */
export function logicalOr(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor<'int32'> {
  return binaryTest('km.logicalOr()', a, b, (x, y) => truthy(x) || truthy(y));
}

/** 1 where exactly one of `a` and `b` is non-zero, 0 elsewhere (int32; tfjs gives bool), with broadcasting, as `tf.logicalXor`. @example `km.logicalXor(predicted, actual)` (the mistakes) */
export function logicalXor(a: Tensor | TensorLike, b: Tensor | TensorLike): Tensor<'int32'> {
  return binaryTest('km.logicalXor()', a, b, (x, y) => truthy(x) !== truthy(y));
}

/** 1 where `x` is 0, 0 elsewhere (int32; tfjs gives bool), as `tf.logicalNot`. @example `km.logicalNot(mask)` */
export function logicalNot(x: Tensor | TensorLike): Tensor<'int32'> {
  return unaryTest('km.logicalNot()', x, (v) => !truthy(v));
}
