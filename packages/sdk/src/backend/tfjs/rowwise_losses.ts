import type * as tfc from '@tensorflow/tfjs-core';
import type { RowwiseLossKind } from '../backend.js';

type Tf = typeof tfc;
// Keras' l2_normalize floor on Σx².
const NORM_EPS = 1e-12;

/**
 * The row-wise losses as tfjs ops on [rows, cols] matrices: [per-row loss, dLoss/dp], the same
 * formulas as core-wasm's `rowwiseLoss` kernel.
 */
export function rowwiseLossTerms(tf: Tf, kind: RowwiseLossKind, y: tfc.Tensor2D, t: tfc.Tensor2D): [tfc.Tensor, tfc.Tensor] {
  switch (kind) {
    case 'categoricalHinge': {
      const pos = tf.sum(tf.mul(t, y), 1);
      const candidates = tf.mul(tf.sub(1, t), y);
      const neg = tf.max(candidates, 1);
      const loss = tf.relu(tf.add(tf.sub(neg, pos), 1));
      const active = tf.reshape(tf.cast(tf.greater(loss, 0), 'float32'), [-1, 1]);
      const atMax = tf.cast(tf.oneHot(tf.argMax(candidates, 1), y.shape[1]), 'float32');
      const grad = tf.mul(active, tf.add(tf.neg(t), tf.mul(atMax, tf.sub(1, t))));
      return [loss, grad];
    }
    case 'cosineSimilarity': {
      const pp = tf.sum(tf.square(y), 1, true);
      const clamped = tf.lessEqual(pp, NORM_EPS);
      const pNorm = tf.sqrt(tf.maximum(pp, NORM_EPS));
      const a = tf.div(t, tf.sqrt(tf.maximum(tf.sum(tf.square(t), 1, true), NORM_EPS)));
      const cosine = tf.div(tf.sum(tf.mul(a, y), 1, true), pNorm);
      const direct = tf.div(tf.neg(a), pNorm);
      const grad = tf.where(tf.broadcastTo(clamped, y.shape), direct, tf.add(direct, tf.div(tf.mul(cosine, y), tf.square(pNorm))));
      return [tf.neg(tf.reshape(cosine, [-1])), grad];
    }
  }
}
