import type * as tfc from '@tensorflow/tfjs-core';

type Tf = typeof tfc;

/** Layer normalization of each row of x as the wasm kernel defines it; mean and invStd come back as [rows, 1]. */
export function layerNormForwardTensors(tf: Tf, x: tfc.Tensor2D, gamma: tfc.Tensor | null, beta: tfc.Tensor | null, epsilon: number): { y: tfc.Tensor; mean: tfc.Tensor; invStd: tfc.Tensor } {
  const { mean, variance } = tf.moments(x, 1, true);
  const invStd = tf.rsqrt(tf.add(variance, epsilon));
  const xhat = tf.mul(tf.sub(x, mean), invStd);
  const scaled = gamma ? tf.mul(xhat, gamma) : xhat;
  return { y: beta ? tf.add(scaled, beta) : scaled, mean, invStd };
}

/** dx, dGamma and dBeta of layerNormForwardTensors from the kept mean and invStd ([rows, 1] each). */
export function layerNormBackwardTensors(tf: Tf, x: tfc.Tensor2D, dy: tfc.Tensor2D, gamma: tfc.Tensor | null, mean: tfc.Tensor, invStd: tfc.Tensor): { dx: tfc.Tensor; dGamma: tfc.Tensor; dBeta: tfc.Tensor } {
  const cols = x.shape[1];
  const xhat = tf.mul(tf.sub(x, mean), invStd);
  const g = gamma ? tf.mul(dy, gamma) : dy;
  const sumG = tf.sum(g, 1, true);
  const sumGXhat = tf.sum(tf.mul(g, xhat), 1, true);
  const dx = tf.mul(tf.div(invStd, cols), tf.sub(tf.sub(tf.mul(g, cols), sumG), tf.mul(xhat, sumGXhat)));
  return { dx, dGamma: tf.sum(tf.mul(dy, xhat), 0), dBeta: tf.sum(dy, 0) };
}

/** RMS normalization of each row of x as the wasm kernel defines it; invRms comes back as [rows, 1]. */
export function rmsNormForwardTensors(tf: Tf, x: tfc.Tensor2D, scale: tfc.Tensor | null, epsilon: number): { y: tfc.Tensor; invRms: tfc.Tensor } {
  const invRms = tf.rsqrt(tf.add(tf.mean(tf.square(x), 1, true), epsilon));
  const xhat = tf.mul(x, invRms);
  return { y: scale ? tf.mul(xhat, scale) : xhat, invRms };
}

/** dx and dScale of rmsNormForwardTensors from the kept invRms ([rows, 1]): layer normalization's about 0, without its Σg term. */
export function rmsNormBackwardTensors(tf: Tf, x: tfc.Tensor2D, dy: tfc.Tensor2D, scale: tfc.Tensor | null, invRms: tfc.Tensor): { dx: tfc.Tensor; dScale: tfc.Tensor } {
  const cols = x.shape[1];
  const xhat = tf.mul(x, invRms);
  const g = scale ? tf.mul(dy, scale) : dy;
  const sumGXhat = tf.sum(tf.mul(g, xhat), 1, true);
  const dx = tf.mul(tf.div(invRms, cols), tf.sub(tf.mul(g, cols), tf.mul(xhat, sumGXhat)));
  return { dx, dScale: tf.sum(tf.mul(dy, xhat), 0) };
}
