import type * as tfc from '@tensorflow/tfjs-core';

type Tf = typeof tfc;

// Per-row weights and masks of the loss and metric kernels (see LossOps in backend.ts): one value
// per `repeat` consecutive elements of a flat tensor, as the wasm core reads them.

/** Each group of `repeat` values of `x` times its weight, in x's shape; x itself without weights. */
export function weighted(tf: Tf, x: tfc.Tensor, weights: tfc.Tensor | null, repeat: number): tfc.Tensor {
  if (!weights) return x;
  return tf.reshape(tf.mul(tf.reshape(x, [-1, repeat]), tf.reshape(weights, [-1, 1])), x.shape);
}

/** Σ of the terms, each group of `repeat` times its weight. */
export function weightedSum(tf: Tf, terms: tfc.Tensor, weights: tfc.Tensor | null, repeat: number): tfc.Tensor {
  return tf.sum(weighted(tf, terms, weights, repeat));
}

/** out[i] = m[i]·w[⌊i / repeat⌋] / Σm (n without a mask), 0 everywhere when every position is masked; m[i]·w[⌊i / repeat⌋] unless `normalize`. */
export function lossWeightsTensor(tf: Tf, mask: tfc.Tensor | null, weights: tfc.Tensor | null, repeat: number, n: number, normalize: boolean): tfc.Tensor {
  const perPosition = weights ? tf.reshape(tf.mul(tf.reshape(weights, [-1, 1]), tf.ones([1, repeat])), [n]) : tf.ones([n]);
  if (!normalize) return mask ? tf.mul(perPosition, mask) : perPosition;
  if (!mask) return tf.div(perPosition, n);
  return tf.divNoNan(tf.mul(perPosition, mask), tf.sum(mask));
}
