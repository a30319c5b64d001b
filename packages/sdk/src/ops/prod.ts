// tfjs' prod: the product over axes, each in double and rounded once, as tfjs' CPU kernel folds it.
import { Tensor, type DType, type TensorLike } from '../tensor.js';
import { parseAxes } from './axes.js';
import { operand, typedArray } from './operand.js';
import { runs, type ReduceAxis } from './reduce.js';
import { record, taping } from './tape.js';
import { transposeValues } from './transpose.js';

/**
 * The product over `axis` (all axes by default), as `tf.prod`; `keepDims` keeps the reduced axes
 * with size 1; int32 stays int32 (wrapping on overflow, as in tfjs). Its gradient is, for each
 * value, dy times the product of the others in its run (right at zeros too), as tfjs' (the
 * exclusive products from each end, each step rounded to float32).
 * @example `km.prod(km.tensor([2, 3, 4]))` (24), `km.prod(x, -1)` (each row's product)
 */
export function prod<D extends DType>(x: Tensor<D> | TensorLike, axis: ReduceAxis = null, keepDims = false): Tensor<D> {
  const fn = 'km.prod()';
  const t = operand<D>(fn, 'x', x);
  const r = runs(fn, t, parseAxes(fn, axis, t.shape), keepDims);
  const out = typedArray(t.dtype, r.count);
  for (let i = 0; i < r.count; i++) {
    let p = 1;
    for (let j = i * r.length; j < (i + 1) * r.length; j++) p *= r.values[j];
    out[i] = p;
  }
  const result = new Tensor(out, r.shape, t.dtype);
  if (taping()) {
    record(result, [t], (dy) => {
      const moved = new Float32Array(r.values.length);
      const before = new Float32Array(r.length);
      for (let i = 0; i < r.count; i++) {
        const at = i * r.length;
        // The product of the values before each one, then (from the end) of those after it, each step stored as float32.
        for (let j = 0; j < r.length; j++) before[j] = j === 0 ? 1 : r.values[at + j - 1] * before[j - 1];
        let after = 1;
        for (let j = r.length - 1; j >= 0; j--) {
          moved[at + j] = dy[i] * Math.fround(before[j] * after);
          after = Math.fround(r.values[at + j] * after);
        }
      }
      const movedShape = r.perm.map((p) => t.shape[p]);
      const undo = r.perm.map((_, k) => r.perm.indexOf(k));
      return [transposeValues(moved, movedShape, undo, 'float32')];
    });
  }
  return result;
}
