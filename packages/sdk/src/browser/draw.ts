import type { Tensor } from '../tensor.js';
import { checkOptions } from '../utils/options.js';
import { imageSize, isCanvas, putRgba, rgbaBytes, type DrawTarget, type ImageSize } from './image_rgba.js';
import { describeObject } from './pixel_source.js';

const WHERE = 'km.browser.draw';

/** How the image's values are drawn: TensorFlow.js' `ImageOptions`. */
export interface ImageOptions {
  /** The alpha, in [0, 1], of a gray or RGB image (1, the default, is opaque); an RGBA image has its own. */
  alpha?: number;
}

/** The canvas context drawn through: TensorFlow.js' `ContextOptions`. */
export interface ContextOptions {
  /** `'2d'`, the only one kerasm draws through (tfjs' WebGPU backend also takes `'webgpu'`). */
  contextType?: string;
  /** The settings the 2D context is made with, e.g. `{ willReadFrequently: true }`; no effect if the canvas already has one. */
  contextAttributes?: CanvasRenderingContext2DSettings | WebGLContextAttributes;
}

/** The options of {@link draw}, as TensorFlow.js' `DrawOptions`. */
export interface DrawOptions {
  imageOptions?: ImageOptions;
  contextOptions?: ContextOptions;
}

/** Where each option of tfjs' nested ones belongs, for the error when one is passed at the top. */
const NESTED: Readonly<Record<string, keyof DrawOptions>> = { alpha: 'imageOptions', contextType: 'contextOptions', contextAttributes: 'contextOptions' };

/**
 * Draws an image tensor on a canvas, as TensorFlow.js' `tf.browser.draw` does on its CPU backend,
 * through the canvas' 2D context: the canvas is sized to the image and its pixels are replaced
 * (not blended) with the image's. A float32 tensor holds values in [0, 1], an int32 one bytes
 * 0..255; a value outside, or NaN, is an error naming it. `[height, width]` and
 * `[height, width, 1]` draw gray and `[height, width, 3]` RGB, both with `imageOptions.alpha`
 * (default 1, opaque); `[height, width, 4]` draws RGBA. The pixels are the bytes
 * `km.browser.toPixels` gives, with that alpha. Values a tfjs WebGPU backend computed must be read
 * first (`await t.data()`), as it refuses synchronous reads.
 *
 * Differences from tfjs: `alpha: 0` draws transparent (tfjs' `alpha || 1` draws it opaque); alpha
 * on an RGBA image, which tfjs ignores, and a context type other than `'2d'` (tfjs' WebGPU backend
 * draws its own GPU textures through `'webgpu'`; kerasm's values are in host memory) are errors.
 *
 * @param image `[height, width]` or `[height, width, 1 | 3 | 4]`, float32 in [0, 1] or int32 in [0, 255].
 * @param canvas An HTMLCanvasElement or OffscreenCanvas without a WebGL or bitmap context.
 * @param options `imageOptions.alpha`, and `contextOptions` for the 2D context.
 * @example
 * ```ts
 * // A 28x28 gray gradient in [0, 1], as a model's [28, 28, 1] output would be.
 * const gray = km.tensor(Float32Array.from({ length: 28 * 28 }, (_, i) => (i % 28) / 27), [28, 28, 1]);
 * const canvas = document.querySelector('canvas')!;
 * km.browser.draw(gray, canvas);
 * // int32 RGB bytes (a red and a blue pixel) at half opacity, over what the page shows beneath the canvas.
 * km.browser.draw(km.tensor([255, 0, 0, 0, 0, 255], [1, 2, 3], 'int32'), canvas, { imageOptions: { alpha: 0.5 } });
 * ```
 */
export function draw(image: Tensor, canvas: DrawTarget, options?: DrawOptions): void {
  const size = imageSize(image, WHERE);
  const { alpha, contextAttributes } = drawOptions(options, size);
  if (!isCanvas(canvas)) {
    throw new Error(
      `${WHERE}: the second argument must be a canvas (an HTMLCanvasElement or OffscreenCanvas) to draw on; received ${describeObject(canvas)}. ` +
        'Pass one, e.g. document.querySelector(\'canvas\'), or for the RGBA bytes without a canvas use await km.browser.toPixels(image).',
    );
  }
  putRgba(rgbaBytes(image.dataSync(), image, size, Math.round(alpha * 255), WHERE), size, canvas, WHERE, contextAttributes as CanvasRenderingContext2DSettings | undefined);
}

/** The alpha and context settings `options` asks for, or an error naming the option that is wrong and the fix. */
function drawOptions(options: DrawOptions | undefined, { depth }: ImageSize): { alpha: number; contextAttributes?: object } {
  if (options === undefined || options === null) return { alpha: 1 };
  if (typeof options === 'object') {
    const misplaced = Object.keys(options).find((key) => key in NESTED);
    if (misplaced) {
      const value = JSON.stringify((options as Record<string, unknown>)[misplaced]);
      throw new Error(`${WHERE}: ${misplaced} belongs in options.${NESTED[misplaced]}, as in tfjs. Pass { ${NESTED[misplaced]}: { ${misplaced}: ${value} } }.`);
    }
  }
  checkOptions(options, ['imageOptions', 'contextOptions'], WHERE);
  const { imageOptions = {}, contextOptions = {} } = options;
  checkOptions(imageOptions, ['alpha'], `${WHERE} imageOptions`);
  checkOptions(contextOptions, ['contextType', 'contextAttributes'], `${WHERE} contextOptions`);
  const alpha = imageOptions.alpha ?? 1;
  if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) {
    throw new Error(`${WHERE}: imageOptions.alpha must be a number in [0, 1], 0 transparent and 1 (the default) opaque. Received: alpha=${typeof alpha === 'string' ? `'${alpha}'` : String(alpha)}.`);
  }
  if (depth === 4 && alpha !== 1) {
    throw new Error(
      `${WHERE}: imageOptions.alpha sets the alpha of a gray or RGB image, but this one has 4 channels, RGBA, whose 4th is drawn as its alpha (tfjs ignores the option here). ` +
        `Drop imageOptions.alpha, or scale the image's alpha channel. Received: alpha=${alpha}.`,
    );
  }
  const { contextType, contextAttributes } = contextOptions;
  if (contextType !== undefined && contextType !== '2d') {
    throw new Error(
      `${WHERE} draws through a '2d' canvas context; received contextType=${JSON.stringify(contextType)}. kerasm's tensors hold their values in host memory, ` +
        "so there is no GPU texture for a 'webgl' or 'webgpu' context to show (tfjs' WebGPU backend draws its own that way). Leave contextType out, or pass '2d'.",
    );
  }
  if (contextAttributes !== undefined && (typeof contextAttributes !== 'object' || contextAttributes === null || Array.isArray(contextAttributes))) {
    throw new Error(`${WHERE}: contextOptions.contextAttributes must be the 2D context's settings, an object such as { willReadFrequently: true }. Received: contextAttributes=${JSON.stringify(contextAttributes)}.`);
  }
  return { alpha, contextAttributes };
}
