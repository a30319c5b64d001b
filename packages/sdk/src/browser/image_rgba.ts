// An image tensor's RGBA bytes, as TensorFlow.js' toPixels and its CPU Draw kernel make them, and
// putting them on a 2D canvas: what km.browser.toPixels and km.browser.draw share. `where` names
// the calling function in each error.
import { describeNonTensor } from '../engine/foreign_values.js';
import { Tensor } from '../tensor.js';

/** A canvas to draw on; its `getContext('2d')` is what both functions use. */
export type DrawTarget = HTMLCanvasElement | OffscreenCanvas;

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** The size of an image tensor and its number of channels. */
export interface ImageSize {
  height: number;
  width: number;
  depth: 1 | 3 | 4;
}

/** The size of `tensor`, or an error naming what keeps it from being drawn: not a km.Tensor, its rank or its depth. */
export function imageSize(tensor: unknown, where: string): ImageSize {
  if (!(tensor instanceof Tensor)) {
    const received = Array.isArray(tensor) ? "a nested array. tfjs reads one as int32 bytes; make that tensor: km.tensor(values, undefined, 'int32')" : describeNonTensor(tensor);
    throw new Error(`${where} draws a km.Tensor; received ${received}.`);
  }
  const { shape } = tensor;
  if (shape.length !== 2 && shape.length !== 3) {
    throw new Error(`${where} draws a [height, width] or [height, width, channels] tensor; received shape [${shape.join(', ')}]. For a batch of images, draw one: t.slice([i], [1]).reshape(t.shape.slice(1)).`);
  }
  const depth = shape.length === 2 ? 1 : shape[2];
  if (depth !== 1 && depth !== 3 && depth !== 4) {
    throw new Error(`${where} draws 1 (gray), 3 (RGB) or 4 (RGBA) channels; received shape [${shape.join(', ')}] with ${depth}. Give the image 1, 3 or 4 channels.`);
  }
  return { height: shape[0], width: shape[1], depth };
}

/**
 * The RGBA bytes of an image tensor's `values`, row by row: a float32 value in [0, 1] becomes
 * `Math.round(value * 255)`, an int32 one in [0, 255] stays as it is; one channel is gray, and
 * an image without an alpha channel gets `alphaByte`. A value outside, or NaN, is an error naming it.
 */
export function rgbaBytes(values: ArrayLike<number>, tensor: Tensor, { height, width, depth }: ImageSize, alphaByte: number, where: string): Uint8ClampedArray {
  const [multiplier, max] = tensor.dtype === 'float32' ? [255, 1] : [1, 255];
  const bytes = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    bytes[i * 4 + 3] = alphaByte;
    for (let d = 0; d < depth; d++) {
      const value = values[i * depth + d];
      if (!(value >= 0 && value <= max)) throw rangeError(value, tensor, i * depth + d, where);
      const byte = Math.round(value * multiplier);
      if (depth === 1) bytes.fill(byte, i * 4, i * 4 + 3);
      else bytes[i * 4 + d] = byte;
    }
  }
  return bytes;
}

/** The error for a value that cannot be drawn: out of its dtype's range, or NaN. */
function rangeError(value: number, { dtype, shape }: Tensor, index: number, where: string): Error {
  const at = `[${location(index, shape).join(', ')}]`;
  if (Number.isNaN(value)) return new Error(`${where}: the value at ${at} is NaN, which tfjs draws as 0 without a word. Replace the NaN values before drawing.`);
  if (dtype === 'int32') return new Error(`${where}: an int32 tensor's values must be bytes in [0, 255], as in tfjs; received ${value} at ${at}. Clip or rescale them into 0..255 first.`);
  return new Error(
    `${where}: a float32 tensor's values must be in [0, 1], as in tfjs; received ${value} at ${at}. Scale them into [0, 1] first: ` +
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

/** Whether `value` is something with a `getContext` to draw through: a canvas, an OffscreenCanvas or a node-canvas. */
export function isCanvas(value: unknown): value is DrawTarget {
  return typeof value === 'object' && value !== null && typeof (value as { getContext?: unknown }).getContext === 'function';
}

/**
 * Puts `bytes` on `canvas`'s 2D context (made with `attributes` if the canvas has none yet), after
 * sizing the canvas to the image, as tfjs does. Errors for an image without pixels and a canvas
 * holding another kind of context.
 */
export function putRgba(bytes: Uint8ClampedArray, { width, height }: ImageSize, canvas: DrawTarget, where: string, attributes?: CanvasRenderingContext2DSettings): void {
  if (width === 0 || height === 0) throw new Error(`${where}: a ${width}x${height} image (width x height) has no pixels to draw on the canvas. Give it at least one row and one column.`);
  const context = canvas.getContext('2d', attributes) as Context2D | null;
  if (context === null) {
    throw new Error(`${where}: the canvas already holds a WebGL or bitmap context, so it cannot take a 2D drawing. Pass a fresh canvas: document.createElement('canvas').`);
  }
  canvas.width = width;
  canvas.height = height;
  const image = context.createImageData(width, height);
  image.data.set(bytes);
  context.putImageData(image, 0, 0);
}
