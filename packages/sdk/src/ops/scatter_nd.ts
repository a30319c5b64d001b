// tfjs' scatterND and tensorScatterUpdate: slices written at index tuples, into zeros (summing
// duplicates) or into a copy of a tensor (the last write wins), with the gradients tfjs lacks.
import { Tensor, type DType, type TensorLike, type TypedArrayFor } from '../tensor.js';
import { indicesOf } from './gather.js';
import { addSlices } from './gather_nd.js';
import { ndSlices, type NdSlices } from './nd_indices.js';
import { hostValues, operand, typedArray } from './operand.js';
import { record, taping } from './tape.js';

/**
 * The slices `indices` names in a tensor of `shape`, after tfjs' checks: indices [..., k] holds
 * tuples of k coordinates (a rank-1 indices holds single coordinates, as in tfjs), and updates
 * must have shape `indices.shape[:-1] + shape[k:]`.
 */
function scatterSlices(fn: string, idx: Tensor<'int32'>, updates: Tensor, shape: readonly number[], shapeName: string): NdSlices {
  const k = idx.rank > 1 ? idx.shape[idx.rank - 1] : 1;
  const batch = idx.rank > 1 ? idx.shape.slice(0, -1) : idx.shape;
  if (idx.rank < 1 || shape.length < 1 || k > shape.length) {
    throw new Error(`${fn} takes indices of rank 1 or more whose last axis (the length of each index tuple) is at most the rank of ${shapeName}, which must be 1 or more. Received: indices.shape=[${idx.shape.join(', ')}], ${shapeName}=[${shape.join(', ')}].`);
  }
  const expected = [...batch, ...shape.slice(k)];
  if (updates.rank !== expected.length || updates.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${fn}: updates must have shape indices.shape[:-1] + ${shapeName}[${k}:] = [${expected.join(', ')}], a slice per index tuple. Received: updates.shape=[${updates.shape.join(', ')}], indices.shape=[${idx.shape.join(', ')}], ${shapeName}=[${shape.join(', ')}].`);
  }
  return ndSlices(fn, idx, batch.reduce((n, d) => n * d, 1), k, shape, shapeName);
}

/**
 * A tensor of `shape` holding zeros and, at each index tuple of `indices`, the matching slice of
 * `updates`, as `tf.scatterND(indices, updates, shape)`; slices written at the same place add up,
 * as in tfjs. The result has updates' dtype. indices ([..., k], int32) holds tuples of the first k
 * coordinates (a rank-1 indices holds single coordinates), and updates has shape
 * `indices.shape[:-1] + shape[k:]`. A coordinate outside its axis is an error naming it, where tfjs'
 * CPU backend writes elsewhere when the flattened offset still fits. Tuples of length 0
 * (indices [n, 0]) each add a whole tensor, as in TensorFlow (tfjs writes nothing). tfjs has no
 * gradient for scatterND; kerasm's gives each update the cotangent at the place it was written.
 * @example `km.scatterND([[4], [3], [1], [7]], [9, 10, 11, 12], [8])` (values [0, 11, 0, 10, 9, 0, 0, 12])
 */
export function scatterND<D extends DType>(indices: Tensor | TensorLike, updates: Tensor<D> | TensorLike, shape: readonly number[]): Tensor<D> {
  const fn = 'km.scatterND()';
  const idx = indicesOf(fn, indices);
  const u = operand<D>(fn, 'updates', updates);
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`${fn}: shape must be an array of non-negative integers, the result's shape. Received: shape=${JSON.stringify(shape)}.`);
  }
  const { starts, sliceSize } = scatterSlices(fn, idx, u, shape, 'shape');
  const result = new Tensor(addSlices(typedArray(u.dtype, shape.reduce((n, d) => n * d, 1)), hostValues(fn, u), starts, sliceSize), shape, u.dtype);
  if (taping()) record(result, [u], (dy) => [pickSlices(dy, starts, sliceSize, null)]);
  return result;
}

/**
 * A copy of `tensor` with the slice of `updates` written at each index tuple of `indices`, as
 * `tf.tensorScatterUpdate(tensor, indices, updates)`: where tuples repeat, the last write wins, as
 * in tfjs' CPU backend. indices and updates are as for {@link scatterND}, with tensor's shape; updates
 * must have tensor's dtype. A coordinate outside its axis is an error naming it. tfjs has no
 * gradient here; kerasm's gives tensor the cotangent where nothing was written, and each update the
 * cotangent where it was written unless a later update overwrote it (then 0; TensorFlow's gradient
 * gives every update the cotangent, which finite differences do not bear out).
 * @example `km.tensorScatterUpdate(km.zeros([4]), [[1], [3]], [5, 6])` (values [0, 5, 0, 6])
 */
export function tensorScatterUpdate<D extends DType>(tensor: Tensor<D> | TensorLike, indices: Tensor | TensorLike, updates: Tensor<D> | TensorLike): Tensor<D> {
  const fn = 'km.tensorScatterUpdate()';
  const t = operand<D>(fn, 'tensor', tensor);
  const idx = indicesOf(fn, indices);
  const u = operand<D>(fn, 'updates', updates);
  if (u.dtype !== t.dtype) throw new Error(`${fn}: updates must have tensor's dtype, as in tfjs. Cast one of them first: km.cast(updates, '${t.dtype}'). Received: tensor.dtype='${t.dtype}', updates.dtype='${u.dtype}'.`);
  const { starts, sliceSize } = scatterSlices(fn, idx, u, t.shape, 'tensor.shape');
  const out = hostValues(fn, t).slice() as TypedArrayFor<D>;
  const vu = hostValues(fn, u);
  // writer[e]: the update whose value element e ends with (-1 where tensor's own value stays).
  const writer = new Int32Array(out.length).fill(-1);
  starts.forEach((start, i) => {
    out.set(vu.subarray(i * sliceSize, (i + 1) * sliceSize), start);
    writer.fill(i, start, start + sliceSize);
  });
  const result = new Tensor(out, t.shape, t.dtype);
  if (taping()) {
    record(result, [t, u], (dy, needed) => [
      needed[0] ? dy.map((g, e) => (writer[e] < 0 ? g : 0)) : null,
      needed[1] ? pickSlices(dy, starts, sliceSize, writer) : null,
    ]);
  }
  return result;
}

/** The slices of `dy` at `starts`, one after another; with `writer`, 0 where another slice was written last. */
function pickSlices(dy: Float32Array, starts: Int32Array, sliceSize: number, writer: Int32Array | null): Float32Array {
  const out = new Float32Array(starts.length * sliceSize);
  starts.forEach((start, i) => {
    for (let s = 0; s < sliceSize; s++) out[i * sliceSize + s] = writer === null || writer[start + s] === i ? dy[start + s] : 0;
  });
  return out;
}
