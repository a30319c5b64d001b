import { Tensor } from '../tensor.js';
import type { Tensor3D } from '../tensor_ranked.js';
import { readRgba, type PixelSource } from './pixel_source.js';

/**
 * An image as a `[height, width, numChannels]` tensor, as TensorFlow.js' `tf.browser.fromPixels`
 * makes it: the same pixels in the same order, channels taken from RGBA in order (1 = red, 3 =
 * RGB, 4 = RGBA). The values are float32 bytes 0..255 where tfjs gives int32, so the tensor feeds
 * `predict` and `fit` as it is (kerasm has no `tf.cast`): scale it in the model with
 * `km.layers.rescaling({ scale: 1 / 255 })`. `<img>`, `<video>` and ImageBitmap are read by drawing
 * them on a 2D canvas, as tfjs does.
 *
 * Works without a DOM for `{ width, height, data }` RGBA bytes (tfjs' `PixelData`, e.g. from an
 * image decoder in Node) and ImageData-like objects.
 *
 * @param pixels A canvas, OffscreenCanvas, `<img>` (loaded), `<video>` (with a frame), ImageBitmap,
 *   ImageData or `{ width, height, data }` with 4 bytes per pixel.
 * @param numChannels 3 (default, RGB, alpha dropped), 4 (RGBA), 1 (the red channel, as tfjs:
 *   for a gray drawing) or 2 (red and green, as tfjs).
 * @example
 * ```ts
 * // A 280x280 drawing pad as the input of an MNIST model that takes [28, 28, 1] in [0, 1].
 * const resize = km.layers.resizing({ height: 28, width: 28 });
 * const scale = km.layers.rescaling({ scale: 1 / 255 });
 * const pixels = km.browser.fromPixels(canvas, 1);               // [280, 280, 1], 0..255
 * const batch = pixels.reshape([1, ...pixels.shape]);            // [1, 280, 280, 1]
 * const probabilities = model.predict(scale.apply(resize.apply(batch)));
 * // Or make resizing and rescaling the model's first layers, and predict on `batch`.
 * ```
 */
export function fromPixels(pixels: PixelSource, numChannels = 3): Tensor3D<'float32'> {
  checkChannels(numChannels, 'fromPixels');
  const { width, height, bytes } = readRgba(pixels);
  const count = width * height;
  const values = new Float32Array(count * numChannels);
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < numChannels; c++) values[i * numChannels + c] = bytes[i * 4 + c];
  }
  return new Tensor(values, [height, width, numChannels], 'float32') as Tensor3D<'float32'>;
}

/**
 * {@link fromPixels}, waiting first for an `<img>` still loading (tfjs' `fromPixelsAsync` does not
 * wait; it is otherwise the same function). A video must already have a frame.
 *
 * @example
 * ```ts
 * const img = new Image();
 * img.src = 'digit.png';
 * const rgb = await km.browser.fromPixelsAsync(img); // [height, width, 3] once it has loaded
 * ```
 */
export async function fromPixelsAsync(pixels: PixelSource, numChannels = 3): Promise<Tensor3D<'float32'>> {
  checkChannels(numChannels, 'fromPixelsAsync');
  if (isLoadingImage(pixels)) {
    // A failed load leaves naturalWidth 0, which fromPixels reports.
    await pixels.decode().catch(() => undefined);
  }
  return fromPixels(pixels, numChannels);
}

function isLoadingImage(pixels: PixelSource): pixels is HTMLImageElement {
  const p = pixels as Partial<HTMLImageElement> | null;
  return typeof p?.naturalWidth === 'number' && p.complete === false && typeof p.decode === 'function';
}

function checkChannels(numChannels: unknown, name: string): asserts numChannels is 1 | 2 | 3 | 4 {
  if (numChannels !== 1 && numChannels !== 2 && numChannels !== 3 && numChannels !== 4) {
    throw new Error(`km.browser.${name}: numChannels must be 1 (red, for a gray image), 2 (red and green), 3 (RGB) or 4 (RGBA); received ${String(numChannels)}. Pass one of those.`);
  }
}
