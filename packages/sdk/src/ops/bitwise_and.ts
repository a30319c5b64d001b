// tfjs' bitwiseAnd: the bits two int32 tensors of one shape have in common.
import { Tensor, type TensorLike } from '../tensor.js';
import { hostValues, operand } from './operand.js';

/**
 * `x & y`, element-wise, as `tf.bitwiseAnd(x, y)`: both int32 and of one shape (no broadcasting,
 * as in tfjs), the result int32.
 * @example `km.bitwiseAnd(km.tensor([12, 10], undefined, 'int32'), km.tensor([10, 6], undefined, 'int32'))` (values [8, 2])
 */
export function bitwiseAnd(x: Tensor | TensorLike, y: Tensor | TensorLike): Tensor<'int32'> {
  const fn = 'km.bitwiseAnd()';
  const a = operand(fn, 'x', x);
  const b = operand(fn, 'y', y);
  if (a.dtype !== 'int32' || b.dtype !== 'int32') {
    throw new Error(`${fn} takes int32 tensors only, as tfjs does. Cast them first: km.cast(t, 'int32'). Received: x.dtype='${a.dtype}', y.dtype='${b.dtype}'.`);
  }
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new Error(`${fn}: x and y must have one shape (bitwiseAnd does not broadcast, as in tfjs). Broadcast one first with km.broadcastTo. Received: x.shape=[${a.shape.join(', ')}], y.shape=[${b.shape.join(', ')}].`);
  }
  const [va, vb] = [hostValues(fn, a), hostValues(fn, b)];
  return new Tensor(Int32Array.from(va, (v, i) => v & vb[i]), a.shape, 'int32');
}
