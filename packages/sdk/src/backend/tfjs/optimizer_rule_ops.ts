import type * as tfc from '@tensorflow/tfjs-core';

type Tf = typeof tfc;

/** Keras 3's Adadelta step as tfjs ops: returns [params, accumGrad, accumDelta] after it. */
export function adadeltaTensors(tf: Tf, p: tfc.Tensor, g: tfc.Tensor, accumGrad: tfc.Tensor, accumDelta: tfc.Tensor, lr: number, rho: number, epsilon: number): tfc.Tensor[] {
  const a1 = tf.add(tf.mul(accumGrad, rho), tf.mul(tf.square(g), 1 - rho));
  // The updated a1 in the denominator is Keras'; tf.train.adadelta uses the previous accumulator.
  const delta = tf.div(tf.mul(g, tf.sqrt(tf.add(accumDelta, epsilon))), tf.sqrt(tf.add(a1, epsilon)));
  const d1 = tf.add(tf.mul(accumDelta, rho), tf.mul(tf.square(delta), 1 - rho));
  return [tf.sub(p, tf.mul(delta, lr)), a1, d1];
}

/** Keras 3's Lion step as tfjs ops (tf.sign(0) is 0, as in the wasm kernel): returns [params, m] after it. */
export function lionTensors(tf: Tf, p: tfc.Tensor, g: tfc.Tensor, m: tfc.Tensor, lr: number, beta1: number, beta2: number): tfc.Tensor[] {
  const direction = tf.sign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
  return [tf.sub(p, tf.mul(direction, lr)), tf.add(tf.mul(m, beta2), tf.mul(g, 1 - beta2))];
}

/** Keras 3's Ftrl step as tfjs ops (power = −learning_rate_power, l2 with β/(2·lr)): returns [params, accumulator, linear]. */
export function ftrlTensors(tf: Tf, p: tfc.Tensor, g: tfc.Tensor, a0: tfc.Tensor, l0: tfc.Tensor, lr: number, power: number, l1: number, l2: number, l2Shrinkage: number): tfc.Tensor[] {
  const a1 = tf.add(a0, tf.square(g));
  const rootNew = tf.pow(a1, power);
  const sigma = tf.div(tf.sub(rootNew, tf.pow(a0, power)), lr);
  const l1Next = tf.sub(tf.add(l0, tf.add(g, tf.mul(p, 2 * l2Shrinkage))), tf.mul(sigma, p));
  const quadratic = tf.add(tf.div(rootNew, lr), 2 * l2);
  return [tf.div(tf.sub(tf.clipByValue(l1Next, -l1, l1), l1Next), quadratic), a1, l1Next];
}
