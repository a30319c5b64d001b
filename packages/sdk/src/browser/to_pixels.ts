import type { Tensor } from '../tensor.js';
import { imageSize, isCanvas, putRgba, rgbaBytes, type DrawTarget } from './image_rgba.js';

const WHERE = 'km.browser.toPixels';

/**
 * The RGBA bytes of an image tensor, drawn on `canvas` too when one is given (its size set to the
 * image's), as TensorFlow.js' `tf.browser.toPixels` makes them, byte for byte. A float32 tensor
 * holds values in [0, 1] (each byte is `Math.round(value * 255)`), an int32 one bytes 0..255; a
 * value outside, or NaN (which tfjs draws as 0), is an error naming it. `[height, width]` and
 * `[height, width, 1]` draw gray, `[height, width, 3]` RGB with opaque alpha, `[height, width, 4]` RGBA.
 *
 * @param tensor `[height, width]` or `[height, width, 1 | 3 | 4]`, float32 in [0, 1] or int32 in [0, 255].
 * @param canvas A 2D canvas (or OffscreenCanvas) to draw on.
 * @returns `height * width * 4` RGBA bytes, row by row.
 * @example
 * ```ts
 * // Show a model's [28, 28, 1] output in [0, 1], e.g. an autoencoder's reconstruction.
 * const image = (model.predict(x) as km.Tensor).reshape([28, 28, 1]);
 * await km.browser.toPixels(image, document.querySelector('canvas')!);
 * // fromPixels gives bytes 0..255 as float32: scale them to [0, 1] (or pass them as int32) to draw them.
 * const photo = km.browser.fromPixels(video);
 * await km.browser.toPixels(km.tensor((await photo.data()).map((v) => v / 255), photo.shape), canvas);
 * ```
 */
export async function toPixels(tensor: Tensor, canvas?: DrawTarget): Promise<Uint8ClampedArray> {
  const size = imageSize(tensor, WHERE);
  const bytes = rgbaBytes(await tensor.data(), tensor, size, 255, WHERE);
  if (canvas !== undefined && canvas !== null) {
    if (!isCanvas(canvas)) throw new Error(`${WHERE}: the second argument must be a canvas (an HTMLCanvasElement or OffscreenCanvas) to draw on; leave it out to get the bytes only.`);
    putRgba(bytes, size, canvas, WHERE);
  }
  return bytes;
}
