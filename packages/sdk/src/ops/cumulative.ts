// tfjs' cumsum: running sums along an axis, each step stored as float32, as tfjs' CPU kernel does.
import { Tensor, type DType, type TensorLike, type TypedArrayFor } from '../tensor.js';
import { parseAxis } from './axes.js';
import { hostValues, operand, typedArray } from './operand.js';
import { record, taping } from './tape.js';
import { transposeValues } from './transpose.js';

/** Running sums along the last axis of rows of `width` values, each stored in `out`'s type as it is made. */
function runningSums<D extends DType>(values: ArrayLike<number>, width: number, dtype: D, exclusive: boolean, reverse: boolean): TypedArrayFor<D> {
  const out = typedArray(dtype, values.length);
  for (let row = 0; row < values.length; row += width) {
    const at = (j: number): number => (reverse ? row + width - 1 - j : row + j);
    for (let j = 0; j < width; j++) {
      if (j === 0) out[at(0)] = exclusive ? 0 : values[at(0)];
      else out[at(j)] = (exclusive ? values[at(j - 1)] : values[at(j)]) + out[at(j - 1)];
    }
  }
  return out;
}

/** `f` applied to the values of an array of `shape` with axis `axis` moved last, then moved back. */
function alongLastAxis<D extends DType>(values: TypedArrayFor<D>, shape: readonly number[], axis: number, dtype: D, f: (moved: TypedArrayFor<D>, width: number) => TypedArrayFor<D>): TypedArrayFor<D> {
  const width = shape[axis];
  if (axis === shape.length - 1) return f(values, width);
  const perm = [...shape.keys()].filter((k) => k !== axis).concat(axis);
  const undo = perm.map((_, k) => perm.indexOf(k));
  return transposeValues(f(transposeValues(values, shape, perm, dtype), width), perm.map((p) => shape[p]), undo, dtype);
}

/**
 * The running sum along `axis` (default 0), as `tf.cumsum`: `exclusive` leaves each value out of
 * its own sum (the first is 0), `reverse` sums from the end. int32 stays int32. Its gradient is the
 * running sum of dy the other way; tfjs' is wrong for an axis other than the last (it transposes the
 * result), and kerasm's is right there.
 * @example `km.cumsum(km.tensor([1, 2, 3]))` ([1, 3, 6]), `km.cumsum(x, -1, true)` ([0, 1, 3] per row)
 */
export function cumsum<D extends DType>(x: Tensor<D> | TensorLike, axis = 0, exclusive = false, reverse = false): Tensor<D> {
  const fn = 'km.cumsum()';
  const t = operand<D>(fn, 'x', x);
  const at = parseAxis(fn, axis, t.shape);
  const forward = (moved: TypedArrayFor<D>, width: number) => runningSums(moved, width, t.dtype, exclusive, reverse);
  const result = new Tensor(alongLastAxis(hostValues(fn, t), t.shape, at, t.dtype, forward), t.shape, t.dtype);
  if (taping()) {
    const backward = (moved: Float32Array, width: number) => runningSums(moved, width, 'float32', exclusive, !reverse);
    record(result, [t], (dy) => [alongLastAxis(dy, t.shape, at, 'float32', backward)]);
  }
  return result;
}
