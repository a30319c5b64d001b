// tfjs' dot and outerProduct: matMul for vectors and matrices, with the vectors reshaped as tfjs does.
import type { Tensor, TensorLike } from '../tensor.js';
import { matMul } from './mat_mul.js';
import { operand } from './operand.js';

function floatOperands(fn: string, names: readonly [string, string], a: Tensor | TensorLike, b: Tensor | TensorLike): [Tensor<'float32'>, Tensor<'float32'>] {
  const ta = operand(fn, names[0], a);
  const tb = operand(fn, names[1], b);
  if (ta.dtype !== 'float32' || tb.dtype !== 'float32') {
    throw new Error(`${fn} multiplies float32 tensors, as km.matMul does (tfjs also multiplies int32 ones). Cast an int32 one first: km.cast(t, 'float32'). Received: ${names[0]}.dtype='${ta.dtype}', ${names[1]}.dtype='${tb.dtype}'.`);
  }
  return [ta as Tensor<'float32'>, tb as Tensor<'float32'>];
}

/**
 * The dot product of vectors and/or matrices, as `tf.dot`: vector·vector is a scalar, matrix·vector
 * and vector·matrix are vectors, matrix·matrix is km.matMul. float32 only (tfjs also takes int32).
 * Differentiable (km.matMul's gradient).
 * @example `km.dot(weights, features)` (a [n, k] matrix times a [k] vector: [n])
 */
export function dot(t1: Tensor | TensorLike, t2: Tensor | TensorLike): Tensor<'float32'> {
  const fn = 'km.dot()';
  const [a, b] = floatOperands(fn, ['t1', 't2'], t1, t2);
  if (a.rank < 1 || a.rank > 2 || b.rank < 1 || b.rank > 2) throw new Error(`${fn} multiplies vectors (rank 1) and matrices (rank 2). Use km.matMul for stacks of matrices, or reshape. Received: t1.shape=[${a.shape.join(', ')}], t2.shape=[${b.shape.join(', ')}].`);
  const inner = [a.shape[a.rank - 1], b.shape[0]];
  if (inner[0] !== inner[1]) throw new Error(`${fn}: t1's last axis (${inner[0]}) must equal t2's first (${inner[1]}), the entries multiplied pairwise. Transpose or reshape one of them. Received: t1.shape=[${a.shape.join(', ')}], t2.shape=[${b.shape.join(', ')}].`);
  const product = matMul(a.rank === 1 ? a.reshape([1, -1]) : a, b.rank === 1 ? b.reshape([-1, 1]) : b);
  if (a.rank === 2 && b.rank === 2) return product;
  return product.reshape(a.rank === 1 && b.rank === 1 ? [] : [product.size]);
}

/**
 * The outer product of two vectors, as `tf.outerProduct`: out[i][j] = v1[i] · v2[j], a
 * [v1.size, v2.size] matrix (km.matMul of a column by a row). float32 only (tfjs also takes int32).
 * @example `km.outerProduct(km.tensor([1, 2]), km.tensor([3, 4, 5]))` ([[3, 4, 5], [6, 8, 10]])
 */
export function outerProduct(v1: Tensor | TensorLike, v2: Tensor | TensorLike): Tensor<'float32'> {
  const fn = 'km.outerProduct()';
  const [a, b] = floatOperands(fn, ['v1', 'v2'], v1, v2);
  if (a.rank !== 1 || b.rank !== 1) throw new Error(`${fn} multiplies two vectors (rank 1). Flatten them first with reshape([-1]), or use km.matMul for matrices. Received: v1.shape=[${a.shape.join(', ')}], v2.shape=[${b.shape.join(', ')}].`);
  return matMul(a.reshape([-1, 1]), b.reshape([1, -1]));
}
