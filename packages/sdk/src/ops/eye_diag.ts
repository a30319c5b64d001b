// tfjs' eye and diag: identity matrices, and a tensor spread along the diagonal of a larger one.
import { Tensor, type DType, type TensorLike } from '../tensor.js';
import { checkDtype } from '../tensor_checks.js';
import { operand, typedArray } from './operand.js';
import { selected } from './selection.js';

/**
 * The `numRows`×`numColumns` (default square) identity matrix, as `tf.eye`: 1 where row = column,
 * 0 elsewhere, in `dtype` (default float32); `batchShape` repeats it, giving
 * [...batchShape, numRows, numColumns] (tfjs takes up to 3 batch axes; kerasm any number).
 * @example `km.eye(3)`, `km.eye(2, 3, [4], 'int32')` (four 2×3 identities)
 */
export function eye<D extends DType = 'float32'>(numRows: number, numColumns?: number, batchShape?: readonly number[], dtype: D = 'float32' as D): Tensor<D> {
  const fn = 'km.eye()';
  const columns = numColumns ?? numRows;
  const batch = batchShape ?? [];
  if (![numRows, columns].every((n) => Number.isInteger(n) && n >= 0) || !Array.isArray(batch) || !batch.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new Error(`${fn}: numRows, numColumns and the batchShape dimensions must be non-negative integers, e.g. km.eye(3) or km.eye(2, 3, [4]). Received: numRows=${String(numRows)}, numColumns=${String(numColumns)}, batchShape=${JSON.stringify(batchShape)}.`);
  }
  const kind = checkDtype(fn, dtype) as D;
  const matrix = numRows * columns;
  const out = typedArray(kind, batch.reduce((a, b) => a * b, 1) * matrix);
  for (let start = 0; start < out.length; start += matrix) for (let i = 0; i < Math.min(numRows, columns); i++) out[start + i * columns + i] = 1;
  return new Tensor(out, [...batch, numRows, columns], kind);
}

/**
 * The tensor of shape [...x.shape, ...x.shape] with x's values on its diagonal and 0 elsewhere, as
 * `tf.diag`: for a vector, the square matrix with it on the diagonal; in general
 * out[i1..ik, i1..ik] = x[i1..ik]. Keeps x's dtype. Its gradient (tfjs has none) is dy's diagonal.
 * @example `km.diag(km.tensor([1, 2, 3]))` ([[1, 0, 0], [0, 2, 0], [0, 0, 3]])
 */
export function diag<D extends DType>(x: Tensor<D> | TensorLike): Tensor<D> {
  const fn = 'km.diag()';
  const t = operand<D>(fn, 'x', x);
  const n = t.size;
  // Flat, the output is n×n: entry k of x lands at k·(n + 1), on its diagonal.
  const sources = Int32Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? i / (n + 1) : -1));
  return selected(fn, t, [...t.shape, ...t.shape], sources);
}
