import type * as tfc from '@tensorflow/tfjs-core';
import type { ColorAdjustment } from '../backend.js';

type Tf = typeof tfc;

/**
 * Keras' Equalization on tfjs ops, one row per image channel: the values seen in [0, 255] counted
 * into `bins` bins (one bincount over the rows' bins laid end to end), the cumulative counts
 * rescaled to [0, 255] and rounded half to even as the lookup table, each value's entry mapped
 * back; a row whose values fill one bin passes through. The table is divided in float32, where
 * Keras divides the integer counts in double: the two can round apart only past 2^16 values a channel.
 */
export function equalizeImagesTensor(tf: Tf, x: tfc.Tensor, a: ColorAdjustment, bins: number): tfc.Tensor1D {
  const rows = a.batch * a.channels;
  const toUnit = 255 / (a.hi - a.lo);
  const top = bins - 1;
  const channels = tf.reshape(tf.transpose(tf.reshape(x, [a.batch, a.pixels, a.channels]), [0, 2, 1]), [rows, a.pixels]);
  const unit = tf.add(tf.mul(channels, toUnit), -a.lo * toUnit);
  const offsets = tf.reshape(tf.range(0, rows * bins, bins, 'int32'), [rows, 1]);
  // Keras' int32 cast truncates; the clip first keeps the bin of any value in range.
  const binOf = (position: tfc.Tensor) => tf.add(tf.cast(tf.clipByValue(position, 0, top), 'int32'), offsets);
  const counts = tf.denseBincount(tf.reshape(binOf(tf.div(tf.mul(unit, top), 255)), [-1]) as tfc.Tensor1D, tf.tensor1d([], 'float32'), rows * bins);
  const hist = tf.reshape(counts, [rows, bins]);
  const cdf = tf.cumsum(hist, 1);
  const first = tf.min(tf.where(tf.greater(cdf, 0), cdf, tf.fill(cdf.shape, Infinity)), 1, true);
  const lut = tf.clipByValue(tf.round(tf.div(tf.mul(tf.sub(cdf, first), 255), tf.sub(a.pixels, first))), 0, 255);
  const looked = tf.gather(tf.reshape(lut, [-1]), binOf(tf.mul(tf.div(unit, 255), top)));
  const equalized = tf.add(tf.mul(looked, (a.hi - a.lo) / 255), a.lo);
  const filled = tf.sum(tf.cast(tf.greater(hist, 0), 'float32'), 1, true);
  const out = tf.where(tf.broadcastTo(tf.greater(filled, 1), [rows, a.pixels]), equalized, channels);
  return tf.reshape(tf.transpose(tf.reshape(out, [a.batch, a.channels, a.pixels]), [0, 2, 1]), [-1]);
}
