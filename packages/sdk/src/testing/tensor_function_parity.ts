// The check that a km.metrics / km.losses function of tensors gives tfjs' result: the same shape and
// dtype, and values equal to the bit (NaN to NaN, −0 to −0) or, where `tolerance` is given, within
// it relatively; and random tensors made as both a km.Tensor and a tfjs-core tensor.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { Tensor, type DType } from '../tensor.js';
import { Random } from '../utils/random.js';
import { pairOf, type Pair } from './tfjs_op_parity.js';

export function expectTfjsValue(ours: Tensor, theirs: tf.Tensor, what: string, tolerance = 0): void {
  expect({ what, shape: [...ours.shape], dtype: ours.dtype }).toEqual({ what, shape: theirs.shape, dtype: theirs.dtype });
  const [a, b] = [Array.from(ours.dataSync()), Array.from(theirs.dataSync())];
  theirs.dispose();
  if (tolerance === 0) return void expect(a, what).toEqual(b);
  a.forEach((v, i) => {
    if (Number.isNaN(b[i]) || !Number.isFinite(b[i])) expect(v, `${what} [${i}]`).toBe(b[i]);
    else expect(Math.abs(v - b[i]), `${what} [${i}]: ${v} vs ${b[i]}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(b[i])));
  });
}

/** A shape of `rank` axes of sizes 1 to `maxDim`. */
export function shapeOf(rng: Random, rank: number, maxDim = 5): number[] {
  return Array.from({ length: rank }, () => 1 + Math.floor(rng.next() * maxDim));
}

/** A pair of tensors of `shape` holding `draw()`'s values as `dtype`. */
export function drawn(shape: readonly number[], dtype: DType, draw: () => number): Pair {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = dtype === 'int32' ? Int32Array.from({ length: size }, draw) : Float32Array.from({ length: size }, draw);
  return pairOf(values, shape);
}

/** One-hot rows along the last axis of `shape` (class drawn per row), as `dtype`. */
export function oneHot(rng: Random, shape: readonly number[], dtype: DType): Pair {
  const classes = shape[shape.length - 1];
  let hot = 0;
  let at = 0;
  return drawn(shape, dtype, () => {
    if (at % classes === 0) hot = Math.floor(rng.next() * classes);
    return at++ % classes === hot ? 1 : 0;
  });
}
