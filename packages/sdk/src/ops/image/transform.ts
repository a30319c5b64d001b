// tfjs' transform: each image of a batch sampled through a projective transform, with fill modes.
import { Tensor, type TensorLike } from '../../tensor.js';
import { hostValues, operand } from '../operand.js';
import { batchShape, choiceOption, imageSize } from './image_shape.js';

type FillMode = 'constant' | 'reflect' | 'wrap' | 'nearest';

/**
 * The input coordinate a transformed coordinate reads along an axis of `size` pixels, folded back
 * into the image by `mode` (TensorFlow's ImageProjectiveTransformV3 arithmetic, which tfjs' CPU
 * kernel copies); 'constant' leaves it outside, where the fill value is read.
 */
function foldedCoordinate(c: number, size: number, mode: FillMode): number {
  if (mode === 'constant') return c;
  if (mode === 'nearest') return Math.min(Math.max(c, 0), size - 1);
  if (c >= 0 && c <= size - 1) return c;
  if (size <= 1) return 0;
  let folded = c;
  if (mode === 'reflect') {
    const period = 2 * size;
    if (c < 0) {
      folded = period * Math.trunc(-c / period) + c;
      folded = folded < -size ? folded + period : -folded - 1;
    } else {
      folded -= period * Math.trunc(c / period);
      if (folded >= size) folded = period - folded - 1;
    }
  } else {
    folded = c < 0 ? c + size * (Math.trunc(-c / (size - 1)) + 1) : c - size * Math.trunc(c / (size - 1));
  }
  return Math.min(Math.max(folded, 0), size - 1);
}

/**
 * Each image of `image` (`[batch, height, width, channels]`) sampled through a projective
 * transform, as `tf.image.transform`: `transforms` is `[batch, 8]` or `[1, 8]` (one for all), each
 * row [a0, a1, a2, b0, b1, b2, c0, c1] mapping output pixel (x, y) to input point
 * ((a0·x + a1·y + a2) / k, (b0·x + b1·y + b2) / k), k = c0·x + c1·y + 1. `interpolation` is
 * 'nearest' (default; halves round up) or 'bilinear'; `fillMode` ('constant', 'reflect', 'wrap',
 * 'nearest') says what points outside the image read, 'constant' reading `fillValue`;
 * `outputShape` is [height, width] (default the input's). The result is float32. tfjs' CPU kernel
 * returns after the first image, leaving the others at fillValue; kerasm transforms every image.
 * No gradient, as tfjs.
 * @example `km.image.transform(images, [[1, 0, -5, 0, 1, 0, 0, 0]])` (each output pixel reads the input 5 pixels to its left: the content moves right)
 */
export function transform(
  image: Tensor | TensorLike, transforms: Tensor | TensorLike, interpolation: 'nearest' | 'bilinear' = 'nearest',
  fillMode: FillMode = 'constant', fillValue = 0, outputShape?: readonly [number, number],
): Tensor<'float32'> {
  const fn = 'km.image.transform()';
  const t = operand(fn, 'image', image);
  const [batch, h, w, d] = batchShape(fn, 'image', t, [4]);
  const m = operand(fn, 'transforms', transforms);
  if (m.rank !== 2 || m.shape[1] !== 8 || (m.shape[0] !== 1 && m.shape[0] !== batch)) {
    throw new Error(`${fn}: transforms must be [${batch}, 8] (one transform per image) or [1, 8] (one for all). Received: transforms.shape=[${m.shape.join(', ')}].`);
  }
  choiceOption(fn, 'interpolation', interpolation, ['nearest', 'bilinear'] as const);
  choiceOption(fn, 'fillMode', fillMode, ['constant', 'reflect', 'wrap', 'nearest'] as const);
  if (typeof fillValue !== 'number') throw new Error(`${fn}: fillValue must be a number. Received: fillValue=${JSON.stringify(fillValue)}.`);
  const [outH, outW] = outputShape == null ? [h, w] : imageSize(fn, 'outputShape', outputShape);
  const [x, rows] = [hostValues(fn, t), hostValues(fn, m)];
  const out = new Float32Array(batch * outH * outW * d).fill(fillValue);
  // The value of channel k at integer pixel (r, c) of image b, or the fill value outside it.
  const read = (b: number, r: number, c: number, k: number) => (r >= 0 && r < h && c >= 0 && c < w ? x[((b * h + r) * w + c) * d + k] : fillValue);
  for (let b = 0; b < batch; b++) {
    const [a0, a1, a2, b0, b1, b2, c0, c1] = rows.subarray(m.shape[0] === 1 ? 0 : 8 * b, (m.shape[0] === 1 ? 0 : 8 * b) + 8);
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const k = c0 * ox + c1 * oy + 1;
        if (k === 0) continue;
        const sx = foldedCoordinate((a0 * ox + a1 * oy + a2) / k, w, fillMode);
        const sy = foldedCoordinate((b0 * ox + b1 * oy + b2) / k, h, fillMode);
        const o = ((b * outH + oy) * outW + ox) * d;
        for (let ch = 0; ch < d; ch++) {
          if (interpolation === 'nearest') {
            out[o + ch] = read(b, Math.round(sy), Math.round(sx), ch);
            continue;
          }
          const [y0, x0] = [Math.floor(sy), Math.floor(sx)];
          const upper = (x0 + 1 - sx) * read(b, y0, x0, ch) + (sx - x0) * read(b, y0, x0 + 1, ch);
          const lower = (x0 + 1 - sx) * read(b, y0 + 1, x0, ch) + (sx - x0) * read(b, y0 + 1, x0 + 1, ch);
          out[o + ch] = (y0 + 1 - sy) * upper + (sy - y0) * lower;
        }
      }
    }
  }
  return new Tensor(out, [batch, outH, outW, d], 'float32');
}
