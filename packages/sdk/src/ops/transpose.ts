import { Tensor, type DType, type TensorLike, type TypedArrayFor } from '../tensor.js';
import { rowMajorStrides } from '../tensor_slice.js';
import { sourceOffsets } from './offsets.js';
import { hostValues, operand, typedArray } from './operand.js';
import { record, taping } from './tape.js';

/** The values of a row-major array of `shape` with its axes reordered: output axis k is input axis `perm[k]`. */
export function transposeValues<D extends DType>(values: TypedArrayFor<D>, shape: readonly number[], perm: readonly number[], dtype: D): TypedArrayFor<D> {
  const strides = rowMajorStrides(shape);
  const offsets = sourceOffsets(perm.map((p) => shape[p]), perm.map((p) => strides[p]));
  const out = typedArray(dtype, offsets.length);
  for (let i = 0; i < offsets.length; i++) out[i] = values[offsets[i]];
  return out;
}

/**
 * The tensor with its axes reordered, as `tf.transpose`: output axis k is input axis `perm[k]`;
 * without `perm`, the axes reversed (a matrix's transpose).
 * @example
 * ```ts
 * km.transpose(km.tensor([[1, 2, 3], [4, 5, 6]])).arraySync(); // [[1, 4], [2, 5], [3, 6]]
 * images.transpose([0, 3, 1, 2]); // NHWC to NCHW
 * ```
 */
export function transpose<D extends DType>(x: Tensor<D> | TensorLike, perm?: readonly number[]): Tensor<D> {
  const fn = 'km.transpose()';
  const t = operand<D>(fn, 'x', x);
  const order = perm ?? t.shape.map((_, i) => t.rank - 1 - i);
  const valid = Array.isArray(order) && order.length === t.rank && order.every((p, i) => Number.isInteger(p) && p >= 0 && p < t.rank && order.indexOf(p) === i);
  if (!valid) {
    throw new Error(`${fn}: perm ${JSON.stringify(perm)} is not an order of the ${t.rank} axes of shape [${t.shape.join(', ')}]: list each axis from 0 to ${t.rank - 1} once, e.g. [${t.shape.map((_, i) => t.rank - 1 - i).join(', ')}].`);
  }
  const shape = order.map((p) => t.shape[p]);
  const result = new Tensor(transposeValues(hostValues(fn, t), t.shape, order, t.dtype), shape, t.dtype);
  if (taping()) {
    const undo = order.map((_, k) => order.indexOf(k));
    record(result, [t], (dy) => [transposeValues(dy, shape, undo, 'float32')]);
  }
  return result;
}
