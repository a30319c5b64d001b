// km.browser.draw in Node against TensorFlow.js 4.22's tf.browser.draw on its CPU backend, both
// drawing on a stand-in canvas that records the RGBA bytes put on it (tfjs also needs a stand-in
// ImageData class); an independent loop for what tfjs draws otherwise; errors naming the fix.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import { expectedRgba } from '../testing/rgba_reference.js';

beforeAll(() => tf.setBackend('cpu'));
afterEach(() => vi.unstubAllGlobals());

/** A canvas-like object (as node-canvas is) that records its size, the context asked for and the bytes put at (0, 0). */
function recordingCanvas() {
  const canvas = {
    width: 300,
    height: 150,
    asked: [] as unknown[][],
    drawn: null as Uint8ClampedArray | null,
    getContext(...args: unknown[]) {
      canvas.asked.push(args);
      return args[0] === '2d' ? context : null;
    },
  };
  const context = {
    createImageData: (width: number, height: number) => ({ data: new Uint8ClampedArray(width * height * 4), width, height }),
    putImageData: (image: { data: Uint8ClampedArray; width: number }, x: number, y: number) => {
      expect([x, y, image.width]).toEqual([0, 0, canvas.width]);
      canvas.drawn = Uint8ClampedArray.from(image.data);
    },
  };
  return canvas;
}

class ImageData {
  constructor(readonly data: Uint8ClampedArray, readonly width: number, readonly height: number) {}
}

/** What km.browser.draw and tf.browser.draw put on a canvas, with the canvas' size after. */
function drawnByBoth(values: Float32Array | Int32Array, shape: number[], dtype: 'float32' | 'int32', options?: km.browser.DrawOptions) {
  vi.stubGlobal('ImageData', ImageData);
  const [ours, theirs] = [recordingCanvas(), recordingCanvas()];
  km.browser.draw(km.tensor(values, shape, dtype), ours as never, options);
  tf.browser.draw(tf.tensor(values, shape, dtype) as never, theirs as never, options as never);
  return { ours, theirs };
}

/** Values in [0, 1], the ends and halfway bytes included. */
const unit = (n: number) => Float32Array.from({ length: n }, (_, i) => (i === 0 ? 0 : i === 1 ? 1 : ((i * 37) % 511) / 510));
const bytes = (n: number) => Int32Array.from({ length: n }, (_, i) => (i * 53 + 7) % 256);
const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const SHAPES: number[][] = [[3, 5], [3, 5, 1], [3, 5, 3], [3, 5, 4], [17, 9, 3], [1, 1, 4]];

describe('draw against tf.browser.draw', () => {
  it.each(SHAPES.map((s) => [JSON.stringify(s), s] as const))('float32 %s in [0, 1], opaque and with alpha', (_, shape) => {
    for (const options of [undefined, {}, { imageOptions: { alpha: 1 } }, ...(shape[2] === 4 ? [] : [{ imageOptions: { alpha: 0.5 } }, { imageOptions: { alpha: 0.3 }, contextOptions: { contextType: '2d' } }])]) {
      const { ours, theirs } = drawnByBoth(unit(sizeOf(shape)), shape, 'float32', options);
      expect([ours.width, ours.height]).toEqual([shape[1], shape[0]]);
      expect([theirs.width, theirs.height]).toEqual([shape[1], shape[0]]);
      expect(Array.from(ours.drawn!)).toEqual(Array.from(theirs.drawn!));
      expect(Array.from(ours.drawn!)).toEqual(expectedRgba(unit(sizeOf(shape)), shape, 'float32', options?.imageOptions?.alpha ?? 1));
    }
  });

  it.each(SHAPES.map((s) => [JSON.stringify(s), s] as const))('int32 %s in [0, 255], opaque and with alpha', (_, shape) => {
    for (const options of [undefined, ...(shape[2] === 4 ? [] : [{ imageOptions: { alpha: 0.25 } }, { imageOptions: { alpha: 0.999 } }])]) {
      const { ours, theirs } = drawnByBoth(bytes(sizeOf(shape)), shape, 'int32', options);
      expect(Array.from(ours.drawn!)).toEqual(Array.from(theirs.drawn!));
      expect(Array.from(ours.drawn!)).toEqual(expectedRgba(bytes(sizeOf(shape)), shape, 'int32', options?.imageOptions?.alpha ?? 1));
    }
  });

  it("draws the bytes toPixels gives, through getContext('2d', contextAttributes) as tfjs asks for it", async () => {
    const t = km.tensor(unit(17 * 9 * 3), [17, 9, 3]);
    const attributes = { willReadFrequently: true, alpha: false };
    const { ours, theirs } = drawnByBoth(unit(17 * 9 * 3), [17, 9, 3], 'float32', { contextOptions: { contextAttributes: attributes } });
    expect(ours.asked).toEqual([['2d', attributes]]);
    expect(theirs.asked).toEqual([['2d', attributes]]);
    expect(Array.from(ours.drawn!)).toEqual(Array.from(await km.browser.toPixels(t)));
  });

  it('alpha 0 draws transparent, where tfjs (alpha || 1) draws opaque', () => {
    const { ours, theirs } = drawnByBoth(unit(15), [3, 5], 'float32', { imageOptions: { alpha: 0 } });
    expect(Array.from(ours.drawn!)).toEqual(expectedRgba(unit(15), [3, 5], 'float32', 0));
    expect(Array.from(theirs.drawn!)).toEqual(expectedRgba(unit(15), [3, 5], 'float32', 1));
  });
});

