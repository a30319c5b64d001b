// tfjs' setdiff1dAsync: the values of one vector that are not in another, read without blocking.
import { Tensor, type DType, type TensorLike } from '../tensor.js';
import { operand, typedArray } from './operand.js';

/**
 * The values of `x` that are not in `y`, in x's order (repeats kept), and their positions in x, as
 * `tf.setdiff1dAsync(x, y)`: `[out, indices]`, out with x's dtype and indices int32. x and y are
 * rank-1 tensors of the same dtype. Values compare as a JavaScript Set does, as in tfjs: NaN matches
 * NaN, and -0 matches 0. It reads the values with `await t.data()`, so it returns a Promise.
 * @example `await km.setdiff1dAsync([1, 2, 3, 4, 5, 6], [1, 3, 5])` (out [2, 4, 6], indices [1, 3, 5])
 */
export async function setdiff1dAsync<D extends DType>(x: Tensor<D> | TensorLike, y: Tensor<D> | TensorLike): Promise<[Tensor<D>, Tensor<'int32'>]> {
  const fn = 'km.setdiff1dAsync()';
  const tx = operand<D>(fn, 'x', x);
  const ty = operand(fn, 'y', y);
  if (tx.dtype !== ty.dtype) throw new Error(`${fn}: x and y must have the same dtype, as in tfjs. Cast one first: km.cast(y, '${tx.dtype}'). Received: x.dtype='${tx.dtype}', y.dtype='${ty.dtype}'.`);
  if (tx.rank !== 1 || ty.rank !== 1) throw new Error(`${fn} takes rank-1 tensors. Received: x.shape=[${tx.shape.join(', ')}], y.shape=[${ty.shape.join(', ')}]; flatten them with km.reshape(t, [-1]).`);
  const [vx, vy] = await Promise.all([tx.data(), ty.data()]);
  const drop = new Set<number>(vy);
  const kept: number[] = [];
  for (let i = 0; i < vx.length; i++) if (!drop.has(vx[i])) kept.push(i);
  const out = typedArray(tx.dtype, kept.length);
  kept.forEach((i, k) => (out[k] = vx[i]));
  return [new Tensor(out, [kept.length], tx.dtype), new Tensor(Int32Array.from(kept), [kept.length], 'int32')];
}
