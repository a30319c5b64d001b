// tfjs' unique: the distinct slices of a tensor along an axis, in the order they first appear.
import { Tensor, type DType, type TensorLike } from '../tensor.js';
import { parseAxis } from './axes.js';
import { hostValues, operand, typedArray } from './operand.js';

/** What {@link unique} returns: the distinct slices, and for each slice of x the position of its value in them. */
export interface Unique<D extends DType> {
  values: Tensor<D>;
  indices: Tensor<'int32'>;
}

/**
 * The distinct slices of `x` along `axis` (default 0), in the order they first appear, as
 * `tf.unique(x, axis)`: `values` has x's shape with that axis shortened to the number of distinct
 * slices, and `indices` (int32, one per slice of x) where each slice's value is in `values`.
 * Values are told apart as tfjs does, by their text: NaNs are one value, and -0 is 0 (the first
 * one seen is kept). x must have rank 1 or more. No gradient (tfjs has none).
 * @example `km.unique([1, 1, 2, 4, 4, 4, 7, 8, 8])` (values [1, 2, 4, 7, 8], indices [0, 0, 1, 2, 2, 2, 3, 4, 4])
 */
export function unique<D extends DType>(x: Tensor<D> | TensorLike, axis = 0): Unique<D> {
  const fn = 'km.unique()';
  const t = operand<D>(fn, 'x', x);
  if (t.rank < 1) throw new Error(`${fn} takes a tensor of rank 1 or more (a scalar is its own unique value). Received: x.shape=[], a scalar; use km.reshape(x, [1]).`);
  const at = parseAxis(fn, axis, t.shape);
  const outer = t.shape.slice(0, at).reduce((n, d) => n * d, 1);
  const dim = t.shape[at];
  const inner = t.shape.slice(at + 1).reduce((n, d) => n * d, 1);
  const values = hostValues(fn, t);
  const sliceAt = (i: number): number[] => {
    const slice: number[] = [];
    for (let o = 0; o < outer; o++) for (let n = 0; n < inner; n++) slice.push(values[(o * dim + i) * inner + n]);
    return slice;
  };
  const seen = new Map<string, number>();
  const firsts: number[] = [];
  const indices = new Int32Array(dim);
  for (let i = 0; i < dim; i++) {
    const key = sliceAt(i).join(',');
    let position = seen.get(key);
    if (position === undefined) {
      position = firsts.push(i) - 1;
      seen.set(key, position);
    }
    indices[i] = position;
  }
  const out = typedArray(t.dtype, outer * firsts.length * inner);
  firsts.forEach((first, u) => {
    for (let o = 0; o < outer; o++) out.set(values.subarray((o * dim + first) * inner, (o * dim + first + 1) * inner), (o * firsts.length + u) * inner);
  });
  const shape = [...t.shape];
  shape[at] = firsts.length;
  return { values: new Tensor(out, shape, t.dtype), indices: new Tensor(indices, [dim], 'int32') };
}
