import type * as tfc from '@tensorflow/tfjs-core';
import { hash24 } from './window_ops.js';

type Tf = typeof tfc;

/** core-wasm's normalNoise on the host: Box-Muller over the dropout hash of counters 2i and 2i + 1. */
export function normalNoiseValues(n: number, mean: number, stddev: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u1 = (hash24(seed, 2 * i) + 1) / 16777216;
    const u2 = hash24(seed, 2 * i + 1) / 16777216;
    out[i] = mean + stddev * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  return out;
}

/** core-wasm's routeToFirstMatch as tfjs ops: the gradient where x equals y, and what stays pending. */
export function routeToFirstMatchTensors(tf: Tf, x: tfc.Tensor, y: tfc.Tensor, pending: tfc.Tensor): { dx: tfc.Tensor; pending: tfc.Tensor } {
  const hit = tf.equal(x, y);
  const zeros = tf.zerosLike(pending);
  return { dx: tf.where(hit, pending, zeros), pending: tf.where(hit, zeros, pending) };
}
