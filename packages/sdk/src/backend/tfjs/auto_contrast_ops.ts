import type * as tfc from '@tensorflow/tfjs-core';
import type { ColorAdjustment } from '../backend.js';

type Tf = typeof tfc;

interface Channels {
  images: tfc.Tensor;
  /** Each image's channel bounds, NaN skipped, `[batch, 1, channels]`. */
  low: tfc.Tensor;
  high: tfc.Tensor;
  /** Where the output is stretched: the channel has two values and the input is not NaN. */
  stretched: tfc.Tensor;
}

function channels(tf: Tf, x: tfc.Tensor, a: ColorAdjustment): Channels {
  const images = tf.reshape(x, [a.batch, a.pixels, a.channels]);
  const nan = tf.isNaN(images);
  const low = tf.min(tf.where(nan, tf.fill(images.shape, Infinity), images), 1, true);
  const high = tf.max(tf.where(nan, tf.fill(images.shape, -Infinity), images), 1, true);
  return { images, low, high, stretched: tf.logicalAnd(tf.greater(high, low), tf.logicalNot(nan)) };
}

/** Keras' AutoContrast: per image and channel, the values seen in [0, 255] times 255 / (high − low), minus low times that, clipped, mapped back; the input where that is NaN. */
export function autoContrastTensor(tf: Tf, x: tfc.Tensor, a: ColorAdjustment): tfc.Tensor1D {
  const { images, low, high, stretched } = channels(tf, x, a);
  const mapped = a.lo !== 0 || a.hi !== 255;
  const unit = (t: tfc.Tensor) => (mapped ? tf.mul(tf.div(tf.sub(t, a.lo), a.hi - a.lo), 255) : t);
  const lowUnit = unit(low);
  const scale = tf.div(255, tf.sub(unit(high), lowUnit));
  const r = tf.clipByValue(tf.add(tf.mul(unit(images), scale), tf.neg(tf.mul(lowUnit, scale))), 0, 255);
  const result = mapped ? tf.add(tf.mul(tf.div(r, 255), a.hi - a.lo), a.lo) : r;
  return tf.reshape(tf.where(tf.logicalAnd(stretched, tf.logicalNot(tf.isNaN(result))), result, images), [-1]);
}

/**
 * dx of y = lo + (hi − lo)·(x − low) / (high − low): k·dy with k = (hi − lo) / (high − low), plus
 * −k·Σ dy·(1 − t) shared among the values equal to low and −k·Σ dy·t among those equal to high,
 * t = (x − low) / (high − low); dy where the output is the input.
 */
export function autoContrastGradTensor(tf: Tf, x: tfc.Tensor, dy: tfc.Tensor, a: ColorAdjustment): tfc.Tensor1D {
  const { images, low, high, stretched } = channels(tf, x, a);
  const g = tf.reshape(dy, images.shape);
  const span = tf.sub(high, low);
  const k = tf.div(a.hi - a.lo, span);
  const t = tf.div(tf.sub(images, low), span);
  const passed = tf.where(stretched, g, tf.zerosLike(g));
  const toLow = tf.neg(tf.mul(k, tf.sum(tf.mul(passed, tf.sub(1, t)), 1, true)));
  const toHigh = tf.neg(tf.mul(k, tf.sum(tf.mul(passed, t), 1, true)));
  const at = (bound: tfc.Tensor) => tf.cast(tf.logicalAnd(tf.equal(images, bound), stretched), 'float32');
  const [isLow, isHigh] = [at(low), at(high)];
  const shares = tf.add(tf.mul(isLow, tf.div(toLow, tf.sum(isLow, 1, true))), tf.mul(isHigh, tf.div(toHigh, tf.sum(isHigh, 1, true))));
  return tf.reshape(tf.where(stretched, tf.add(tf.mul(k, g), shares), g), [-1]);
}
