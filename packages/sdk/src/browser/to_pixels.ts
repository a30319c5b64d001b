import { describeNonTensor } from '../engine/foreign_values.js';
import { Tensor } from '../tensor.js';

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
export async function toPixels(tensor: Tensor, canvas?: HTMLCanvasElement | OffscreenCanvas): Promise<Uint8ClampedArray> {
  if (!(tensor instanceof Tensor)) {
    const received = Array.isArray(tensor) ? "a nested array. tfjs reads one as int32 bytes; make that tensor: km.tensor(values, undefined, 'int32')" : describeNonTensor(tensor);
    throw new Error(`${WHERE} draws a km.Tensor; received ${received}.`);
  }
  const { shape, dtype } = tensor;
  if (shape.length !== 2 && shape.length !== 3) {
    throw new Error(`${WHERE} draws a [height, width] or [height, width, channels] tensor; received shape [${shape.join(', ')}]. For a batch of images, draw one: t.slice([i], [1]).reshape(t.shape.slice(1)).`);
  }
  const [height, width] = shape;
  const depth = shape.length === 2 ? 1 : shape[2];
  if (depth !== 1 && depth !== 3 && depth !== 4) {
    throw new Error(`${WHERE} draws 1 (gray), 3 (RGB) or 4 (RGBA) channels; received shape [${shape.join(', ')}] with ${depth}. Give the image 1, 3 or 4 channels.`);
  }
  const values = await tensor.data();
  const [multiplier, max] = dtype === 'float32' ? [255, 1] : [1, 255];
  const bytes = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    bytes[i * 4 + 3] = 255;
    for (let d = 0; d < depth; d++) {
      const value = values[i * depth + d];
      if (!(value >= 0 && value <= max)) throw rangeError(value, dtype, i * depth + d, shape);
      const byte = Math.round(value * multiplier);
      if (depth === 1) bytes.fill(byte, i * 4, i * 4 + 3);
      else bytes[i * 4 + d] = byte;
    }
  }
  if (canvas !== undefined && canvas !== null) draw(bytes, width, height, canvas);
  return bytes;
}

/** The error for a value toPixels cannot draw: out of its dtype's range, or NaN. */
function rangeError(value: number, dtype: Tensor['dtype'], index: number, shape: readonly number[]): Error {
  const at = `[${location(index, shape).join(', ')}]`;
  if (Number.isNaN(value)) return new Error(`${WHERE}: the value at ${at} is NaN, which tfjs draws as 0 without a word. Replace the NaN values before drawing.`);
  if (dtype === 'int32') return new Error(`${WHERE}: an int32 tensor's values must be bytes in [0, 255], as in tfjs; received ${value} at ${at}. Clip or rescale them into 0..255 first.`);
  return new Error(
    `${WHERE}: a float32 tensor's values must be in [0, 1], as in tfjs; received ${value} at ${at}. Scale them into [0, 1] first: ` +
      "0..255 bytes, as km.browser.fromPixels gives them, divided by 255, km.tensor((await t.data()).map((v) => v / 255), t.shape), or drawn as int32, km.tensor(await t.data(), t.shape, 'int32').",
  );
}

/** The index of each axis of the `flat`-th value of a tensor of `shape`. */
function location(flat: number, shape: readonly number[]): number[] {
  const loc = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    loc[axis] = flat % shape[axis];
    flat = Math.floor(flat / shape[axis]);
  }
  return loc;
}

function draw(bytes: Uint8ClampedArray, width: number, height: number, canvas: HTMLCanvasElement | OffscreenCanvas): void {
  if (width === 0 || height === 0) throw new Error(`${WHERE}: a ${width}x${height} image (width x height) has no pixels to draw on the canvas. Give it at least one row and one column.`);
  if (typeof (canvas as { getContext?: unknown }).getContext !== 'function') {
    throw new Error(`${WHERE}: the second argument must be a canvas (an HTMLCanvasElement or OffscreenCanvas) to draw on; leave it out to get the bytes only.`);
  }
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (context === null) {
    throw new Error(`${WHERE}: the canvas already holds a WebGL or bitmap context, so it cannot take a 2D drawing. Pass a fresh canvas: document.createElement('canvas').`);
  }
  const image = context.createImageData(width, height);
  image.data.set(bytes);
  context.putImageData(image, 0, 0);
}
