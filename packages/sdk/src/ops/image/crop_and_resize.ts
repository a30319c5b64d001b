// tfjs' cropAndResize: boxes cut out of a batch of images, each resampled to one crop size.
import { Tensor, type TensorLike } from '../../tensor.js';
import { hostValues, operand } from '../operand.js';
import { batchShape, choiceOption, imageSize } from './image_shape.js';

/**
 * Where crop index i of one axis samples its image, in pixels, for a box edge pair (from, to) in
 * normalized coordinates; the box's centre when the crop is one pixel wide (tfjs' CPU kernel).
 */
function sourceCoordinate(from: number, to: number, i: number, cropSize: number, imageSize: number): number {
  if (cropSize === 1) return 0.5 * (from + to) * (imageSize - 1);
  return from * (imageSize - 1) + i * ((to - from) * (imageSize - 1) / (cropSize - 1));
}

/**
 * For each box `boxes[n] = [y1, x1, y2, x2]` (normalized: 0 is the first pixel's centre, 1 the
 * last's; y1 > y2 flips the crop), the part of image `boxInd[n]` of `image` (`[batch, height,
 * width, channels]`) resampled to `cropSize` = [cropHeight, cropWidth], as
 * `tf.image.cropAndResize`: `[numBoxes, cropHeight, cropWidth, channels]`, float32. Samples outside
 * the image get `extrapolationValue`. `method` is 'bilinear' (default) or 'nearest'. tfjs leaves
 * the crop of a box whose boxInd is not an image of the batch at zeros; kerasm throws. No gradient, as tfjs.
 * @example `km.image.cropAndResize(images, [[0.1, 0.1, 0.6, 0.6]], [0], [32, 32])`
 */
export function cropAndResize(
  image: Tensor | TensorLike, boxes: Tensor | TensorLike, boxInd: Tensor | TensorLike, cropSize: readonly [number, number],
  method: 'bilinear' | 'nearest' = 'bilinear', extrapolationValue = 0,
): Tensor<'float32'> {
  const fn = 'km.image.cropAndResize()';
  const t = operand(fn, 'image', image);
  const [batch, h, w, d] = batchShape(fn, 'image', t, [4]);
  const b = operand(fn, 'boxes', boxes);
  if (b.rank !== 2 || b.shape[1] !== 4) throw new Error(`${fn}: boxes must be [numBoxes, 4], one [y1, x1, y2, x2] row per box. Received: boxes.shape=[${b.shape.join(', ')}].`);
  const numBoxes = b.shape[0];
  const ind = operand(fn, 'boxInd', boxInd);
  if (ind.rank !== 1 || ind.shape[0] !== numBoxes) throw new Error(`${fn}: boxInd must be [numBoxes] = [${numBoxes}], the image index of each box. Received: boxInd.shape=[${ind.shape.join(', ')}].`);
  const [cropH, cropW] = imageSize(fn, 'cropSize', cropSize);
  choiceOption(fn, 'method', method, ['bilinear', 'nearest'] as const);
  if (typeof extrapolationValue !== 'number') throw new Error(`${fn}: extrapolationValue must be a number. Received: extrapolationValue=${JSON.stringify(extrapolationValue)}.`);
  const [x, boxValues, imageOf] = [hostValues(fn, t), hostValues(fn, b), hostValues(fn, ind)];
  const out = new Float32Array(numBoxes * cropH * cropW * d);
  const pixel = (n: number, row: number, col: number) => ((n * h + row) * w + col) * d;
  for (let n = 0; n < numBoxes; n++) {
    const img = imageOf[n];
    if (!Number.isInteger(img) || img < 0 || img >= batch) {
      throw new Error(`${fn}: boxInd[${n}] must be the index of an image of the batch, an integer in [0, ${batch}). Received: boxInd[${n}]=${img}.`);
    }
    const [y1, x1, y2, x2] = boxValues.subarray(4 * n, 4 * n + 4);
    for (let i = 0; i < cropH; i++) {
      const sy = sourceCoordinate(y1, y2, i, cropH, h);
      for (let j = 0; j < cropW; j++) {
        const sx = sourceCoordinate(x1, x2, j, cropW, w);
        const o = ((n * cropH + i) * cropW + j) * d;
        if (!(sy >= 0 && sy <= h - 1 && sx >= 0 && sx <= w - 1)) {
          out.fill(extrapolationValue, o, o + d);
          continue;
        }
        if (method === 'nearest') {
          const at = pixel(img, Math.round(sy), Math.round(sx));
          for (let k = 0; k < d; k++) out[o + k] = x[at + k];
          continue;
        }
        const [top, bottom, left, right] = [Math.floor(sy), Math.ceil(sy), Math.floor(sx), Math.ceil(sx)];
        const [dy, dx] = [sy - top, sx - left];
        const [tl, tr, bl, br] = [pixel(img, top, left), pixel(img, top, right), pixel(img, bottom, left), pixel(img, bottom, right)];
        for (let k = 0; k < d; k++) {
          const upper = x[tl + k] + (x[tr + k] - x[tl + k]) * dx;
          const lower = x[bl + k] + (x[br + k] - x[bl + k]) * dx;
          out[o + k] = upper + (lower - upper) * dy;
        }
      }
    }
  }
  return new Tensor(out, [numBoxes, cropH, cropW, d], 'float32');
}
