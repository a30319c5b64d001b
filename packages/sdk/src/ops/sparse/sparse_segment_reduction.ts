// tfjs' tf.sparse.sparseSegmentSum and sparseSegmentMean: rows of a tensor, picked by index,
// summed (or averaged) by sorted segment id.
import { Tensor, type DType, type TensorLike } from '../../tensor.js';
import { indicesOf } from '../gather.js';
import { hostValues, operand, typedArray } from '../operand.js';
import { record, taping } from '../tape.js';

function segmentReduction<D extends DType>(fn: string, data: Tensor<D> | TensorLike, indices: Tensor | TensorLike, segmentIds: Tensor | TensorLike, mean: boolean): Tensor<D> {
  const x = operand<D>(fn, 'data', data);
  const idx = indicesOf(fn, indices);
  const seg = indicesOf(fn, segmentIds, 'segmentIds');
  if (x.rank < 1 || idx.rank !== 1 || seg.rank !== 1 || idx.size !== seg.size) {
    throw new Error(`${fn}: pass data of rank 1 or more, and indices and segmentIds as int32 vectors of one length (a data row and its segment per entry). Received: data.shape=[${x.shape.join(', ')}], indices.shape=[${idx.shape.join(', ')}], segmentIds.shape=[${seg.shape.join(', ')}].`);
  }
  const [rows, ids, segments] = [x.shape[0], hostValues(fn, idx), hostValues(fn, seg)];
  segments.forEach((s, i) => {
    if (s < 0 || (i > 0 && s < segments[i - 1])) {
      throw new Error(`${fn}: segmentIds must be non-negative and sorted (non-decreasing), as tfjs requires. Sort the entries by segment first. Received: segmentIds[${i}]=${s}${i > 0 ? ` after segmentIds[${i - 1}]=${segments[i - 1]}` : ''}.`);
    }
  });
  ids.forEach((r, i) => {
    if (r < 0 || r >= rows) throw new Error(`${fn}: indices[${i}] is ${r}, outside data's ${rows} rows: indices must be from 0 to ${rows - 1}.`);
  });
  const width = x.shape.slice(1).reduce((n, d) => n * d, 1);
  const outRows = segments.length > 0 ? segments[segments.length - 1] + 1 : 0;
  const counts = new Int32Array(outRows);
  segments.forEach((s) => counts[s]++);
  const values = hostValues(fn, x);
  // Summed into data's dtype and divided there, as tfjs' CPU kernel does (float32 rounding, int32 truncation).
  const out = typedArray(x.dtype, outRows * width);
  ids.forEach((r, i) => {
    for (let j = 0; j < width; j++) out[segments[i] * width + j] += values[r * width + j];
  });
  if (mean) out.forEach((v, e) => (out[e] = counts[Math.floor(e / width)] > 0 ? v / counts[Math.floor(e / width)] : v));
  const result = new Tensor(out, [outRows, ...x.shape.slice(1)], x.dtype);
  if (taping()) {
    record(result, [x], (dy) => {
      const g = new Float32Array(x.size);
      ids.forEach((r, i) => {
        const s = segments[i];
        for (let j = 0; j < width; j++) g[r * width + j] += mean ? dy[s * width + j] / counts[s] : dy[s * width + j];
      });
      return [g];
    });
  }
  return result;
}

/**
 * The sum of the rows of `data` at `indices` in each segment of `segmentIds`, as
 * `tf.sparse.sparseSegmentSum(data, indices, segmentIds)`: entry i adds row `indices[i]` into
 * segment `segmentIds[i]` (int32 vectors of one length; segment ids sorted), and the result has
 * `lastSegmentId + 1` rows (0 in segments without entries) and data's dtype. An index outside data's
 * rows, or unsorted ids, is an error naming the entry. tfjs has no gradient here; kerasm's
 * (TensorFlow's) adds each segment's cotangent back to the rows it summed.
 * @example `km.sparse.sparseSegmentSum([[1, 2], [3, 4], [5, 6]], [0, 2, 1], [0, 0, 2])` ([[6, 8], [0, 0], [3, 4]])
 */
export function sparseSegmentSum<D extends DType>(data: Tensor<D> | TensorLike, indices: Tensor | TensorLike, segmentIds: Tensor | TensorLike): Tensor<D> {
  return segmentReduction('km.sparse.sparseSegmentSum()', data, indices, segmentIds, false);
}

/**
 * As {@link sparseSegmentSum}, each segment's sum divided by its number of entries, as
 * `tf.sparse.sparseSegmentMean(data, indices, segmentIds)` (int32 data stays int32, the division
 * truncated, as in tfjs); its gradient divides each segment's cotangent by that number.
 * @example `km.sparse.sparseSegmentMean([[1, 2], [3, 4], [5, 6]], [0, 2], [0, 0])` ([[3, 4]])
 */
export function sparseSegmentMean<D extends DType>(data: Tensor<D> | TensorLike, indices: Tensor | TensorLike, segmentIds: Tensor | TensorLike): Tensor<D> {
  return segmentReduction('km.sparse.sparseSegmentMean()', data, indices, segmentIds, true);
}
