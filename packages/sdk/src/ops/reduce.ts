// tfjs' reductions (max, min, sum, mean, argMax, argMin) with its defaults, result dtypes and
// float32 rounding: the reduced axes are moved innermost, in their order, and each output value
// folds one contiguous run, as tfjs' CPU kernels do, so sums match tfjs' to the bit.
import { Tensor, type DType, type TensorLike, type TypedArrayFor } from '../tensor.js';
import { parseAxes, parseAxis } from './axes.js';
import { broadcastOffsets } from './binary.js';
import { hostValues, operand, typedArray } from './operand.js';
import { record, taping } from './tape.js';
import { transposeValues } from './transpose.js';

/** Axes to reduce: one, a list, or none (null, the default) for all of them. */
export type ReduceAxis = number | readonly number[] | null;

/** A tensor's values with the reduced axes moved innermost, so that each output folds one run. */
export interface Runs<D extends DType> {
  /** The values, each output's run of `length` values contiguous. */
  values: TypedArrayFor<D>;
  length: number;
  count: number;
  shape: number[];
  /** The input axis at each axis of `values` (the kept axes, then the reduced ones in their order). */
  perm: number[];
}

/** {@link Runs} of `t` for a reduction over `axes`; `shape` is the result's. */
export function runs<D extends DType>(fn: string, t: Tensor<D>, axes: readonly number[], keepDims: boolean): Runs<D> {
  const kept = t.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...kept, ...axes];
  const values = hostValues(fn, t);
  const moved = perm.every((p, i) => p === i) ? values : transposeValues(values, t.shape, perm, t.dtype);
  const length = axes.reduce((n, a) => n * t.shape[a], 1);
  const shape = keepDims ? t.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : kept.map((i) => t.shape[i]);
  return { values: moved, length, count: kept.reduce((n, i) => n * t.shape[i], 1), shape, perm };
}

/**
 * How an output's cotangent `dy` reaches the values folded into it: `spread` gives every value of a
 * run the same one (sum, mean: `length` values fold into each output); `select` gives each value
 * its own from its value `x` and its output's `y` (max, min).
 */
type ReduceCotangent =
  | { readonly spread: (dy: number, length: number) => number }
  | { readonly select: (dy: number, x: number, y: number) => number };

function reduce<D extends DType, R extends DType>(fn: string, x: Tensor<D> | TensorLike, axis: ReduceAxis | undefined, keepDims: boolean, dtype: R | null, fold: (run: TypedArrayFor<D>) => number, cotangent: ReduceCotangent | null = null): Tensor<R> {
  const t = operand<D>(fn, 'x', x);
  const axes = parseAxes(fn, axis, t.shape);
  const r = runs(fn, t, axes, keepDims);
  const outDtype = (dtype ?? t.dtype) as R;
  const out = typedArray(outDtype, r.count);
  for (let i = 0; i < r.count; i++) out[i] = fold(r.values.subarray(i * r.length, (i + 1) * r.length) as TypedArrayFor<D>);
  const result = new Tensor(out, r.shape, outDtype);
  if (cotangent && taping()) {
    const values = 'select' in cotangent ? hostValues(fn, t) : null;
    record(result, [t], (dy) => {
      // Each input value's output, as tfjs broadcasts dy back over the reduced axes; when those are
      // the innermost ones (a mean over the last axis), each output's values are one contiguous run.
      const innermost = axes.every((a) => a >= t.rank - axes.length);
      const at = innermost ? null : broadcastOffsets(t.shape.map((d, i) => (axes.includes(i) ? 1 : d)), t.shape);
      const length = r.length;
      const g = new Float32Array(t.size);
      if ('spread' in cotangent) {
        const perOutput = Float32Array.from(dy, (d) => cotangent.spread(d, length));
        if (at) for (let i = 0; i < g.length; i++) g[i] = perOutput[at[i]];
        else for (let o = 0; o < perOutput.length; o++) g.fill(perOutput[o], o * length, (o + 1) * length);
      } else {
        for (let i = 0; i < g.length; i++) {
          const o = at ? at[i] : Math.floor(i / length);
          g[i] = cotangent.select(dy[o], values![i], out[o]);
        }
      }
      return [g];
    });
  }
  return result;
}

