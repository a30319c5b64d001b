// tfjs' tile and pad: a tensor repeated along each axis, or surrounded by a constant, with their
// gradients (the repeats' cotangents added up; the padding's dropped).
import { Tensor, type DType, type TensorLike } from '../tensor.js';
import { rowMajorStrides, sliceValues } from '../tensor_slice.js';
import { hostValues, operand, typedArray } from './operand.js';
import { sourceOffsets } from './offsets.js';
import { record, taping } from './tape.js';

/**
 * `x` repeated `reps[i]` times along each axis i, as `tf.tile` (one rep per axis; 1 keeps an axis).
 * Its gradient adds up each repeat's cotangent, in float32 in the repeats' order, as tfjs' (which
 * stops at rank 4; kerasm's does not).
 * @example `km.tile(km.tensor([[1, 2]]), [3, 1])` (three copies of the row)
 */
export function tile<D extends DType>(x: Tensor<D> | TensorLike, reps: readonly number[]): Tensor<D> {
  const fn = 'km.tile()';
  const t = operand<D>(fn, 'x', x);
  if (!Array.isArray(reps) || reps.length !== t.rank || !reps.every((r) => Number.isInteger(r) && r >= 0)) {
    throw new Error(`${fn}: reps must list one non-negative integer per axis of x (rank ${t.rank}), e.g. [${t.shape.map(() => 1).join(', ')}] for no repeat. Received: reps=${JSON.stringify(reps)}, x.shape=[${t.shape.join(', ')}].`);
  }
  const shape = t.shape.map((d, i) => d * reps[i]);
  const strides = rowMajorStrides(shape);
  // Where each value of x lies in the first repeat, and where each repeat begins (row-major in the repeat index).
  const inTile = sourceOffsets(t.shape, strides);
  const tileStarts = sourceOffsets(reps, strides.map((s, i) => s * t.shape[i]));
  const values = hostValues(fn, t);
  const out = typedArray(t.dtype, shape.reduce((a, b) => a * b, 1));
  for (const start of tileStarts) for (let i = 0; i < inTile.length; i++) out[start + inTile[i]] = values[i];
  const result = new Tensor(out, shape, t.dtype);
  if (taping()) {
    record(result, [t], (dy) => {
      const g = new Float32Array(t.size);
      for (const start of tileStarts) for (let i = 0; i < g.length; i++) g[i] = Math.fround(g[i] + dy[start + inTile[i]]);
      return [g];
    });
  }
  return result;
}

/**
 * `x` with `paddings[i] = [before, after]` values of `constantValue` (default 0) added before and
 * after it along each axis i, as `tf.pad`; int32 stays int32 (a fractional constant truncating, as
 * in tfjs). Its gradient is dy's box where x lies, as tfjs'.
 * @example `km.pad(images, [[0, 0], [2, 2], [2, 2], [0, 0]])` (a 2-pixel border of zeros)
 */
export function pad<D extends DType>(x: Tensor<D> | TensorLike, paddings: readonly (readonly [number, number])[], constantValue = 0): Tensor<D> {
  const fn = 'km.pad()';
  const t = operand<D>(fn, 'x', x);
  if (t.rank === 0) throw new Error(`${fn} pads along axes, and a scalar has none. Reshape it first, e.g. t.reshape([1]).`);
  const valid = Array.isArray(paddings) && paddings.length === t.rank && paddings.every((p) => Array.isArray(p) && p.length === 2 && p.every((n) => Number.isInteger(n) && n >= 0));
  if (!valid) {
    throw new Error(`${fn}: paddings must hold one [before, after] pair of non-negative integers per axis of x (rank ${t.rank}), e.g. [${t.shape.map(() => '[0, 0]').join(', ')}]. Received: paddings=${JSON.stringify(paddings)}, x.shape=[${t.shape.join(', ')}].`);
  }
  if (typeof constantValue !== 'number') throw new Error(`${fn}: constantValue must be a number. Received: constantValue=${String(constantValue)}.`);
  const shape = t.shape.map((d, i) => paddings[i][0] + d + paddings[i][1]);
  const box = { begin: paddings.map((p) => p[0]), size: [...t.shape] };
  const strides = rowMajorStrides(shape);
  const origin = box.begin.reduce((n, b, i) => n + b * strides[i], 0);
  const at = sourceOffsets(t.shape, strides);
  const values = hostValues(fn, t);
  const out = typedArray(t.dtype, shape.reduce((a, b) => a * b, 1));
  out.fill(constantValue);
  for (let i = 0; i < at.length; i++) out[origin + at[i]] = values[i];
  const result = new Tensor(out, shape, t.dtype);
  if (taping()) record(result, [t], (dy) => [sliceValues(dy, shape, box)]);
  return result;
}
