// What tfjs' element-wise binary ops share: NumPy broadcasting, tfjs' dtype rule (int32 only when
// both operands are int32; a number is a float32 scalar), and, inside a gradient call, the
// cotangents of the operands summed back over the axes they were broadcast along.
import { Tensor, type DType, type TensorLike } from '../tensor.js';
import { rowMajorStrides } from '../tensor_slice.js';
import { sourceOffsets } from './offsets.js';
import { hostValues, operand, typedArray } from './operand.js';
import { record, taping } from './tape.js';

/** The shape two shapes broadcast to, NumPy's way: aligned from the last axis, a 1 stretches. */
export function broadcastShape(fn: string, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `${fn}: shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast: axis ${i - rank} has ${da} and ${db}, and sizes must be equal or 1. ` +
          `Reshape or expandDims one operand so that its axes line up from the last one, e.g. a [n] vector against [n, 1].`,
      );
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Offsets into a row-major array of `shape` for each element of `outShape`, repeating the broadcast axes; null when no repeat is needed. */
export function broadcastOffsets(shape: readonly number[], outShape: readonly number[]): Int32Array | null {
  if (shape.length === outShape.length && shape.every((d, i) => d === outShape[i])) return null;
  const strides = rowMajorStrides(shape);
  const lead = outShape.length - shape.length;
  return sourceOffsets(outShape, outShape.map((_, k) => (k < lead || shape[k - lead] === 1 ? 0 : strides[k - lead])));
}

/**
 * A cotangent over a broadcast output summed back to an operand of `shape`, as tfjs sums it (each
 * sum in double, in row-major order, rounded once to float32), so that results match to the bit.
 * `offsets` are {@link broadcastOffsets}'s; null returns `g` itself.
 */
export function sumToShape(g: Float32Array, offsets: Int32Array | null, shape: readonly number[]): Float32Array {
  if (offsets === null) return g;
  const sums = new Float64Array(shape.reduce((n, d) => n * d, 1));
  for (let i = 0; i < g.length; i++) sums[offsets[i]] += g[i];
  return Float32Array.from(sums);
}

/**
 * A cotangent over a broadcast output summed back to an operand of `shape` as tfjs' tile gradient
 * sums it (tf.where broadcasts its operands with tf.broadcastTo, a tile): one float32 addition per
 * repeat, in row-major order, from +0. `g` itself when nothing repeats, as tfjs then clones.
 */
export function sumTilesToShape(g: Float32Array, offsets: Int32Array | null, shape: readonly number[]): Float32Array {
  const size = shape.reduce((n, d) => n * d, 1);
  if (offsets === null || g.length === size) return g;
  const sums = new Float32Array(size);
  for (let i = 0; i < g.length; i++) sums[offsets[i]] += g[i];
  return sums;
}

/**
 * An operand's cotangent at one output element, from the output's cotangent `dy`, the operands'
 * values `a` and `b` and the output `y` there, written with tfjs' float32 roundings.
 */
export type ElementCotangent = (dy: number, a: number, b: number, y: number) => number;

/** The cotangents of an op with an int32 result: the tape never records one, so they are never asked for. */
export const NO_COTANGENTS: BinaryCotangents = { a: () => 0, b: () => 0 };

/** How a binary op's cotangent reaches each operand; `bAfterSum` finishes b's after the broadcast sum, as tf.div does. */
export interface BinaryCotangents {
  a: ElementCotangent;
  b: ElementCotangent;
  bAfterSum?: (g: number, b: number) => number;
}

/**
 * `op` applied element-wise with broadcasting (`intOp` when both operands are int32), recorded with
 * `cotangents` in a gradient call. The result is int32 when both operands are, unless `resultDtype`
 * fixes it (tf.floorDiv is always int32).
 */
export function binary(fn: string, a: Tensor | TensorLike, b: Tensor | TensorLike, op: (x: number, y: number) => number, cotangents: BinaryCotangents, intOp = op, resultDtype?: DType): Tensor {
  const ta = operand(fn, 'a', a);
  const tb = operand(fn, 'b', b);
  const dtype: DType = resultDtype ?? (ta.dtype === 'int32' && tb.dtype === 'int32' ? 'int32' : 'float32');
  const shape = broadcastShape(fn, ta.shape, tb.shape);
  const va = hostValues(fn, ta);
  const vb = hostValues(fn, tb);
  const ia = broadcastOffsets(ta.shape, shape);
  const ib = broadcastOffsets(tb.shape, shape);
  const f = dtype === 'int32' ? intOp : op;
  const out = typedArray(dtype, shape.reduce((n, d) => n * d, 1));
  for (let i = 0; i < out.length; i++) out[i] = f(va[ia ? ia[i] : i], vb[ib ? ib[i] : i]);
  const result = new Tensor(out, shape, dtype);
  if (taping()) {
    const elementwise = (cotangent: ElementCotangent, dy: Float32Array): Float32Array => {
      const g = new Float32Array(dy.length);
      for (let i = 0; i < g.length; i++) g[i] = cotangent(dy[i], va[ia ? ia[i] : i], vb[ib ? ib[i] : i], out[i]);
      return g;
    };
    record(result, [ta, tb], (dy, needed) => {
      const ga = needed[0] ? sumToShape(elementwise(cotangents.a, dy), ia, ta.shape) : null;
      const gb = needed[1] ? sumToShape(elementwise(cotangents.b, dy), ib, tb.shape) : null;
      const finish = cotangents.bAfterSum;
      if (gb && finish) for (let i = 0; i < gb.length; i++) gb[i] = finish(gb[i], vb[i]);
      return [ga, gb];
    });
  }
  return result;
}
