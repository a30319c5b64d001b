// tfjs' cumsum and cumprod: running sums and products along an axis, each step stored in the
// result's type as it is made, as tfjs' CPU kernels do.
import { Tensor, type DType, type TensorLike, type TypedArrayFor } from '../tensor.js';
import { parseAxis } from './axes.js';
import { hostValues, operand, typedArray } from './operand.js';
import { record, taping } from './tape.js';
import { transposeValues } from './transpose.js';

/** How a running op combines: `identity` starts an exclusive run, `combine(value, previous)` makes each step. */
interface Running {
  identity: number;
  combine: (value: number, previous: number) => number;
}

const SUM: Running = { identity: 0, combine: (v, previous) => v + previous };
const PRODUCT: Running = { identity: 1, combine: (v, previous) => v * previous };

/** The flat index of step `j` of the row starting at `row`, counted from the row's end when `reverse`. */
function stepIndex(row: number, width: number, j: number, reverse: boolean): number {
  return reverse ? row + width - 1 - j : row + j;
}

/** A running op along the last axis of rows of `width` values, each step stored in `out`'s type as it is made. */
function runningValues<D extends DType>(values: ArrayLike<number>, width: number, dtype: D, exclusive: boolean, reverse: boolean, op: Running): TypedArrayFor<D> {
  const out = typedArray(dtype, values.length);
  for (let row = 0; row < values.length; row += width) {
    const at = (j: number): number => stepIndex(row, width, j, reverse);
    for (let j = 0; j < width; j++) {
      if (j === 0) out[at(0)] = exclusive ? op.identity : values[at(0)];
      else out[at(j)] = op.combine(exclusive ? values[at(j - 1)] : values[at(j)], out[at(j - 1)]);
    }
  }
  return out;
}

/**
 * `f` applied to the values of an array of `shape` with axis `axis` moved last, then moved back;
 * `other`, float32 values of the same shape (cumprod's x in its backward), is moved too and given to `f`.
 */
function alongLastAxis<D extends DType>(values: TypedArrayFor<D>, shape: readonly number[], axis: number, dtype: D, f: (moved: TypedArrayFor<D>, width: number, movedOther: Float32Array) => TypedArrayFor<D>, other = new Float32Array(0)): TypedArrayFor<D> {
  const width = shape[axis];
  if (axis === shape.length - 1) return f(values, width, other);
  const perm = [...shape.keys()].filter((k) => k !== axis).concat(axis);
  const undo = perm.map((_, k) => perm.indexOf(k));
  const movedOther = other.length > 0 ? transposeValues(other, shape, perm, 'float32') : other;
  return transposeValues(f(transposeValues(values, shape, perm, dtype), width, movedOther), perm.map((p) => shape[p]), undo, dtype);
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
  const forward = (moved: TypedArrayFor<D>, width: number) => runningValues(moved, width, t.dtype, exclusive, reverse, SUM);
  const result = new Tensor(alongLastAxis(hostValues(fn, t), t.shape, at, t.dtype, forward), t.shape, t.dtype);
  if (taping()) {
    const backward = (moved: Float32Array, width: number) => runningValues(moved, width, 'float32', exclusive, !reverse, SUM);
    record(result, [t], (dy) => [alongLastAxis(dy, t.shape, at, 'float32', backward)]);
  }
  return result;
}

/**
 * The running product along `axis` (default 0), as `tf.cumprod`: `exclusive` leaves each value out
 * of its own product (the first is 1), `reverse` multiplies from the end. int32 stays int32 (large
 * products wrap, as in tfjs). A negative axis counts from the end (tfjs' CPU kernel mis-shapes the
 * result for one). tfjs has no gradient for it; kerasm's is exact, zeros included: for each x_k, the
 * sum over the products it is part of of dy times the product without it.
 * @example `km.cumprod(km.tensor([1, 2, 3]))` ([1, 2, 6]), `km.cumprod(growth, -1)` (compounded rates per row)
 */
export function cumprod<D extends DType>(x: Tensor<D> | TensorLike, axis = 0, exclusive = false, reverse = false): Tensor<D> {
  const fn = 'km.cumprod()';
  const t = operand<D>(fn, 'x', x);
  const at = parseAxis(fn, axis, t.shape);
  const values = hostValues(fn, t);
  const forward = (moved: TypedArrayFor<D>, width: number) => runningValues(moved, width, t.dtype, exclusive, reverse, PRODUCT);
  const result = new Tensor(alongLastAxis(values, t.shape, at, t.dtype, forward), t.shape, t.dtype);
  if (taping()) {
    const backward = (movedDy: Float32Array, width: number, movedX: Float32Array) => cumprodCotangent(movedX, movedDy, width, exclusive, reverse);
    record(result, [t], (dy) => [alongLastAxis(dy, t.shape, at, 'float32', backward, Float32Array.from(values))]);
  }
  return result;
}

/**
 * The cotangent of cumprod's input, without dividing by x (so zeros are fine), in double: with P_k the
 * product of the x before step k, and S_k the sum over the outputs j that x_k is part of (j >= k, or
 * j > k when exclusive) of dy_j times the x after k in y_j's product, dx_k = P_k · S_k; S is found
 * from the row's end by Horner's rule.
 */
function cumprodCotangent(x: Float32Array, dy: Float32Array, width: number, exclusive: boolean, reverse: boolean): Float32Array {
  const out = new Float32Array(x.length);
  const tail = new Float64Array(width);
  for (let row = 0; row < x.length; row += width) {
    const at = (j: number): number => stepIndex(row, width, j, reverse);
    for (let k = width - 1; k >= 0; k--) {
      const later = k + 1 < width ? x[at(k + 1)] * tail[k + 1] : 0;
      tail[k] = exclusive ? (k + 1 < width ? dy[at(k + 1)] : 0) + later : dy[at(k)] + later;
    }
    let before = 1;
    for (let k = 0; k < width; k++) {
      out[at(k)] = before * tail[k];
      before *= x[at(k)];
    }
  }
  return out;
}
