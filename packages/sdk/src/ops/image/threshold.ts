// tfjs' threshold: an image's luma compared with a threshold, given or found by Otsu's method.
import { Tensor, type TensorLike } from '../../tensor.js';
import { hostValues, operand } from '../operand.js';
import { halfToEven } from '../rounding.js';
import { LUMA_WEIGHTS } from './grayscale.js';
import { booleanOption, choiceOption } from './image_shape.js';

const f = Math.fround;

/** Each pixel's luma in float32, summed in tfjs' order (r·0.2989 + g·0.587, then + b·0.114); a 1-channel image as it is. */
function lumaValues(values: ArrayLike<number>, channels: number): ArrayLike<number> {
  if (channels === 1) return values;
  const luma = new Float32Array(values.length / 3);
  const [wr, wg, wb] = LUMA_WEIGHTS.map(f);
  for (let p = 0; p < luma.length; p++) luma[p] = f(f(values[3 * p] * wr) + f(values[3 * p + 1] * wg)) + f(values[3 * p + 2] * wb);
  return luma;
}

/**
 * Otsu's threshold over a 256-bin histogram of the rounded lumas (values above 255 left out,
 * negative ones refused, as tfjs' bincount does): the bin index that maximizes the between-class
 * variance, each step in float32 as tfjs' tensor ops compute it, or −1 when no split has a
 * variance above 0 (one grey level).
 */
function otsuThreshold(fn: string, luma: ArrayLike<number>, pixels: number): number {
  const histogram = new Float64Array(256);
  for (let p = 0; p < luma.length; p++) {
    const bin = halfToEven(luma[p]);
    if (bin < 0) throw new Error(`${fn}: the 'otsu' method needs lumas of 0 or more (0-255 images), as tfjs' histogram does. Rescale the image first, or use method 'binary'. Received: a luma of ${luma[p]}.`);
    if (bin < 256) histogram[bin]++;
  }
  let [best, bestVariance] = [-1, 0];
  for (let split = 0; split < 255; split++) {
    let [countLow, countHigh, massLow, massHigh] = [0, 0, 0, 0];
    for (let i = 0; i <= split; i++) [countLow, massLow] = [countLow + histogram[i], massLow + histogram[i] * i];
    for (let i = split + 1; i < 256; i++) [countHigh, massHigh] = [countHigh + histogram[i], massHigh + histogram[i] * i];
    const gap = f(f(f(massLow) / countLow) - f(f(massHigh) / countHigh));
    const variance = f(f(f(f(countLow) / pixels) * f(f(countHigh) / pixels)) * gap) * gap;
    if (f(variance) > bestVariance) [best, bestVariance] = [split, f(variance)];
  }
  return best;
}

/**
 * A black-and-white version of one `[height, width, channels]` image (1 or 3 channels; luma
 * 0.2989·r + 0.587·g + 0.114·b for 3), as `tf.image.threshold`: int32 255 where the luma is above
 * the threshold and 0 elsewhere (the other way round when `inverted`). With method 'binary' the
 * threshold is `threshValue`·255 (so `threshValue` is in [0, 1] for 0-255 images); with 'otsu' it
 * is found by Otsu's method from a histogram of the image. No gradient, as tfjs.
 * @example `km.image.threshold(photo, 'otsu')`
 */
export function threshold(image: Tensor | TensorLike, method: 'binary' | 'otsu' = 'binary', inverted = false, threshValue = 0.5): Tensor<'int32'> {
  const fn = 'km.image.threshold()';
  const t = operand(fn, 'image', image);
  if (t.rank !== 3 || (t.shape[2] !== 1 && t.shape[2] !== 3)) {
    throw new Error(`${fn}: image must be one [height, width, channels] image with 1 or 3 channels (threshold one image of a batch at a time, e.g. km.unstack(images)). Received: image.shape=[${t.shape.join(', ')}].`);
  }
  choiceOption(fn, 'method', method, ['binary', 'otsu'] as const);
  booleanOption(fn, 'inverted', inverted);
  if (typeof threshValue !== 'number' || Number.isNaN(threshValue)) throw new Error(`${fn}: threshValue must be a number, e.g. 0.5 (in units of 255). Received: threshValue=${JSON.stringify(threshValue)}.`);
  const luma = lumaValues(hostValues(fn, t), t.shape[2]);
  const cut = method === 'otsu' ? otsuThreshold(fn, luma, t.shape[0] * t.shape[1]) : f(f(threshValue) * 255);
  const out = new Int32Array(luma.length);
  for (let p = 0; p < out.length; p++) out[p] = (inverted ? luma[p] <= cut : luma[p] > cut) ? 255 : 0;
  return new Tensor(out, [t.shape[0], t.shape[1], 1], 'int32');
}
