import type * as tfc from '@tensorflow/tfjs-core';
import type { GroupNormGeometry } from '../backend.js';

type Tf = typeof tfc;

/** x as [batch, spatial, groups, channels/groups], so that a group's statistics reduce axes 1 and 3. */
export function groupedTensor(tf: Tf, x: tfc.Tensor, g: GroupNormGeometry): tfc.Tensor4D {
  return tf.reshape(x, [g.batch, g.spatial, g.groups, g.channels / g.groups]);
}

/** Group normalization as the wasm kernel defines it; mean and invStd come back as [batch, 1, groups, 1]. */
export function groupNormForwardTensors(tf: Tf, x: tfc.Tensor4D, gamma: tfc.Tensor | null, beta: tfc.Tensor | null, g: GroupNormGeometry, epsilon: number): { y: tfc.Tensor; mean: tfc.Tensor; invStd: tfc.Tensor } {
  const perChannel = [g.groups, g.channels / g.groups];
  const { mean, variance } = tf.moments(x, [1, 3], true);
  const invStd = tf.rsqrt(tf.add(variance, epsilon));
  const xhat = tf.mul(tf.sub(x, mean), invStd);
  const scaled = gamma ? tf.mul(xhat, tf.reshape(gamma, perChannel)) : xhat;
  return { y: beta ? tf.add(scaled, tf.reshape(beta, perChannel)) : scaled, mean, invStd };
}

/** dx, dGamma and dBeta of groupNormForwardTensors from the kept mean and invStd ([batch, 1, groups, 1] each). */
export function groupNormBackwardTensors(tf: Tf, x: tfc.Tensor4D, dy: tfc.Tensor4D, gamma: tfc.Tensor | null, mean: tfc.Tensor, invStd: tfc.Tensor, g: GroupNormGeometry): { dx: tfc.Tensor; dGamma: tfc.Tensor; dBeta: tfc.Tensor } {
  const n = g.spatial * (g.channels / g.groups);
  const xhat = tf.mul(tf.sub(x, mean), invStd);
  const scaled = gamma ? tf.mul(dy, tf.reshape(gamma, [g.groups, g.channels / g.groups])) : dy;
  const sumG = tf.sum(scaled, [1, 3], true);
  const sumGXhat = tf.sum(tf.mul(scaled, xhat), [1, 3], true);
  const dx = tf.mul(tf.div(invStd, n), tf.sub(tf.sub(tf.mul(scaled, n), sumG), tf.mul(xhat, sumGXhat)));
  return { dx, dGamma: tf.reshape(tf.sum(tf.mul(dy, xhat), [0, 1]), [g.channels]), dBeta: tf.reshape(tf.sum(dy, [0, 1]), [g.channels]) };
}
