// tfjs' linalg.bandPart: the entries of each matrix within a band around the diagonal.
import { Tensor, type DType, type TensorLike } from '../../tensor.js';
import { hostValues, operand, typedArray } from '../operand.js';
import { where } from '../where.js';

/** A band width: a whole number up to `limit`, negative for the whole side (a scalar tensor is read). */
function bandWidth(fn: string, name: string, value: number | Tensor, limit: number, axis: string): number {
  const n = value instanceof Tensor && value.size === 1 ? hostValues(fn, value)[0] : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n > limit) {
    throw new Error(`${fn}: ${name} must be an integer no greater than the number of ${axis} (${limit}), or negative to keep that whole side. Received: ${name}=${value instanceof Tensor ? `a tensor of shape [${value.shape.join(', ')}]` : JSON.stringify(value)}.`);
  }
  return n < 0 ? limit : n;
}

/**
 * Each innermost matrix of `a` (rank ≥ 2, `[..., M, N]`) with the entries outside a diagonal band
 * set to 0, as `tf.linalg.bandPart`: entry (i, j) is kept when i − j ≤ numLower and j − i ≤
 * numUpper; a negative width keeps the whole triangle. `numLower` ≤ M and `numUpper` ≤ N, numbers
 * or int32 scalar tensors. The dtype is kept. Its gradient is dy inside the band, 0 outside, as tfjs'.
 * @example `km.linalg.bandPart(x, 0, -1)` (upper triangle), `km.linalg.bandPart(x, 0, 0)` (diagonal)
 */
export function bandPart<D extends DType>(a: Tensor<D> | TensorLike, numLower: number | Tensor, numUpper: number | Tensor): Tensor<D> {
  const fn = 'km.linalg.bandPart()';
  const t = operand<D>(fn, 'a', a);
  if (t.rank < 2) throw new Error(`${fn}: a must have rank 2 or more, a matrix or a batch of them. Received: a.shape=[${t.shape.join(', ')}] (rank ${t.rank}).`);
  const [m, n] = t.shape.slice(-2);
  const lower = bandWidth(fn, 'numLower', numLower, m, 'rows');
  const upper = bandWidth(fn, 'numUpper', numUpper, n, 'columns');
  const inBand = new Int32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) inBand[i * n + j] = i - j <= lower && j - i <= upper ? 1 : 0;
  return where(new Tensor(inBand, [m, n], 'int32'), t, new Tensor(typedArray(t.dtype, 1), [], t.dtype));
}
