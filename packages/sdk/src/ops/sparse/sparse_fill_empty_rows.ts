// tfjs' tf.sparse.sparseFillEmptyRows: a sparse tensor (indices, values, dense shape) given an
// entry in each row that has none, so that later row-wise ops see every row.
import { Tensor, type DType, type TensorLike, type TypedArrayFor } from '../../tensor.js';
import { indicesOf } from '../gather.js';
import { hostValues, operand, typedArray } from '../operand.js';
import { defaultOf } from '../sparse_to_dense.js';
import { record, taping } from '../tape.js';

/** What {@link sparseFillEmptyRows} returns, with tfjs' names. */
export interface SparseFillEmptyRows<D extends DType> {
  /** The entries' index tuples, int32 [n', rank]: each row's entries, row after row, an empty row's one entry at [row, 0, ...]. */
  outputIndices: Tensor<'int32'>;
  /** The entries' values [n'], defaultValue for the added ones. */
  outputValues: Tensor<D>;
  /** 1 for each row of the dense shape that had no entry, else 0: int32 [rows] (tfjs gives bool). */
  emptyRowIndicator: Tensor<'int32'>;
  /** Where each input entry went among the outputs: int32 [n]. */
  reverseIndexMap: Tensor<'int32'>;
}

/**
 * The sparse tensor `indices` (int32 [n, rank]), `values` ([n]), `denseShape` (int32 [rank]) with
 * an entry of `defaultValue` added at [row, 0, ...] for each row (first coordinate) that has none,
 * as `tf.sparse.sparseFillEmptyRows(indices, values, denseShape, defaultValue)`; the entries come
 * out grouped by row, in their order within each row, as tfjs' CPU kernel orders them. A row
 * coordinate outside [0, denseShape[0]) is an error naming the entry. kerasm also checks that
 * values has one value per entry and denseShape one size per coordinate (tfjs reads past them).
 * tfjs has no gradient here; kerasm's (TensorFlow's) gives each value the cotangent of the output it
 * went to, and defaultValue the sum of the added entries'.
 * @example `km.sparse.sparseFillEmptyRows([[0, 0], [2, 1]], [5, 7], [3, 2], -1)` (adds [1, 0] holding -1)
 */
export function sparseFillEmptyRows<D extends DType>(indices: Tensor | TensorLike, values: Tensor<D> | TensorLike, denseShape: Tensor | TensorLike, defaultValue: Tensor<D> | number): SparseFillEmptyRows<D> {
  const fn = 'km.sparse.sparseFillEmptyRows()';
  const idx = indicesOf(fn, indices);
  const v = operand<D>(fn, 'values', values);
  const dense = indicesOf(fn, denseShape, 'denseShape');
  const [n, rank] = [idx.shape[0], idx.shape[1]];
  if (idx.rank !== 2 || v.rank !== 1 || v.size !== n || dense.rank !== 1 || dense.size !== rank || rank < 1) {
    throw new Error(`${fn}: pass a sparse tensor as indices [n, rank] (int32, one index tuple per entry, rank 1 or more), values [n] (one value per entry) and denseShape [rank] (int32). Received: indices.shape=[${idx.shape.join(', ')}], values.shape=[${v.shape.join(', ')}], denseShape.shape=[${dense.shape.join(', ')}].`);
  }
  const fill = defaultOf(fn, defaultValue, v.dtype, 'values');
  const sizes = hostValues(fn, dense);
  if (sizes.some((d) => d < 0)) throw new Error(`${fn}: denseShape must hold non-negative sizes. Received: denseShape=[${Array.from(sizes).join(', ')}].`);
  const rows = sizes[0];
  const ids = hostValues(fn, idx);
  const counts = new Int32Array(rows);
  for (let i = 0; i < n; i++) {
    const row = ids[i * rank];
    if (!(row >= 0 && row < rows)) throw new Error(`${fn}: entry ${i} of indices, [${Array.from(ids.subarray(i * rank, (i + 1) * rank)).join(', ')}], has row ${row}, outside the dense shape's ${rows} rows: row coordinates must be from 0 to ${rows - 1}.`);
    counts[row]++;
  }
  // starts[row]: where the row's entries begin among the outputs (an empty row gets one).
  const starts = new Int32Array(rows + 1);
  for (let r = 0; r < rows; r++) starts[r + 1] = starts[r] + Math.max(counts[r], 1);
  const total = starts[rows];
  const outIndices = new Int32Array(total * rank);
  const vv = hostValues(fn, v);
  const outValues: TypedArrayFor<D> = typedArray(v.dtype, total);
  outValues.fill(hostValues(fn, fill)[0]);
  const reverse = new Int32Array(n);
  const placed = new Int32Array(rows);
  for (let i = 0; i < n; i++) {
    const row = ids[i * rank];
    const at = starts[row] + placed[row]++;
    outIndices.set(ids.subarray(i * rank, (i + 1) * rank), at * rank);
    outValues[at] = vv[i];
    reverse[i] = at;
  }
  for (let r = 0; r < rows; r++) if (counts[r] === 0) outIndices[starts[r] * rank] = r;
  const outputValues = new Tensor(outValues, [total], v.dtype);
  if (taping()) {
    record(outputValues, [v, fill], (dy) => {
      let added = 0;
      for (let r = 0; r < rows; r++) if (counts[r] === 0) added += dy[starts[r]];
      return [Float32Array.from(reverse, (at) => dy[at]), Float32Array.of(added)];
    });
  }
  return {
    outputIndices: new Tensor(outIndices, [total, rank], 'int32'),
    outputValues,
    emptyRowIndicator: new Tensor(Int32Array.from(counts, (c) => (c === 0 ? 1 : 0)), [rows], 'int32'),
    reverseIndexMap: new Tensor(reverse, [n], 'int32'),
  };
}
