// tfjs' broadcastArgs: the shape two shapes broadcast to, each given as an int32 vector.
import { Tensor, type TensorLike } from '../tensor.js';
import { broadcastShape } from './binary.js';
import { indicesOf } from './gather.js';
import { hostValues } from './operand.js';

function shapeVector(fn: string, s: Tensor | TensorLike, name: string): number[] {
  const t = indicesOf(fn, s, name);
  const dims = Array.from(hostValues(fn, t));
  if (t.rank !== 1 || dims.some((d) => d < 0)) {
    throw new Error(`${fn}: ${name} must be a shape, a vector (rank 1) of non-negative sizes, e.g. [2, 1, 3]. Received: ${name}.shape=[${t.shape.join(', ')}], values [${dims.join(', ')}].`);
  }
  return dims;
}

/**
 * The shape that shapes `s0` and `s1` broadcast to, NumPy's way, as `tf.broadcastArgs(s0, s1)`:
 * each an int32 vector (arrays are taken as int32), the result an int32 vector. Shapes that do not
 * broadcast are an error naming the axis.
 * @example `km.broadcastArgs([2, 1, 3], [4, 1])` (values [2, 4, 3])
 */
export function broadcastArgs(s0: Tensor | TensorLike, s1: Tensor | TensorLike): Tensor<'int32'> {
  const fn = 'km.broadcastArgs()';
  const shape = broadcastShape(fn, shapeVector(fn, s0, 's0'), shapeVector(fn, s1, 's1'));
  return new Tensor(Int32Array.from(shape), [shape.length], 'int32');
}
