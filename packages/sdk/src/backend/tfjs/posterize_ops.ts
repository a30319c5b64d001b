import type * as tfc from '@tensorflow/tfjs-core';
import type { ColorAdjustment } from '../backend.js';

type Tf = typeof tfc;

/** Keras' RandomPosterization: the values seen in [0, 255] and cast to uint8 keep their top bits, the image's low `params[b]` bits zeroed. */
export function posterizeImagesTensor(tf: Tf, x: tfc.Tensor, params: tfc.Tensor, a: ColorAdjustment): tfc.Tensor1D {
  const mapped = a.lo !== 0 || a.hi !== 255;
  const images = tf.reshape(x, [a.batch, a.pixels * a.channels]);
  const step = tf.pow(2, tf.reshape(params, [a.batch, 1]));
  const unit = mapped ? tf.mul(tf.div(tf.sub(images, a.lo), a.hi - a.lo), 255) : images;
  const kept = tf.mul(tf.floor(tf.div(tf.floor(tf.clipByValue(unit, 0, 255)), step)), step);
  return tf.reshape(mapped ? tf.add(tf.mul(tf.div(kept, 255), a.hi - a.lo), a.lo) : kept, [-1]);
}
