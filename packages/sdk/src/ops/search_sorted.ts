// tfjs' searchSorted, lowerBound and upperBound: where values would go in sorted rows, by binary search.
import { Tensor, type TensorLike } from '../tensor.js';
import { hostValues, operand } from './operand.js';

/**
 * For each value, the position in its row of `sortedSequence` where it would be inserted to keep
 * the row sorted, as `tf.searchSorted(sortedSequence, values, side)`: with `side` 'left' (the
 * default) the first position whose value is not below it, with 'right' the first whose value is
 * above it. Rows are the last axis: sortedSequence [..., n] and values [..., m] need as many rows
 * (the same product of the leading axes, as tfjs checks). The result is int32 with values' shape;
 * tfjs 4.22 returns it as [rows, m] (a rank-1 values gives [1, m]), kerasm keeps values' shape, as
 * TensorFlow does. An empty row gives 0s (tfjs throws). The binary search is tfjs', so rows that
 * are not sorted, or hold NaN, give what tfjs gives. No gradient (the result is int32).
 * @example `km.searchSorted([0, 3, 9, 10, 10], [0, 4, 10])` (values [0, 2, 3])
 */
export function searchSorted(sortedSequence: Tensor | TensorLike, values: Tensor | TensorLike, side: 'left' | 'right' = 'left'): Tensor<'int32'> {
  return search('km.searchSorted()', sortedSequence, values, side);
}

/** {@link searchSorted} with side 'left', as `tf.lowerBound`: the first position whose value is not below each value. @example `km.lowerBound([1, 2, 2, 3], [2])` (values [1]) */
export function lowerBound(sortedSequence: Tensor | TensorLike, values: Tensor | TensorLike): Tensor<'int32'> {
  return search('km.lowerBound()', sortedSequence, values, 'left');
}

/** {@link searchSorted} with side 'right', as `tf.upperBound`: the first position whose value is above each value. @example `km.upperBound([1, 2, 2, 3], [2])` (values [3]) */
export function upperBound(sortedSequence: Tensor | TensorLike, values: Tensor | TensorLike): Tensor<'int32'> {
  return search('km.upperBound()', sortedSequence, values, 'right');
}

function search(fn: string, sortedSequence: Tensor | TensorLike, values: Tensor | TensorLike, side: 'left' | 'right'): Tensor<'int32'> {
  const s = operand(fn, 'sortedSequence', sortedSequence);
  const v = operand(fn, 'values', values);
  if (side !== 'left' && side !== 'right') throw new Error(`${fn}: side must be 'left' or 'right'. Received: side=${JSON.stringify(side)}.`);
  if (s.rank < 1 || v.rank < 1) throw new Error(`${fn} takes sortedSequence and values of rank 1 or more (rows along the last axis). Received: sortedSequence.shape=[${s.shape.join(', ')}], values.shape=[${v.shape.join(', ')}]; reshape a scalar to [1].`);
  const rows = s.shape.slice(0, -1).reduce((p, d) => p * d, 1);
  if (v.shape.slice(0, -1).reduce((p, d) => p * d, 1) !== rows) {
    throw new Error(`${fn}: sortedSequence and values need as many rows (the product of the axes before the last), a sorted row per row of values. Received: sortedSequence.shape=[${s.shape.join(', ')}], values.shape=[${v.shape.join(', ')}].`);
  }
  const [n, m] = [s.shape[s.rank - 1], v.shape[v.rank - 1]];
  const [seq, vals] = [hostValues(fn, s), hostValues(fn, v)];
  const below = side === 'left' ? (a: number, b: number) => a < b : (a: number, b: number) => a <= b;
  const out = new Int32Array(rows * m);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < m; i++) {
      const value = vals[r * m + i];
      let [lo, hi] = [0, n];
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (below(seq[r * n + mid], value)) lo = mid + 1;
        else hi = mid;
      }
      out[r * m + i] = hi;
    }
  }
  return new Tensor(out, v.shape, 'int32');
}
