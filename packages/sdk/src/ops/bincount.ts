// tfjs' bincount and denseBincount: how often each integer below `size` occurs (or the sum of its
// weights), over a whole tensor or per row.
import { Tensor, type DType, type TensorLike, type TypedArrayFor } from '../tensor.js';
import { indicesOf } from './gather.js';
import { hostValues, operand, typedArray } from './operand.js';

/** x, weights and size after tfjs' checks, and x's values, refusing a negative one. */
function bincountInputs(fn: string, x: Tensor | TensorLike, weights: Tensor | TensorLike, size: number): { t: Tensor<'int32'>; ids: Int32Array; w: Tensor } {
  const t = indicesOf(fn, x, 'x');
  const w = operand(fn, 'weights', weights);
  if (!Number.isInteger(size) || size < 0) throw new Error(`${fn}: size must be a non-negative integer, the number of bins. Received: size=${String(size)}.`);
  if (w.size !== t.size && w.size !== 0) {
    throw new Error(`${fn}: weights must have a value per value of x, or none (an empty tensor, to count). Received: weights.shape=[${w.shape.join(', ')}], x.shape=[${t.shape.join(', ')}].`);
  }
  const ids = hostValues(fn, t);
  ids.forEach((id, i) => {
    if (id < 0) throw new Error(`${fn}: x must hold non-negative integers, but x's value at position ${i} is ${id}. Values from size=${size} on are not counted; negative ones have no bin.`);
  });
  return { t, ids, w };
}

/**
 * `size` bins, each counting how often its index occurs in `x` (int32, any shape), or summing the
 * weights of those values, as `tf.bincount(x, weights, size)`: `weights` has a value per value of x,
 * or none (an empty tensor, such as `[]`) to count; the result has weights' dtype. Values from
 * `size` on are not counted (as in tfjs and TensorFlow); a negative one is an error naming it.
 * Weights add in their dtype in the order of x, as tfjs' do. No gradient (tfjs has none).
 * @example `km.bincount(km.tensor([1, 1, 2, 5], undefined, 'int32'), [], 4)` (values [0, 2, 1, 0])
 */
export function bincount<D extends DType>(x: Tensor | TensorLike, weights: Tensor<D> | TensorLike, size: number): Tensor<D> {
  const fn = 'km.bincount()';
  const { ids, w } = bincountInputs(fn, x, weights, size);
  const out = countInto(typedArray(w.dtype as D, size), ids, w.size === 0 ? null : hostValues(fn, w), 0, ids.length, 0, size, false);
  return new Tensor(out, [size], w.dtype as D);
}

/**
 * As {@link bincount} for an `x` of rank 1, and per row for one of rank 2 (result [rows, size]),
 * as `tf.denseBincount(x, weights, size, binaryOutput)`; with `binaryOutput` each bin holds 1
 * where its index occurs and 0 elsewhere. tfjs' CPU backend ignores `binaryOutput` for an x of
 * rank 1 (a departure from TensorFlow); kerasm honours it. No gradient (tfjs has none).
 * @example `km.denseBincount(km.tensor([[1, 1], [0, 3]], undefined, 'int32'), [], 4, true)` (values [[0, 1, 0, 0], [1, 0, 0, 1]])
 */
export function denseBincount<D extends DType>(x: Tensor | TensorLike, weights: Tensor<D> | TensorLike, size: number, binaryOutput = false): Tensor<D> {
  const fn = 'km.denseBincount()';
  const { t, ids, w } = bincountInputs(fn, x, weights, size);
  if (t.rank !== 1 && t.rank !== 2) throw new Error(`${fn} takes an x of rank 1 (one set of bins) or 2 (bins per row). Received: x.shape=[${t.shape.join(', ')}]; use km.bincount for any shape, or reshape x.`);
  const rows = t.rank === 1 ? 1 : t.shape[0];
  const columns = rows === 0 ? 0 : ids.length / rows;
  const vw = w.size === 0 ? null : hostValues(fn, w);
  const out = typedArray(w.dtype as D, rows * size);
  for (let r = 0; r < rows; r++) countInto(out, ids, vw, r * columns, (r + 1) * columns, r * size, size, binaryOutput);
  return new Tensor(out, t.rank === 1 ? [size] : [rows, size], w.dtype as D);
}

/** Adds the weights (or 1s) of ids[from..to) below `size` into `out` from `offset`; binary bins hold 1. */
function countInto<D extends DType>(out: TypedArrayFor<D>, ids: Int32Array, weights: TypedArrayFor<DType> | null, from: number, to: number, offset: number, size: number, binary: boolean): TypedArrayFor<D> {
  for (let i = from; i < to; i++) {
    const id = ids[i];
    if (id >= size) continue;
    out[offset + id] = binary ? 1 : out[offset + id] + (weights === null ? 1 : weights[i]);
  }
  return out;
}
