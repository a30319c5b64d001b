import { Tensor, type DType, type TensorLike } from '../tensor.js';
import { hostValues, operand, typedArray } from './operand.js';
import { record, taping } from './tape.js';

/** The values and indices {@link topk} returns. */
export interface TopK<D extends DType = DType> {
  values: Tensor<D>;
  indices: Tensor<'int32'>;
}

/**
 * The `k` largest entries of each row along the last axis, as `tf.topk`: `values` (the input's
 * dtype) and their `indices` (int32), both of shape `[...x.shape.slice(0, -1), k]`, largest first,
 * the lower index first on ties. `sorted = false` gives the same order (tfjs leaves it unspecified).
 * In a gradient call (km.grad) `values` passes its gradient back to the picked entries; tfjs has none.
 * @example
 * ```ts
 * const { values, indices } = km.topk(probs, 3); // each sample's three likeliest classes
 * ```
 */
export function topk<D extends DType>(x: Tensor<D> | TensorLike, k = 1, _sorted = true): TopK<D> {
  const fn = 'km.topk()';
  const t = operand<D>(fn, 'x', x);
  if (t.rank === 0) throw new Error(`${fn} takes a tensor of rank 1 or more and picks along its last axis; received a scalar. Reshape it, e.g. t.reshape([1]).`);
  const last = t.shape[t.rank - 1];
  if (!Number.isInteger(k) || k < 0 || k > last) {
    throw new Error(`${fn}: k=${String(k)} must be an integer from 0 to ${last}, the size of the last axis of shape [${t.shape.join(', ')}]. Use a smaller k, or transpose the axis to pick along to the end.`);
  }
  const values = hostValues(fn, t);
  const rows = last === 0 ? 0 : values.length / last;
  const outValues = typedArray(t.dtype, rows * k);
  const outIndices = new Int32Array(rows * k);
  const order: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < last; i++) order[i] = i;
    const row = values.subarray(r * last, (r + 1) * last);
    order.sort((i, j) => row[j] - row[i] || i - j);
    for (let i = 0; i < k; i++) {
      outIndices[r * k + i] = order[i];
      outValues[r * k + i] = row[order[i]];
    }
  }
  const shape = [...t.shape.slice(0, -1), k];
  const result = { values: new Tensor(outValues, shape, t.dtype), indices: new Tensor(outIndices, shape, 'int32') };
  if (taping()) {
    // Each picked value's cotangent goes back to where it was picked from (tfjs has no gradient for topk).
    record(result.values, [t], (dy) => {
      const g = new Float32Array(values.length);
      for (let i = 0; i < dy.length; i++) g[Math.floor(i / k) * last + outIndices[i]] = dy[i];
      return [g];
    });
  }
  return result;
}
