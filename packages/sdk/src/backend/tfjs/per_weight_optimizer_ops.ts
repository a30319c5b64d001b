import type * as tfc from '@tensorflow/tfjs-core';
import { movingMean } from './optimizer_rule_ops.js';

type Tf = typeof tfc;

/** Keras 3's Lamb step on one weight as tfjs ops: returns [params, m, v] after it. */
export function lambTensors(tf: Tf, p: tfc.Tensor, g: tfc.Tensor, m0: tfc.Tensor, v0: tfc.Tensor, lr: number, beta1: number, beta2: number, epsilon: number, bias1: number, bias2: number): tfc.Tensor[] {
  const m1 = movingMean(tf, m0, g, beta1);
  const v1 = movingMean(tf, v0, tf.square(g), beta2);
  const u = tf.div(tf.div(m1, bias1), tf.add(tf.sqrt(tf.div(v1, bias2)), epsilon));
  const wNorm = tf.sqrt(tf.sum(tf.square(p)));
  const uNorm = tf.sqrt(tf.sum(tf.square(u)));
  // Keras' ratio is 1 when either norm is 0 (a zero-initialised bias, a zero update).
  const ratio = tf.where(tf.logicalAnd(tf.greater(wNorm, 0), tf.greater(uNorm, 0)), tf.div(wNorm, uNorm), tf.onesLike(wNorm));
  return [tf.sub(p, tf.mul(u, tf.mul(ratio, lr))), m1, v1];
}

/** The factored layout of one weight for Adafactor: batches × rows × cols. */
export interface FactoredShape { batches: number; rows: number; cols: number }

const rms = (tf: Tf, x: tfc.Tensor) => tf.sqrt(tf.mean(tf.square(x)));

/**
 * Keras 3's Adafactor step on one weight as tfjs ops. With `factored` the state is [r, c, v]
 * (row means, column means, the rank-one v), else [v]; returns params, then the state, after it.
 */
export function adafactorTensors(
  tf: Tf, p: tfc.Tensor, g: tfc.Tensor, state: tfc.Tensor[], factored: FactoredShape | null,
  rho: number, beta: number, epsilon1: number, epsilon2: number, clipThreshold: number,
): tfc.Tensor[] {
  const alpha = tf.mul(tf.maximum(rms(tf, p), epsilon2), rho);
  const squares = tf.add(tf.square(g), epsilon1);
  let next: tfc.Tensor[];
  if (factored) {
    const { batches, rows, cols } = factored;
    const [r0, c0] = state;
    const cube = tf.reshape(squares, [batches, rows, cols]);
    const r1 = tf.add(tf.mul(r0, beta), tf.mul(tf.reshape(tf.mean(cube, 2), [-1]), 1 - beta));
    const c1 = tf.add(tf.mul(c0, beta), tf.mul(tf.reshape(tf.mean(cube, 1), [-1]), 1 - beta));
    const rMatrix = tf.reshape(r1, [batches, rows, 1]);
    const rowFactor = tf.div(rMatrix, tf.mean(rMatrix, 1, true));
    next = [r1, c1, tf.reshape(tf.mul(rowFactor, tf.reshape(c1, [batches, 1, cols])), [-1])];
  } else {
    next = [tf.add(tf.mul(state[0], beta), tf.mul(squares, 1 - beta))];
  }
  const u = tf.div(g, tf.sqrt(next[next.length - 1]));
  const scale = tf.div(alpha, tf.maximum(tf.div(rms(tf, u), clipThreshold), 1));
  return [tf.sub(p, tf.mul(u, scale)), ...next];
}
