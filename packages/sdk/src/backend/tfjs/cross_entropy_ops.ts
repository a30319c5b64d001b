import type * as tfc from '@tensorflow/tfjs-core';

type Tf = typeof tfc;
const EPS = 1e-7;

/**
 * Keras 3's categorical cross-entropy on probabilities, the same formula as core-wasm's
 * `categoricalCrossEntropy`: each row of `p` is divided by its sum, clipped to [ε, 1 − ε], and
 * −Σ t·log q taken. Returns [per-row loss, dLoss/dp]. With u = dL/dq (0 where q was clipped, as
 * clipByValue has no slope there), dL/dp_k = (u_k − Σ_i u_i·q_i) / Σp. Rows whose `weights` are 0
 * (masked) are divided by 1 instead of their sum, so a row of zeros there gives 0, not NaN.
 */
export function crossEntropyTerms(tf: Tf, p: tfc.Tensor2D, t: tfc.Tensor2D, weights: tfc.Tensor | null): [tfc.Tensor, tfc.Tensor] {
  const rowSum = tf.sum(p, 1, true);
  const sum = weights ? tf.where(tf.equal(tf.reshape(weights, [-1, 1]), 0), tf.onesLike(rowSum), rowSum) : rowSum;
  const q = tf.div(p, sum);
  const clipped = tf.clipByValue(q, EPS, 1 - EPS);
  const loss = tf.neg(tf.sum(tf.mul(t, tf.log(clipped)), 1));
  const inside = tf.logicalAnd(tf.greater(q, EPS), tf.less(q, 1 - EPS));
  const u = tf.where(inside, tf.neg(tf.div(t, q)), tf.zerosLike(q));
  const grad = tf.div(tf.sub(u, tf.sum(tf.mul(u, q), 1, true)), sum);
  return [loss, grad];
}
