import type * as tfc from '@tensorflow/tfjs-core';
import type { FillMode, ImageTransform } from '../backend.js';

type Tf = typeof tfc;

/** Floats in the transform's input and output batches. */
export function transformSizes(t: ImageTransform): [number, number] {
  return [t.batch * t.height * t.width * t.channels, t.batch * (t.outHeight ?? t.height) * (t.outWidth ?? t.width) * t.channels];
}

/** A source coordinate mapped into [0, len − 1] by the fill mode, as tf.image.transform maps it. */
function mapCoord(tf: Tf, c: tfc.Tensor, len: number, mode: FillMode): tfc.Tensor {
  if (mode === 'constant') return c;
  if (mode === 'nearest' || len <= 1) return tf.clipByValue(c, 0, len - 1);
  // In each branch the quotient is positive, so floor is TensorFlow's trunc there.
  let below: tfc.Tensor;
  let above: tfc.Tensor;
  if (mode === 'reflect') {
    const period = 2 * len;
    const folded = tf.add(tf.mul(tf.floor(tf.div(tf.neg(c), period)), period), c);
    below = tf.where(tf.less(folded, -len), tf.add(folded, period), tf.sub(tf.neg(folded), 1));
    const wrapped = tf.sub(c, tf.mul(tf.floor(tf.div(c, period)), period));
    above = tf.where(tf.greaterEqual(wrapped, len), tf.sub(period - 1, wrapped), wrapped);
  } else {
    below = tf.add(c, tf.mul(tf.add(tf.floor(tf.div(tf.neg(c), len - 1)), 1), len));
    above = tf.sub(c, tf.mul(tf.floor(tf.div(c, len - 1)), len));
  }
  const mapped = tf.where(tf.less(c, 0), below, tf.where(tf.greater(c, len - 1), above, c));
  return tf.clipByValue(mapped, 0, len - 1);
}

/** One tap of every output pixel: the input row it reads in `[batch·height·width, channels]` and its weight (0 outside the image). */
interface Tap {
  readonly index: tfc.Tensor;
  readonly weight: tfc.Tensor;
}

/** The taps each output pixel reads, computed with tensor ops as the wasm kernel computes them. */
function transformTaps(tf: Tf, transforms: tfc.Tensor, t: ImageTransform): Tap[] {
  const { batch, height: h, width: w } = t;
  const [oh, ow] = [t.outHeight ?? h, t.outWidth ?? w];
  const ox = tf.tile(tf.range(0, ow), [oh]);
  const oy = tf.reshape(tf.tile(tf.reshape(tf.range(0, oh), [oh, 1]), [1, ow]), [-1]);
  const [a0, a1, a2, b0, b1, b2, c0, c1] = tf.split(tf.reshape(transforms, [batch, 8]), 8, 1);
  const projective = tf.add(tf.add(tf.mul(c0, ox), tf.mul(c1, oy)), 1);
  const defined = tf.notEqual(projective, 0);
  // Undefined pixels divide by 1 instead: GPU backends do not keep NaN through comparisons and clamps.
  const k = tf.where(defined, projective, tf.onesLike(projective));
  const x = mapCoord(tf, tf.div(tf.add(tf.add(tf.mul(a0, ox), tf.mul(a1, oy)), a2), k), w, t.fillMode);
  const y = mapCoord(tf, tf.div(tf.add(tf.add(tf.mul(b0, ox), tf.mul(b1, oy)), b2), k), h, t.fillMode);
  const taps: [tfc.Tensor, tfc.Tensor, tfc.Tensor][] = [];
  if (t.interpolation === 'nearest') {
    // floor(v + 0.5) is Math.round, tfjs' CPU kernel's rounding; tf.round rounds halves to even.
    taps.push([tf.floor(tf.add(y, 0.5)), tf.floor(tf.add(x, 0.5)), tf.onesLike(x)]);
  } else {
    const [x0, y0] = [tf.floor(x), tf.floor(y)];
    const [fx, fy] = [tf.sub(x, x0), tf.sub(y, y0)];
    const [gx, gy] = [tf.sub(1, fx), tf.sub(1, fy)];
    const [x1, y1] = [tf.add(x0, 1), tf.add(y0, 1)];
    taps.push([y0, x0, tf.mul(gy, gx)], [y0, x1, tf.mul(gy, fx)], [y1, x0, tf.mul(fy, gx)], [y1, x1, tf.mul(fy, fx)]);
  }
  const imageStart = tf.reshape(tf.mul(tf.range(0, batch), h * w), [batch, 1]);
  return taps.map(([row, col, weight]) => {
    const inside = tf.logicalAnd(tf.logicalAnd(defined, tf.logicalAnd(tf.greaterEqual(row, 0), tf.less(row, h))), tf.logicalAnd(tf.greaterEqual(col, 0), tf.less(col, w)));
    const index = tf.where(inside, tf.add(tf.add(tf.mul(row, w), col), imageStart), tf.zerosLike(row));
    return { index: tf.reshape(tf.cast(index, 'int32'), [-1]), weight: tf.reshape(tf.where(inside, weight, tf.zerosLike(weight)), [-1, 1]) };
  });
}

/**
 * The images sampled through their transforms as tf.image.transform defines it: a gather of each
 * pixel's taps, plus the fill value by the weight of the taps outside the image. tfjs 4.22's own
 * Transform op is not used: its CPU kernel returns after the first image of a batch (the rest stay
 * at the fill value) and its wasm kernel differs in 'reflect' and in rounding for 'nearest'.
 */
export function transformImagesTensor(tf: Tf, x: tfc.Tensor, transforms: tfc.Tensor, t: ImageTransform): tfc.Tensor1D {
  const pixels = tf.reshape(x, [t.batch * t.height * t.width, t.channels]);
  const taps = transformTaps(tf, transforms, t);
  const read = tf.addN(taps.map((tap) => tf.mul(tf.gather(pixels, tap.index), tap.weight)));
  const fillWeight = tf.sub(1, tf.addN(taps.map((tap) => tap.weight)));
  return tf.reshape(tf.add(read, tf.mul(fillWeight, t.fillValue)), [-1]);
}

/**
 * dx of {@link transformImagesTensor}: every output gradient scattered into its taps by scatterND,
 * which sums taps that coincide. tfjs registers no gradient for its Transform op.
 */
export function transformImagesGradTensor(tf: Tf, dy: tfc.Tensor, transforms: tfc.Tensor, t: ImageTransform): tfc.Tensor1D {
  const rows = t.batch * t.height * t.width;
  const grads = tf.reshape(dy, [-1, t.channels]);
  const taps = transformTaps(tf, transforms, t);
  const indices = tf.reshape(tf.concat(taps.map((tap) => tap.index), 0), [-1, 1]);
  const updates = tf.concat(taps.map((tap) => tf.mul(grads, tap.weight)), 0);
  return tf.reshape(tf.scatterND(indices, updates, [rows, t.channels]), [-1]);
}