describe('draw errors name the problem and the fix', () => {
  const canvas = () => recordingCanvas() as never;

  it('a rank, depth or value it cannot draw', () => {
    expect(() => km.browser.draw(km.zeros([4]), canvas())).toThrow('km.browser.draw draws a [height, width] or [height, width, channels] tensor; received shape [4].');
    expect(() => km.browser.draw(km.zeros([2, 3, 3, 3]), canvas())).toThrow('For a batch of images, draw one: t.slice([i], [1]).reshape(t.shape.slice(1)).');
    expect(() => km.browser.draw(km.zeros([2, 3, 2]), canvas())).toThrow('km.browser.draw draws 1 (gray), 3 (RGB) or 4 (RGBA) channels; received shape [2, 3, 2] with 2. Give the image 1, 3 or 4 channels.');
    expect(() => km.browser.draw(km.tensor([[0, 0.5], [1.5, 1]]), canvas())).toThrow(/^km\.browser\.draw: a float32 tensor's values must be in \[0, 1\], as in tfjs; received 1\.5 at \[1, 0\]\. Scale them into \[0, 1\] first/);
    expect(() => km.browser.draw(km.tensor([0, NaN], [1, 2]), canvas())).toThrow('km.browser.draw: the value at [0, 1] is NaN, which tfjs draws as 0 without a word. Replace the NaN values before drawing.');
    expect(() => km.browser.draw(km.tensor([0, 0, 0, 256], [1, 1, 4], 'int32'), canvas())).toThrow("km.browser.draw: an int32 tensor's values must be bytes in [0, 255], as in tfjs; received 256 at [0, 0, 3]. Clip or rescale them into 0..255 first.");
    // tfjs refuses these too, in vaguer words.
    vi.stubGlobal('ImageData', ImageData);
    expect(() => tf.browser.draw(tf.tensor2d([[0, 0.5], [1.5, 1]]), canvas())).toThrow('[0 - 1] but encountered 1.5');
    expect(() => tf.browser.draw(tf.zeros([2, 3, 2]) as tf.Tensor3D, canvas())).toThrow('depth of size 1, 3 or 4 but got 2');
  });

  it('a bad value leaves the canvas as it was', () => {
    const c = recordingCanvas();
    expect(() => km.browser.draw(km.tensor([0, 2], [1, 2]), c as never)).toThrow('received 2 at [0, 1]');
    expect([c.width, c.height, c.drawn]).toEqual([300, 150, null]);
  });

  it('something other than a km.Tensor', () => {
    expect(() => km.browser.draw([[0, 255]] as never, canvas())).toThrow("km.browser.draw draws a km.Tensor; received a nested array. tfjs reads one as int32 bytes; make that tensor: km.tensor(values, undefined, 'int32').");
    expect(() => km.browser.draw(tf.zeros([2, 2]) as never, canvas())).toThrow('km.browser.draw draws a km.Tensor; received a TensorFlow.js tensor of shape [2, 2]. Make a km.Tensor of it');
  });

  it('no canvas, as in Node without a DOM, or something else in its place', () => {
    expect(typeof document).toBe('undefined');
    const fix = "Pass one, e.g. document.querySelector('canvas'), or for the RGBA bytes without a canvas use await km.browser.toPixels(image).";
    expect(() => km.browser.draw(km.zeros([2, 2]), undefined as never)).toThrow(`km.browser.draw: the second argument must be a canvas (an HTMLCanvasElement or OffscreenCanvas) to draw on; received undefined. ${fix}`);
    expect(() => km.browser.draw(km.zeros([2, 2]), null as never)).toThrow('to draw on; received null.');
    expect(() => km.browser.draw(km.zeros([2, 2]), { width: 2, height: 2 } as never)).toThrow('to draw on; received an object with keys [width, height].');
    expect(() => km.browser.draw(km.zeros([2, 2]), '#canvas' as never)).toThrow('to draw on; received string.');
  });

  it('a canvas holding another context, and an image without pixels', () => {
    const webgl = { width: 1, height: 1, getContext: () => null };
    expect(() => km.browser.draw(km.zeros([2, 2]), webgl as never)).toThrow("km.browser.draw: the canvas already holds a WebGL or bitmap context, so it cannot take a 2D drawing. Pass a fresh canvas: document.createElement('canvas').");
    expect(() => km.browser.draw(km.zeros([0, 2]), canvas())).toThrow('km.browser.draw: a 2x0 image (width x height) has no pixels to draw on the canvas.');
  });

  it('alpha outside [0, 1], or on an RGBA image', () => {
    for (const alpha of [1.5, -0.1, NaN]) {
      expect(() => km.browser.draw(km.zeros([2, 2]), canvas(), { imageOptions: { alpha } })).toThrow(`km.browser.draw: imageOptions.alpha must be a number in [0, 1], 0 transparent and 1 (the default) opaque. Received: alpha=${alpha}.`);
    }
    expect(() => km.browser.draw(km.zeros([2, 2]), canvas(), { imageOptions: { alpha: '0.5' as never } })).toThrow("Received: alpha='0.5'.");
    expect(() => km.browser.draw(km.zeros([2, 2, 4]), canvas(), { imageOptions: { alpha: 0.5 } })).toThrow(
      'km.browser.draw: imageOptions.alpha sets the alpha of a gray or RGB image, but this one has 4 channels, RGBA, whose 4th is drawn as its alpha (tfjs ignores the option here). Drop imageOptions.alpha, or scale the image\'s alpha channel. Received: alpha=0.5.',
    );
    expect(() => tf.browser.draw(tf.zeros([2, 2]) as tf.Tensor2D, canvas(), { imageOptions: { alpha: 1.5 } })).toThrow('Alpha value 1.5 is suppoed to be in range [0 - 1].');
  });

  it("a context type other than '2d'", () => {
    for (const contextType of ['webgl', 'webgl2', 'webgpu', 'bitmaprenderer']) {
      expect(() => km.browser.draw(km.zeros([2, 2]), canvas(), { contextOptions: { contextType } })).toThrow(
        `km.browser.draw draws through a '2d' canvas context; received contextType="${contextType}". kerasm's tensors hold their values in host memory, so there is no GPU texture for a 'webgl' or 'webgpu' context to show (tfjs' WebGPU backend draws its own that way). Leave contextType out, or pass '2d'.`,
      );
    }
    vi.stubGlobal('ImageData', ImageData);
    expect(() => tf.browser.draw(tf.zeros([2, 2]) as tf.Tensor2D, canvas(), { contextOptions: { contextType: 'webgl' } })).toThrow('Context type webgl is not supported by the CPU backend.');
  });

  it('options misplaced, misspelt or of the wrong type', () => {
    expect(() => km.browser.draw(km.zeros([2, 2]), canvas(), { alpha: 0.5 } as never)).toThrow('km.browser.draw: alpha belongs in options.imageOptions, as in tfjs. Pass { imageOptions: { alpha: 0.5 } }.');
    expect(() => km.browser.draw(km.zeros([2, 2]), canvas(), { contextType: '2d' } as never)).toThrow('km.browser.draw: contextType belongs in options.contextOptions, as in tfjs. Pass { contextOptions: { contextType: "2d" } }.');
    expect(() => km.browser.draw(km.zeros([2, 2]), canvas(), { imageOption: {} } as never)).toThrow("km.browser.draw has no option 'imageOption'; did you mean 'imageOptions'? Its options are: imageOptions, contextOptions.");
    expect(() => km.browser.draw(km.zeros([2, 2]), canvas(), { imageOptions: { alhpa: 0.5 } } as never)).toThrow("km.browser.draw imageOptions has no option 'alhpa'; did you mean 'alpha'?");
    expect(() => km.browser.draw(km.zeros([2, 2]), canvas(), 0.5 as never)).toThrow('km.browser.draw takes an options object such as { imageOptions: ... }. Received: number.');
    expect(() => km.browser.draw(km.zeros([2, 2]), canvas(), { contextOptions: { contextAttributes: 'alpha' } } as never)).toThrow(
      'km.browser.draw: contextOptions.contextAttributes must be the 2D context\'s settings, an object such as { willReadFrequently: true }. Received: contextAttributes="alpha".',
    );
  });
});
