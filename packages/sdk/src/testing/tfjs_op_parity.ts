// Random tensors made twice, as a km.Tensor and a tfjs-core tensor of the same values, and the checks
// that a kerasm op's result, and its gradients, equal tfjs-core's (CPU backend): shape, dtype and
// every value. Gradient checks need tfjs' gradients registered
// (`import '@tensorflow/tfjs-core/dist/register_all_gradients'` in the test file).
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { valueAndGrads } from '../ops/gradients.js';
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

/** As {@link expectSameAsTfjs} for an op tfjs gives as a bool tensor and kerasm as int32 1s and 0s. */
export function expectSameAsTfjsBool(ours: Tensor, theirs: tf.Tensor, what: string): void {
  const theirDtype = theirs.dtype === 'bool' ? 'int32' : `${theirs.dtype}, not bool`;
  expect({ what, shape: [...ours.shape], dtype: ours.dtype }).toEqual({ what, shape: theirs.shape, dtype: theirDtype });
  expect(Array.from(ours.dataSync()), what).toEqual(Array.from(theirs.dataSync()));
  theirs.dispose();
}

/** A reduction's axis argument: null, one axis (maybe negative), or a list of distinct axes in any order. */
export function randomAxis(rng: Random, rank: number): number | number[] | null {
  const choice = rng.next();
  if (rank === 0 || choice < 0.2) return null;
  const axis = (a: number) => (rng.next() < 0.5 ? a - rank : a);
  if (choice < 0.6) return axis(Math.floor(rng.next() * rank));
  const axes = Array.from({ length: rank }, (_, i) => i);
  rng.shuffle(axes);
  return axes.slice(0, 1 + Math.floor(rng.next() * rank)).map(axis);
}

/** An operand shape that broadcasts to `out`: leading axes dropped, some axes of size 1. */
export function broadcastableShape(rng: Random, out: readonly number[]): number[] {
  return out.slice(Math.floor(rng.next() * (out.length + 1))).map((d) => (rng.next() < 0.3 ? 1 : d));
}

export function pick<T>(rng: Random, items: readonly T[]): T {
  return items[Math.floor(rng.next() * items.length)];
}

/** A function written twice, with kerasm's ops and with tfjs'. */
export interface Twin {
  km: (...xs: Tensor<'float32'>[]) => Tensor;
  tf: (...xs: tf.Tensor[]) => tf.Tensor;
}

/**
 * As {@link expectSameAsTfjs}, each value within `tolerance` times the largest |value| of tfjs'
 * result: for ops that sum in another order than tfjs' kernels (convolutions).
 */
export function expectCloseToTfjs(ours: Tensor, theirs: tf.Tensor, what: string, tolerance = 2e-5): void {
  expect({ what, shape: [...ours.shape], dtype: ours.dtype }).toEqual({ what, shape: theirs.shape, dtype: theirs.dtype });
  const [a, b] = [ours.dataSync(), theirs.dataSync()];
  const scale = Array.from(b).reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 1e-30);
  const first = Array.from(b).findIndex((v, i) => !(Object.is(a[i], v) || Math.abs(a[i] - v) <= tolerance * scale));
  expect(first < 0 ? 'close' : `${a[first]} against ${b[first]} at index ${first} (scale ${scale})`, what).toBe('close');
  theirs.dispose();
}

/**
 * The gradients of both versions of `f` at `args` with a random dy, compared, and the values too,
 * by `compare` (to the bit by default).
 */
export function expectSameGradients(rng: Random, f: Twin, args: readonly Pair[], what: string, compare = expectSameAsTfjs): void {
  const y = f.tf(...args.map((a) => a.tf));
  const dy = randomPair(rng, y.shape, 'float32', 2);
  y.dispose();
  const ours = valueAndGrads(f.km)(args.map((a) => a.km), dy.km);
  const theirs = tf.valueAndGrads(f.tf)(args.map((a) => a.tf), dy.tf);
  compare(ours.value, theirs.value, `${what}: value`);
  ours.grads.forEach((g, i) => compare(g, theirs.grads[i], `${what}: gradient ${i}`));
}

/** Float32 values in [low, high), some of them repeated so that comparisons tie. */
export function uniformPair(rng: Random, shape: readonly number[], low: number, high: number): Pair {
  const size = shape.reduce((a, b) => a * b, 1);
  return pairOf(Float32Array.from({ length: size }, () => (rng.next() < 0.2 ? Math.round(rng.uniform(low, high)) : rng.uniform(low, high))), shape);
}
