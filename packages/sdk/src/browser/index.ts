/**
 * `km.browser`: images to tensors and back, as TensorFlow.js' `tf.browser` does it: `fromPixels` of
 * a canvas, `<img>`, `<video>`, ImageBitmap or RGBA bytes, and `toPixels` and `draw` onto a canvas.
 */
export { draw, type ContextOptions, type DrawOptions, type ImageOptions } from './draw.js';
export { fromPixels, fromPixelsAsync } from './from_pixels.js';
export { toPixels } from './to_pixels.js';
export type { PixelData, PixelSource } from './pixel_source.js';
