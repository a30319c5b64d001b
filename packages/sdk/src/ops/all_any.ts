// tfjs' all and any: logical reductions. tfjs takes and gives bool tensors; kerasm takes any tensor,
// a value other than 0 counting as true (NaN too, as tfjs' cast to bool counts it), and gives int32
// 1s and 0s, as its comparisons do. The axes are read and folded as km.sum's are.
import { Tensor, type TensorLike } from '../tensor.js';
import { parseAxes } from './axes.js';
import { operand } from './operand.js';
import { runs, type ReduceAxis } from './reduce.js';

function truthReduce(fn: string, x: Tensor | TensorLike, axis: ReduceAxis | undefined, keepDims: boolean, every: boolean): Tensor<'int32'> {
  const t = operand(fn, 'x', x);
  const r = runs(fn, t, parseAxes(fn, axis, t.shape), keepDims);
  const out = new Int32Array(r.count);
  const truthy = (v: number): boolean => v !== 0;
  for (let i = 0; i < r.count; i++) {
    const run = r.values.subarray(i * r.length, (i + 1) * r.length);
    // An empty run is all true and none true, as in TensorFlow and NumPy.
    out[i] = (every ? run.every(truthy) : run.some(truthy)) ? 1 : 0;
  }
  return new Tensor(out, r.shape, 'int32');
}

/**
 * 1 where every value over `axis` (all axes by default) is non-zero, else 0, as
 * `tf.all(x, axis, keepDims)`: int32 (tfjs gives bool). Over an empty axis the result is 1, as in
 * TensorFlow and NumPy (tfjs' CPU kernel gives false there).
 * @example `km.all(km.greater(x, 0), -1)` (rows whose values are all positive)
 */
export function all(x: Tensor | TensorLike, axis: ReduceAxis = null, keepDims = false): Tensor<'int32'> {
  return truthReduce('km.all()', x, axis, keepDims, true);
}

/**
 * 1 where some value over `axis` (all axes by default) is non-zero, else 0, as
 * `tf.any(x, axis, keepDims)`: int32 (tfjs gives bool). Over an empty axis the result is 0.
 * @example `km.any(km.isNaN(x))` (1 when x holds a NaN)
 */
export function any(x: Tensor | TensorLike, axis: ReduceAxis = null, keepDims = false): Tensor<'int32'> {
  return truthReduce('km.any()', x, axis, keepDims, false);
}
