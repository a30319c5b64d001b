import type * as tfc from '@tensorflow/tfjs-core';

type Tf = typeof tfc;

/** gamma·(x − mean)·invStd + beta over the columns of x; gamma and beta may be absent. */
function normalize(tf: Tf, x: tfc.Tensor2D, mean: tfc.Tensor, invStd: tfc.Tensor, gamma: tfc.Tensor | null, beta: tfc.Tensor | null): tfc.Tensor {
  const scale = gamma ? tf.mul(gamma, invStd) : invStd;
  const y = tf.mul(tf.sub(x, mean), scale);
  return beta ? tf.add(y, beta) : y;
}

/** Training-mode batch normalization as the wasm kernel defines it (biased variance, Keras' moving update). */
export function batchNormTrainTensors(
  tf: Tf, x: tfc.Tensor2D, gamma: tfc.Tensor | null, beta: tfc.Tensor | null, movingMean: tfc.Tensor, movingVar: tfc.Tensor, epsilon: number, momentum: number,
): { y: tfc.Tensor; mean: tfc.Tensor; invStd: tfc.Tensor; movingMean: tfc.Tensor; movingVar: tfc.Tensor } {
  const { mean, variance } = tf.moments(x, 0);
  const invStd = tf.rsqrt(tf.add(variance, epsilon));
  return {
    y: normalize(tf, x, mean, invStd, gamma, beta),
    mean,
    invStd,
    movingMean: tf.add(tf.mul(movingMean, momentum), tf.mul(mean, 1 - momentum)),
    movingVar: tf.add(tf.mul(movingVar, momentum), tf.mul(variance, 1 - momentum)),
  };
}

/** Inference-mode batch normalization with the moving statistics. */
export function batchNormInferTensor(tf: Tf, x: tfc.Tensor2D, gamma: tfc.Tensor | null, beta: tfc.Tensor | null, movingMean: tfc.Tensor, movingVar: tfc.Tensor, epsilon: number): tfc.Tensor {
  return normalize(tf, x, movingMean, tf.rsqrt(tf.add(movingVar, epsilon)), gamma, beta);
}

/** dx, dGamma and dBeta of training-mode batch normalization, from the saved mean and invStd. */
export function batchNormGradTensors(tf: Tf, x: tfc.Tensor2D, dy: tfc.Tensor2D, gamma: tfc.Tensor | null, mean: tfc.Tensor, invStd: tfc.Tensor): { dx: tfc.Tensor; dGamma: tfc.Tensor; dBeta: tfc.Tensor } {
  const rows = x.shape[0];
  const xhat = tf.mul(tf.sub(x, mean), invStd);
  const dBeta = tf.sum(dy, 0);
  const dGamma = tf.sum(tf.mul(dy, xhat), 0);
  const k = tf.div(gamma ? tf.mul(gamma, invStd) : invStd, rows);
  const dx = tf.mul(k, tf.sub(tf.sub(tf.mul(dy, rows), dBeta), tf.mul(xhat, dGamma)));
  return { dx, dGamma, dBeta };
}
