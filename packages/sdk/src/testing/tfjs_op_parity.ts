// Random tensors made twice, as a km.Tensor and a tfjs-core tensor of the same values, and the check
// that a kerasm op's result equals tfjs-core's (CPU backend): shape, dtype and every value.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { Tensor, type DType } from '../tensor.js';
import { Random } from '../utils/random.js';

export interface Pair {
  km: Tensor;
  tf: tf.Tensor;
}

/** A shape of `rank` axes of sizes 1 to `maxDim` (1s are common, for broadcasting and squeeze). */
export function randomShape(rng: Random, rank: number, maxDim = 4): number[] {
  return Array.from({ length: rank }, () => 1 + Math.floor(rng.next() * maxDim));
}

/** float32 values from a normal draw, or int32 ones in [-range, range] (small ranges give ties). */
export function randomPair(rng: Random, shape: readonly number[], dtype: DType, range = 5): Pair {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = dtype === 'int32'
    ? Int32Array.from({ length: size }, () => Math.floor(rng.uniform(-range, range + 1)))
    : Float32Array.from({ length: size }, () => rng.normal() * range);
  return pairOf(values, shape);
}

export function pairOf(values: Float32Array | Int32Array, shape: readonly number[]): Pair {
  const dtype = values instanceof Int32Array ? 'int32' : 'float32';
  return { km: new Tensor(values.slice(), shape, dtype), tf: tf.tensor(values.slice(), [...shape], dtype) };
}

export function expectSameAsTfjs(ours: Tensor, theirs: tf.Tensor, what: string): void {
  expect({ what, shape: [...ours.shape], dtype: ours.dtype }).toEqual({ what, shape: theirs.shape, dtype: theirs.dtype });
  expect(Array.from(ours.dataSync()), what).toEqual(Array.from(theirs.dataSync()));
  theirs.dispose();
}

export function pick<T>(rng: Random, items: readonly T[]): T {
  return items[Math.floor(rng.next() * items.length)];
}
