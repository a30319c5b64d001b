// tfjs' broadcastTo: a tensor repeated NumPy's way to a larger shape.
import { Tensor, type DType, type TensorLike } from '../tensor.js';
import { checkedSize } from '../tensor_checks.js';
import { operand } from './operand.js';
import { tile } from './tile_pad.js';

/**
 * `x` broadcast to `shape`, as `tf.broadcastTo`: x's axes line up with the last ones of `shape`
 * (missing leading axes count as 1), and each axis of size 1 repeats to the size asked; every
 * other axis must already have it. Like tfjs, it is a reshape and a tile, so its gradient is
 * tile's: each repeat's cotangent added in float32, in row-major order (tfjs' stops at rank 4,
 * kerasm's does not).
 * @example `km.broadcastTo(km.tensor([1, 2, 3]), [2, 3])` ([[1, 2, 3], [1, 2, 3]])
 */
export function broadcastTo<D extends DType>(x: Tensor<D> | TensorLike, shape: readonly number[]): Tensor<D> {
  const fn = 'km.broadcastTo()';
  const t = operand<D>(fn, 'x', x);
  checkedSize(fn, shape);
  const lead = shape.length - t.rank;
  const fits = lead >= 0 && t.shape.every((d, i) => d === shape[lead + i] || d === 1);
  if (!fits) {
    throw new Error(
      `${fn}: shape [${t.shape.join(', ')}] cannot be broadcast to [${shape.join(', ')}]: x's axes line up with the last ones of shape, and each must equal its target size or be 1. ` +
        `Reshape x first (e.g. with expandDims), or ask for a shape of at least its rank. Received: x.shape=[${t.shape.join(', ')}], shape=[${shape.join(', ')}].`,
    );
  }
  const aligned = [...shape.slice(0, lead).map(() => 1), ...t.shape];
  return tile(t.reshape(aligned), shape.map((d, i) => (aligned[i] === d ? 1 : d)));
}
