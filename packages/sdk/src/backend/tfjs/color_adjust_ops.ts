import type * as tfc from '@tensorflow/tfjs-core';
import type { ColorAdjustment } from '../backend.js';

type Tf = typeof tfc;

/** The unclipped adjustment x·contrast + mean·(1 − contrast) + delta, `[batch, pixels, channels]`, and the per-image contrast `[batch, 1, 1]`. */
function unclipped(tf: Tf, x: tfc.Tensor, params: tfc.Tensor, a: ColorAdjustment): { value: tfc.Tensor; contrast: tfc.Tensor } {
  const images = tf.reshape(x, [a.batch, a.pixels, a.channels]);
  const [contrast, delta] = tf.split(tf.reshape(params, [a.batch, 1, 2]), 2, 2);
  const offset = tf.add(tf.mul(tf.mean(images, 1, true), tf.sub(1, contrast)), delta);
  return { value: tf.add(tf.mul(images, contrast), offset), contrast };
}

/** Keras' contrast and brightness: clip((x − mean)·contrast + mean + delta, lo, hi) per image and channel. */
export function adjustImagesTensor(tf: Tf, x: tfc.Tensor, params: tfc.Tensor, a: ColorAdjustment): tfc.Tensor1D {
  return tf.reshape(tf.clipByValue(unclipped(tf, x, params, a).value, a.lo, a.hi), [-1]);
}

/** dx = contrast·g + (1 − contrast)·mean(g) per image and channel, g being dy where the clip passed it. */
export function adjustImagesGradTensor(tf: Tf, x: tfc.Tensor, dy: tfc.Tensor, params: tfc.Tensor, a: ColorAdjustment): tfc.Tensor1D {
  const { value, contrast } = unclipped(tf, x, params, a);
  const passed = tf.logicalAnd(tf.greaterEqual(value, a.lo), tf.lessEqual(value, a.hi));
  const g = tf.where(passed, tf.reshape(dy, [a.batch, a.pixels, a.channels]), tf.zerosLike(value));
  return tf.reshape(tf.add(tf.mul(g, contrast), tf.mul(tf.mean(g, 1, true), tf.sub(1, contrast))), [-1]);
}