// NaN wins, as in tfjs: once the running extreme is NaN, no comparison replaces it.
const largest = (run: ArrayLike<number>): number => {
  let m = run[0];
  for (let j = 0; j < run.length; j++) if (Number.isNaN(run[j]) || run[j] > m) m = run[j];
  return m;
};
// tfjs sends dy to every value equal to the extreme (ties all get it; none when it is NaN).
const toExtremes: ReduceCotangent = { select: (dy, x, y) => dy * (x === y ? 1 : 0) };
const smallest = (run: ArrayLike<number>): number => {
  let m = run[0];
  for (let j = 0; j < run.length; j++) if (Number.isNaN(run[j]) || run[j] < m) m = run[j];
  return m;
};

/**
 * The largest value over `axis` (all axes by default), as `tf.max`; `keepDims` keeps the reduced
 * axes with size 1. NaN propagates.
 * @example `km.max(probs, -1)` (each row's highest probability)
 */
export function max<D extends DType>(x: Tensor<D> | TensorLike, axis: ReduceAxis = null, keepDims = false): Tensor<D> {
  return reduce<D, D>('km.max()', x, axis, keepDims, null, largest, toExtremes);
}

/** The smallest value over `axis` (all axes by default), as `tf.min`. @example `km.min(x, 0)` (each column's minimum) */
export function min<D extends DType>(x: Tensor<D> | TensorLike, axis: ReduceAxis = null, keepDims = false): Tensor<D> {
  return reduce<D, D>('km.min()', x, axis, keepDims, null, smallest, toExtremes);
}

/**
 * The sum over `axis` (all axes by default), as `tf.sum`; int32 stays int32 (wrapping on overflow, as in tfjs).
 * @example `km.sum(onehot, 0)` (the count of each class)
 */
export function sum<D extends DType>(x: Tensor<D> | TensorLike, axis: ReduceAxis = null, keepDims = false): Tensor<D> {
  return reduce<D, D>('km.sum()', x, axis, keepDims, null, (run) => {
    let s = 0;
    for (let j = 0; j < run.length; j++) s += run[j];
    return s;
  }, { spread: (dy) => dy });
}

/**
 * The mean over `axis` (all axes by default), as `tf.mean`: always float32, int32 input too.
 * @example
 * ```ts
 * const mean = x.mean(0);                   // per-feature means of [samples, features]
 * const centred = x.sub(mean);
 * ```
 */
export function mean(x: Tensor | TensorLike, axis: ReduceAxis = null, keepDims = false): Tensor<'float32'> {
  return reduce('km.mean()', x, axis, keepDims, 'float32', (run) => {
    // tfjs divides each float32 value by the count before summing.
    const n = Math.fround(run.length);
    let s = 0;
    for (let j = 0; j < run.length; j++) s += Math.fround(Math.fround(run[j]) / n);
    return s;
  }, { spread: (dy, length) => dy / length });
}

function argReduce(fn: string, x: Tensor | TensorLike, axis: number, better: (a: number, b: number) => boolean): Tensor<'int32'> {
  const t = operand(fn, 'x', x);
  return reduce(fn, t, [parseAxis(fn, axis, t.shape)], false, 'int32', (run) => {
    let best = 0;
    for (let j = 1; j < run.length; j++) if (better(run[j], run[best])) best = j;
    return best;
  });
}

/**
 * The index of the largest value along `axis` (default 0, as in tfjs; -1 for each row of a batch),
 * as `tf.argMax`: int32, the axis removed, the first index on ties.
 * @example
 * ```ts
 * const classes = model.predict(testXs).argMax(-1).dataSync();
 * ```
 */
export function argMax(x: Tensor | TensorLike, axis = 0): Tensor<'int32'> {
  return argReduce('km.argMax()', x, axis, (a, b) => a > b);
}

/** The index of the smallest value along `axis` (default 0), as `tf.argMin`. @example `km.argMin(distances, -1)` */
export function argMin(x: Tensor | TensorLike, axis = 0): Tensor<'int32'> {
  return argReduce('km.argMin()', x, axis, (a, b) => a < b);
}
