import type * as tfc from '@tensorflow/tfjs-core';
import type { ColorAdjustment } from '../backend.js';

type Tf = typeof tfc;

/** The values mapped to [0, 255] (Keras skips the mapping there) and shifted by their image's addition, `[batch, size]`, with the thresholds `[batch, 1]`. */
function shifted(tf: Tf, x: tfc.Tensor, params: tfc.Tensor, a: ColorAdjustment): { value: tfc.Tensor; threshold: tfc.Tensor } {
  const images = tf.reshape(x, [a.batch, a.pixels * a.channels]);
  const [addition, threshold] = tf.split(tf.reshape(params, [a.batch, 2]), 2, 1);
  const unit = a.lo === 0 && a.hi === 255 ? images : tf.mul(tf.div(tf.sub(images, a.lo), a.hi - a.lo), 255);
  return { value: tf.add(unit, addition), threshold };
}

/** Keras' Solarization: r = clip(shifted, 0, 255), r below the threshold kept, else 255 − r, mapped back to [lo, hi]. */
export function solarizeImagesTensor(tf: Tf, x: tfc.Tensor, params: tfc.Tensor, a: ColorAdjustment): tfc.Tensor1D {
  const { value, threshold } = shifted(tf, x, params, a);
  const r = tf.clipByValue(value, 0, 255);
  const s = tf.where(tf.less(r, threshold), r, tf.sub(255, r));
  const y = a.lo === 0 && a.hi === 255 ? s : tf.add(tf.mul(tf.div(s, 255), a.hi - a.lo), a.lo);
  return tf.reshape(y, [-1]);
}

/** dx = dy below the threshold, −dy at or above it, 0 where the clip cut the shifted value. */
export function solarizeImagesGradTensor(tf: Tf, x: tfc.Tensor, dy: tfc.Tensor, params: tfc.Tensor, a: ColorAdjustment): tfc.Tensor1D {
  const { value, threshold } = shifted(tf, x, params, a);
  const g = tf.reshape(dy, value.shape);
  const passed = tf.logicalAnd(tf.greaterEqual(value, 0), tf.lessEqual(value, 255));
  return tf.reshape(tf.where(passed, tf.where(tf.less(value, threshold), g, tf.neg(g)), tf.zerosLike(g)), [-1]);
}
