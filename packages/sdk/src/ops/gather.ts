// tfjs' gather: slices of a tensor picked by int32 indices along an axis, and its gradient, which
// adds each picked slice's cotangent back where it was picked from.
import { Tensor, tensor, type DType, type TensorLike } from '../tensor.js';
import { parseAxis } from './axes.js';
import { hostValues, operand, typedArray } from './operand.js';
import { record, taping } from './tape.js';

/** `indices` as an int32 tensor (arrays become one), refusing float32 ones with the cast that fixes them. */
export function indicesOf(fn: string, indices: Tensor | TensorLike, name = 'indices'): Tensor<'int32'> {
  const t = indices instanceof Tensor ? operand(fn, name, indices) : tensor(indices, undefined, 'int32');
  if (t.dtype !== 'int32') throw new Error(`${fn}: ${name} must be an int32 tensor (or an array of integers), as tfjs takes them. Cast them first: km.cast(${name}, 'int32'). Received: ${name}.dtype='${t.dtype}'.`);
  return t as Tensor<'int32'>;
}

/**
 * The slices of `x` along `axis` (default 0) at `indices` (int32), as `tf.gather`: the result has
 * x's axes before `axis`, then the indices' shape, then x's axes after `axis`, and x's dtype.
 * `batchDims` (default 0) pairs the first axes of x and indices, as in tfjs. An index outside
 * [0, size of axis) is an error naming it. Its gradient adds each picked slice's cotangent back
 * where it came from (indices picked twice get both), as tfjs'.
 * @example `km.gather(embeddings, tokenIds)` (one row per token), `km.gather(x, [2, 0], 1)` (columns 2 and 0)
 */
export function gather<D extends DType>(x: Tensor<D> | TensorLike, indices: Tensor | TensorLike, axis = 0, batchDims = 0): Tensor<D> {
  const fn = 'km.gather()';
  const t = operand<D>(fn, 'x', x);
  const idx = indicesOf(fn, indices);
  const at = parseAxis(fn, axis, t.shape);
  const batch = Number.isInteger(batchDims) && batchDims < 0 ? batchDims + idx.rank : batchDims;
  if (!Number.isInteger(batch) || batch < 0 || batch > idx.rank || batch > at) {
    throw new Error(`${fn}: batchDims must be an integer from 0 to min(axis, rank of indices) = ${Math.min(at, idx.rank)} (negative counts from the indices' rank). Received: batchDims=${String(batchDims)}, axis=${axis}, indices.shape=[${idx.shape.join(', ')}].`);
  }
  const mismatch = t.shape.findIndex((d, i) => i < batch && d !== idx.shape[i]);
  if (mismatch >= 0) throw new Error(`${fn}: with batchDims=${batch}, x and indices need the same first ${batch} axes, but axis ${mismatch} has ${t.shape[mismatch]} and ${idx.shape[mismatch]}. Received: x.shape=[${t.shape.join(', ')}], indices.shape=[${idx.shape.join(', ')}].`);
  const size = (dims: readonly number[]): number => dims.reduce((n, d) => n * d, 1);
  const batchSize = size(t.shape.slice(0, batch));
  const outer = size(t.shape.slice(batch, at));
  const dim = t.shape[at];
  const slice = size(t.shape.slice(at + 1));
  const picks = idx.size / Math.max(batchSize, 1);
  const ids = hostValues(fn, idx);
  ids.forEach((id, i) => {
    if (id < 0 || id >= dim) throw new Error(`${fn}: index ${id} (indices position ${i}) is out of range for axis ${at} of size ${dim} in x.shape [${t.shape.join(', ')}]: indices must be from 0 to ${dim - 1}.`);
  });
  // Output slice (b, o, p) is x's slice (b, o, ids[b, p]); `starts[q]` is where the q-th begins in x.
  const starts = new Int32Array(batchSize * outer * picks);
  let q = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let o = 0; o < outer; o++) {
      for (let p = 0; p < picks; p++) starts[q++] = ((b * outer + o) * dim + ids[b * picks + p]) * slice;
    }
  }
  const values = hostValues(fn, t);
  const out = typedArray(t.dtype, starts.length * slice);
  for (let q = 0, k = 0; q < starts.length; q++) {
    for (let s = starts[q], end = s + slice; s < end; s++) out[k++] = values[s];
  }
  const result = new Tensor(out, [...t.shape.slice(0, at), ...idx.shape.slice(batch), ...t.shape.slice(at + 1)], t.dtype);
  if (taping()) {
    record(result, [t], (dy) => {
      // Summed in double in the order of the picks and rounded once, as tfjs' unsortedSegmentSum.
      const sums = new Float64Array(t.size);
      for (let q = 0, k = 0; q < starts.length; q++) {
        for (let s = starts[q], end = s + slice; s < end; s++) sums[s] += dy[k++];
      }
      return [Float32Array.from(sums)];
    });
  }
  return result;
}
