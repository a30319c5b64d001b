// tfjs' gatherND: slices of a tensor picked by index tuples, and the gradient tfjs lacks, which adds
// each slice's cotangent back where it was picked from.
import { Tensor, type DType, type TensorLike, type TypedArrayFor } from '../tensor.js';
import { indicesOf } from './gather.js';
import { ndSlices } from './nd_indices.js';
import { hostValues, operand, typedArray } from './operand.js';
import { record, taping } from './tape.js';

/**
 * The slices of `x` that the index tuples in `indices` name, as `tf.gatherND(x, indices)`: each
 * row of the int32 `indices` ([..., k], k at most x's rank) holds the first k coordinates of a
 * slice, and the result has shape `indices.shape[:-1] + x.shape[k:]` and x's dtype.
 * A coordinate outside its axis is an error naming it, where tfjs' CPU backend reads another
 * element when the flattened offset is still inside x (tfjs' GPU backends give 0). An empty x is
 * fine when nothing is read from it (tfjs always refuses one). tfjs has no gradient for gatherND;
 * kerasm's adds each slice's cotangent back where it was read (a slice read twice gets both), as
 * km.gather's does.
 * @example `km.gatherND(km.tensor([[9, 10], [11, 12]]), [[0, 1], [1, 0]])` (values [10, 11])
 */
export function gatherND<D extends DType>(x: Tensor<D> | TensorLike, indices: Tensor | TensorLike): Tensor<D> {
  const fn = 'km.gatherND()';
  const t = operand<D>(fn, 'x', x);
  const idx = indicesOf(fn, indices);
  const k = idx.shape[idx.rank - 1];
  if (t.rank < 1 || idx.rank < 1 || k > t.rank) {
    throw new Error(`${fn} takes x of rank 1 or more and indices of rank 1 or more whose last axis (the length of each index tuple) is at most x's rank. Received: x.shape=[${t.shape.join(', ')}], indices.shape=[${idx.shape.join(', ')}].`);
  }
  const count = idx.shape.slice(0, -1).reduce((n, d) => n * d, 1);
  const { starts, sliceSize } = ndSlices(fn, idx, count, k, t.shape, 'x.shape');
  const values = hostValues(fn, t);
  const out = typedArray(t.dtype, count * sliceSize);
  starts.forEach((start, i) => out.set(values.subarray(start, start + sliceSize), i * sliceSize));
  const result = new Tensor(out, [...idx.shape.slice(0, -1), ...t.shape.slice(k)], t.dtype);
  if (taping()) record(result, [t], (dy) => [Float32Array.from(addSlices(new Float64Array(t.size), dy, starts, sliceSize))]);
  return result;
}

/**
 * `into` (zeros) with each slice of `slices` (the i-th `sliceSize` values) added at `starts[i]`, in
 * the order of the slices: in a Float64Array for gatherND's gradient (rounded once after, as
 * km.gather's), in the result's typed array for scatterND's values (each sum stored in its dtype,
 * as tfjs' scatter kernel does).
 */
export function addSlices<A extends Float64Array | TypedArrayFor<DType>>(into: A, slices: ArrayLike<number>, starts: Int32Array, sliceSize: number): A {
  starts.forEach((start, i) => {
    for (let s = 0; s < sliceSize; s++) into[start + s] += slices[i * sliceSize + s];
  });
  return into;
}
