import type * as tfc from '@tensorflow/tfjs-core';
import type { ColorAdjustment } from '../backend.js';

type Tf = typeof tfc;

// float32's machine epsilon: Keras' rgb_to_hsv zeroes values smaller than it in magnitude.
const EPS = 1.1920929e-7;

/**
 * Keras' RandomHue (`hue`) or RandomSaturation through its rgb_to_hsv and hsv_to_rgb,
 * params[b] = (hue delta, saturation scale); see the backend's hsvAdjustImages.
 */
export function hsvAdjustImagesTensor(tf: Tf, x: tfc.Tensor, params: tfc.Tensor, a: ColorAdjustment, hue: boolean): tfc.Tensor1D {
  const map = hue && (a.lo !== 0 || a.hi !== 1);
  const span = a.hi - a.lo;
  let images = tf.reshape(x, [a.batch, a.pixels, 3]);
  if (map) images = tf.div(tf.sub(images, a.lo), span);
  images = tf.where(tf.less(tf.abs(images), EPS), tf.zerosLike(images), images);
  const [r, g, b] = tf.split(images, 3, 2);
  const value = tf.maximum(tf.maximum(r, g), b);
  const range = tf.sub(value, tf.minimum(tf.minimum(r, g), b));
  const positive = tf.greater(range, 0);
  const norm = tf.div(1, tf.mul(6, tf.where(positive, range, tf.onesLike(range))));
  let h = tf.where(tf.equal(value, g), tf.add(tf.mul(norm, tf.sub(b, r)), 2 / 6), tf.add(tf.mul(norm, tf.sub(r, g)), 4 / 6));
  h = tf.where(tf.equal(value, r), tf.mul(norm, tf.sub(g, b)), h);
  h = tf.add(tf.where(positive, h, tf.zerosLike(h)), tf.cast(tf.less(h, 0), 'float32'));
  let s = tf.where(tf.greater(value, 0), tf.div(range, tf.where(tf.greater(value, 0), value, tf.onesLike(value))), tf.zerosLike(value));
  const [delta, scale] = tf.split(tf.reshape(params, [a.batch, 1, 2]), 2, 2);
  if (hue) {
    h = tf.add(h, delta);
    h = tf.where(tf.greater(h, 1), tf.sub(h, 1), h);
    h = tf.where(tf.less(h, 0), tf.add(h, 1), h);
  } else {
    s = tf.clipByValue(tf.mul(s, scale), a.lo, a.hi);
  }
  const dh = tf.mul(tf.sub(h, tf.floor(h)), 6);
  const grey = tf.sub(1, s);
  const part = (d: tfc.Tensor) => tf.mul(value, tf.add(grey, tf.mul(s, tf.clipByValue(d, 0, 1))));
  let rgb = tf.concat([
    part(tf.sub(tf.abs(tf.sub(dh, 3)), 1)),
    part(tf.sub(2, tf.abs(tf.sub(dh, 2)))),
    part(tf.sub(2, tf.abs(tf.sub(dh, 4)))),
  ], 2);
  if (hue) {
    rgb = tf.clipByValue(rgb, 0, 1);
    if (map) rgb = tf.add(tf.mul(rgb, span), a.lo);
  }
  return tf.reshape(rgb, [-1]);
}
