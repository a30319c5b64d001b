// tfjs' rgbToGrayscale and grayscaleToRGB: colour images to luma and back, along the last axis.
import type { DType, Tensor, TensorLike } from '../../tensor.js';
import { tensor } from '../../tensor.js';
import { mul } from '../arithmetic.js';
import { operand } from '../operand.js';
import { sum } from '../reduce.js';
import { cast } from '../shape_ops.js';
import { tile } from '../tile_pad.js';

/** The luma weights of red, green and blue (ITU-R BT.601) that tfjs' and TensorFlow's rgbToGrayscale use. */
export const LUMA_WEIGHTS = [0.2989, 0.587, 0.114] as const;

function checkChannels(fn: string, t: Tensor, channels: number, fix: string): void {
  if (t.rank < 2 || t.shape[t.rank - 1] !== channels) {
    throw new Error(`${fn}: image must have rank 2 or more and ${channels} channel${channels === 1 ? '' : 's'} on its last axis${fix}. Received: image.shape=[${t.shape.join(', ')}].`);
  }
}

/**
 * The luma of each RGB pixel (last axis of size 3), 0.2989·r + 0.587·g + 0.114·b, as
 * `tf.image.rgbToGrayscale`: the last axis becomes size 1 and the dtype is kept (int32 truncates,
 * as tfjs' cast does). Made of km.mul and km.sum, so it passes gradients (tfjs' einsum has none).
 * @example `km.image.rgbToGrayscale(photos)` ([b, h, w, 3] to [b, h, w, 1])
 */
export function rgbToGrayscale<D extends DType>(image: Tensor<D> | TensorLike): Tensor<D> {
  const fn = 'km.image.rgbToGrayscale()';
  const t = operand<D>(fn, 'image', image);
  checkChannels(fn, t, 3, ' (red, green, blue)');
  const gray = sum(mul(cast(t, 'float32'), tensor([...LUMA_WEIGHTS])), -1, true);
  return cast(gray, t.dtype);
}

/**
 * Each grayscale pixel (last axis of size 1) repeated into red, green and blue, as
 * `tf.image.grayscaleToRGB`; the dtype is kept. It is km.tile, so it passes gradients, as tfjs'.
 * @example `km.image.grayscaleToRGB(digits)` ([b, 28, 28, 1] to [b, 28, 28, 3])
 */
export function grayscaleToRGB<D extends DType>(image: Tensor<D> | TensorLike): Tensor<D> {
  const fn = 'km.image.grayscaleToRGB()';
  const t = operand<D>(fn, 'image', image);
  checkChannels(fn, t, 1, '; for a colour image, it is already RGB');
  return tile(t, t.shape.map((_, i) => (i === t.rank - 1 ? 3 : 1)));
}
