import type * as tfc from '@tensorflow/tfjs-core';
import type { BinaryFocalOptions, CategoricalFocalOptions, OverlapCoefficients } from '../backend.js';

type Tf = typeof tfc;
const EPS = 1e-7;

// Keras 3's focal and overlap losses as tfjs ops, the same formulas as core-wasm's focal_losses.ts:
// each returns [loss terms, dLoss/dInput].

/** γ·base^(γ−1), 0 where base is 0 and γ < 1 (as the wasm kernel: an infinite slope there). */
function powSlope(tf: Tf, base: tfc.Tensor, gamma: number): tfc.Tensor {
  if (gamma === 0) return tf.zerosLike(base);
  return tf.where(tf.greater(base, 0), tf.mul(tf.pow(base, gamma - 1), gamma), tf.fill(base.shape, gamma === 1 ? 1 : 0));
}

/** Element-wise terms of the binary focal cross-entropy and their gradient. */
export function binaryFocalTerms(tf: Tf, y: tfc.Tensor, target: tfc.Tensor, o: BinaryFocalOptions): [tfc.Tensor, tfc.Tensor] {
  const t = tf.add(tf.mul(target, 1 - o.labelSmoothing), 0.5 * o.labelSmoothing);
  const oneMinusT = tf.sub(1, t);
  let bce: tfc.Tensor, dBce: tfc.Tensor, miss: tfc.Tensor, dMiss: tfc.Tensor;
  if (o.fromLogits) {
    const [sig, sigNeg] = [tf.sigmoid(y), tf.sigmoid(tf.neg(y))];
    bce = tf.add(tf.sub(tf.relu(y), tf.mul(y, t)), tf.log1p(tf.exp(tf.neg(tf.abs(y)))));
    dBce = tf.sub(sig, t);
    miss = tf.add(tf.mul(t, sigNeg), tf.mul(oneMinusT, sig));
    dMiss = tf.mul(tf.sub(1, tf.mul(t, 2)), tf.mul(sig, sigNeg));
  } else {
    const pc = tf.clipByValue(y, EPS, 1 - EPS);
    bce = tf.neg(tf.add(tf.mul(t, tf.log(pc)), tf.mul(oneMinusT, tf.log(tf.sub(1, pc)))));
    const inside = tf.logicalAnd(tf.greater(y, EPS), tf.less(y, 1 - EPS));
    dBce = tf.where(inside, tf.div(tf.sub(pc, t), tf.mul(pc, tf.sub(1, pc))), tf.zerosLike(y));
    miss = tf.add(tf.mul(t, tf.sub(1, y)), tf.mul(oneMinusT, y));
    dMiss = tf.sub(1, tf.mul(t, 2));
  }
  miss = tf.relu(miss);
  const focal = tf.pow(miss, o.gamma);
  const balance = o.applyClassBalancing ? tf.add(tf.mul(t, o.alpha), tf.mul(oneMinusT, 1 - o.alpha)) : tf.onesLike(y);
  const grad = tf.mul(balance, tf.add(tf.mul(tf.mul(powSlope(tf, miss, o.gamma), dMiss), bce), tf.mul(focal, dBce)));
  return [tf.mul(balance, tf.mul(focal, bce)), grad];
}

/**
 * Per-row categorical focal cross-entropy on [rows, cols] (`y` logits when `fromLogits`), its
 * gradient, and the softmax probabilities when from logits.
 */
export function categoricalFocalTerms(tf: Tf, y: tfc.Tensor2D, target: tfc.Tensor2D, o: CategoricalFocalOptions): [tfc.Tensor, tfc.Tensor, tfc.Tensor | null] {
  const cols = y.shape[1];
  const src = o.fromLogits ? tf.softmax(y) : y;
  const sum = tf.sum(src, 1, true);
  const q = tf.div(src, sum);
  const qc = tf.clipByValue(q, EPS, 1 - EPS);
  const t = tf.add(tf.mul(target, 1 - o.labelSmoothing), o.labelSmoothing / cols);
  const logq = tf.log(qc);
  const focal = tf.pow(tf.sub(1, qc), o.gamma);
  const loss = tf.mul(tf.sum(tf.mul(tf.mul(t, focal), logq), 1), -o.alpha);
  const inside = tf.logicalAnd(tf.greater(q, EPS), tf.less(q, 1 - EPS));
  const u = tf.where(inside, tf.mul(tf.mul(t, o.alpha), tf.sub(tf.mul(powSlope(tf, tf.sub(1, qc), o.gamma), logq), tf.div(focal, qc))), tf.zerosLike(q));
  const dq = tf.div(tf.sub(u, tf.sum(tf.mul(u, q), 1, true)), sum);
  const grad = o.fromLogits ? tf.mul(src, tf.sub(dq, tf.sum(tf.mul(dq, src), 1, true))) : dq;
  return [loss, grad, o.fromLogits ? src : null];
}

/** The overlap loss of each row of [groups, groupSize] and its gradient. */
export function overlapTerms(tf: Tf, y: tfc.Tensor2D, t: tfc.Tensor2D, c: OverlapCoefficients): [tfc.Tensor, tfc.Tensor] {
  const tp = tf.sum(tf.mul(t, y), 1, true);
  const d = tf.add(tf.add(tf.add(tf.mul(tp, c.truePositives), tf.mul(tf.sum(t, 1, true), c.targets)), tf.mul(tf.sum(y, 1, true), c.predictions)), EPS);
  const loss = tf.sub(1, tf.mul(tf.div(tp, d), c.numerator));
  const slope = tf.sub(tf.mul(t, d), tf.mul(tp, tf.add(tf.mul(t, c.truePositives), c.predictions)));
  return [tf.reshape(loss, [-1]), tf.mul(tf.div(slope, tf.square(d)), -c.numerator)];
}
