// tfjs' meshgrid: coordinate grids from two vectors of coordinates.
import type { Tensor, TensorLike } from '../tensor.js';
import { ones } from '../tensor_create.js';
import { mul } from './arithmetic.js';
import { operand } from './operand.js';

/**
 * The grids of `x`'s and `y`'s values (each flattened), as `tf.meshgrid`: with indexing 'xy' (the
 * default) both grids are [y.size, x.size], x's values along the rows and y's down the columns;
 * with 'ij' both are [x.size, y.size]. Each grid keeps its input's dtype. Without `y` the result
 * is [x], without either []. As in tfjs, a grid is a product with ones, so its gradient sums dy
 * over the repeats, in double, rounded once (tfjs' matMul rounds per block of 48 repeats); unlike
 * tfjs (whose product turns -0 into 0), -0 stays -0.
 * @example `const [X, Y] = km.meshgrid(km.range(0, 4), km.range(0, 3))` (two [3, 4] grids)
 */
export function meshgrid(x?: Tensor | TensorLike, y?: Tensor | TensorLike, { indexing = 'xy' }: { indexing?: 'xy' | 'ij' } = {}): Tensor[] {
  const fn = 'km.meshgrid()';
  if (indexing !== 'xy' && indexing !== 'ij') throw new Error(`${fn}: indexing must be 'xy' (Cartesian: grids of [y.size, x.size]) or 'ij' (matrix: [x.size, y.size]). Received: indexing=${JSON.stringify(indexing)}.`);
  if (x === undefined) return [];
  const tx = operand(fn, 'x', x);
  if (y === undefined) return [tx];
  const ty = operand(fn, 'y', y);
  const [w, h] = [tx.size, ty.size];
  if (indexing === 'xy') return [mul(ones([h, 1], tx.dtype), tx.reshape([1, -1])), mul(ty.reshape([-1, 1]), ones([1, w], ty.dtype))];
  return [mul(tx.reshape([-1, 1]), ones([1, h], tx.dtype)), mul(ones([w, 1], ty.dtype), ty.reshape([1, -1]))];
}
