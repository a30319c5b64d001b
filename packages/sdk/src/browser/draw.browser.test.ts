// km.browser.draw on real canvases in headless Chromium, read back with getImageData and checked
// against TensorFlow.js 4.22's tf.browser.draw on its CPU backend drawing the same tensor in the
// same page, and against RGBA bytes computed by testing/rgba_reference.ts put on a canvas of their own.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { expectedRgba } from '../testing/rgba_reference.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

type Canvas = HTMLCanvasElement | OffscreenCanvas;

const read = (c: Canvas) => Array.from((c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data);

/** What a canvas holds after `rgba` bytes are put on it: translucent pixels are stored premultiplied, so this is not always `rgba`. */
function canvasOf(rgba: number[], width: number, height: number): number[] {
  const canvas = document.createElement('canvas');
  [canvas.width, canvas.height] = [width, height];
  canvas.getContext('2d')!.putImageData(new ImageData(Uint8ClampedArray.from(rgba), width, height), 0, 0);
  return read(canvas);
}

/** Values in [0, 1]; an RGBA image's alpha channel kept at 1, so its pixels read back as they were put. */
const unit = (shape: number[]) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (shape[2] === 4 && i % 4 === 3 ? 1 : ((i * 37) % 511) / 510));
const bytes = (shape: number[]) => Int32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => (shape[2] === 4 && i % 4 === 3 ? 255 : (i * 53 + 7) % 256));
const SHAPES: number[][] = [[3, 5], [3, 5, 1], [3, 5, 3], [3, 5, 4], [17, 9, 3]];

describe('draw in Chromium, against tf.browser.draw', () => {
  it.each(SHAPES.map((s) => [JSON.stringify(s), s] as const))('%s, float32 and int32, on a canvas of another size', async (_, shape) => {
    for (const [values, dtype] of [[unit(shape), 'float32'], [bytes(shape), 'int32']] as const) {
      const [ours, theirs] = [document.createElement('canvas'), document.createElement('canvas')];
      const image = km.tensor(values, shape, dtype);
      km.browser.draw(image, ours);
      tf.browser.draw(tf.tensor(values, shape, dtype) as never, theirs);
      expect([ours.width, ours.height]).toEqual([shape[1], shape[0]]);
      expect(read(ours)).toEqual(read(theirs));
      expect(read(ours)).toEqual(expectedRgba(values, shape, dtype));
      expect(read(ours)).toEqual(Array.from(await km.browser.toPixels(image)));
    }
  });

  it('gray and RGB with alpha, read back premultiplied as tfjs draws them', () => {
    for (const shape of [[3, 5], [3, 5, 1], [17, 9, 3]]) {
      for (const alpha of [0.5, 0.2, 0.999]) {
        const [ours, theirs] = [document.createElement('canvas'), document.createElement('canvas')];
        km.browser.draw(km.tensor(unit(shape), shape), ours, { imageOptions: { alpha } });
        tf.browser.draw(tf.tensor(unit(shape), shape) as never, theirs, { imageOptions: { alpha } });
        expect(read(ours)).toEqual(read(theirs));
        expect(read(ours)).toEqual(canvasOf(expectedRgba(unit(shape), shape, 'float32', alpha), shape[1], shape[0]));
        expect(read(ours).filter((_, i) => i % 4 === 3)).toEqual(new Array(shape[0] * shape[1]).fill(Math.round(255 * alpha)));
      }
    }
  });

  it('alpha 0 leaves the pixels transparent (tfjs draws them opaque)', () => {
    const canvas = document.createElement('canvas');
    km.browser.draw(km.tensor(bytes([3, 5, 3]), [3, 5, 3], 'int32'), canvas, { imageOptions: { alpha: 0 } });
    expect(read(canvas)).toEqual(new Array(3 * 5 * 4).fill(0));
  });

  it('replaces what the canvas held, on an HTMLCanvasElement and an OffscreenCanvas, with contextAttributes', () => {
    const shape = [3, 5, 3];
    const [ours, theirs] = [document.createElement('canvas'), document.createElement('canvas')];
    for (const c of [ours, theirs]) {
      [c.width, c.height] = [5, 3];
      const context = c.getContext('2d')!;
      context.fillStyle = 'rgb(200, 100, 50)';
      context.fillRect(0, 0, 5, 3);
    }
    km.browser.draw(km.tensor(unit(shape), shape), ours, { imageOptions: { alpha: 0.5 } });
    tf.browser.draw(tf.tensor(unit(shape), shape) as never, theirs, { imageOptions: { alpha: 0.5 } });
    expect(read(ours)).toEqual(read(theirs));
    const offscreen = new OffscreenCanvas(1, 1);
    km.browser.draw(km.tensor(unit(shape), shape), offscreen, { contextOptions: { contextType: '2d', contextAttributes: { willReadFrequently: true } } });
    expect(read(offscreen)).toEqual(expectedRgba(unit(shape), shape, 'float32'));
  });
});

describe('draw errors in Chromium', () => {
  it('an <img> where the canvas belongs', () => {
    expect(() => km.browser.draw(km.zeros([2, 2]), new Image() as never)).toThrow(
      "km.browser.draw: the second argument must be a canvas (an HTMLCanvasElement or OffscreenCanvas) to draw on; received an HTMLImageElement. Pass one, e.g. document.querySelector('canvas'), or for the RGBA bytes without a canvas use await km.browser.toPixels(image).",
    );
  });

  it('a canvas holding a WebGL context, and contextType webgl', (context) => {
    const canvas = document.createElement('canvas');
    expect(() => km.browser.draw(km.zeros([2, 2]), canvas, { contextOptions: { contextType: 'webgl' } })).toThrow(`km.browser.draw draws through a '2d' canvas context; received contextType="webgl".`);
    if (canvas.getContext('webgl') === null) context.skip('no WebGL in this Chromium');
    expect(() => km.browser.draw(km.zeros([2, 2]), canvas)).toThrow("km.browser.draw: the canvas already holds a WebGL or bitmap context, so it cannot take a 2D drawing. Pass a fresh canvas: document.createElement('canvas').");
    expect([canvas.width, canvas.height]).toEqual([300, 150]);
  });

  it('a rank, depth or value it cannot draw leaves the canvas as it was', () => {
    const canvas = document.createElement('canvas');
    km.browser.draw(km.tensor(bytes([3, 5, 3]), [3, 5, 3], 'int32'), canvas);
    const before = read(canvas);
    expect(() => km.browser.draw(km.zeros([1, 3, 5, 3]), canvas)).toThrow('km.browser.draw draws a [height, width] or [height, width, channels] tensor; received shape [1, 3, 5, 3].');
    expect(() => km.browser.draw(km.zeros([3, 5, 2]), canvas)).toThrow('km.browser.draw draws 1 (gray), 3 (RGB) or 4 (RGBA) channels; received shape [3, 5, 2] with 2.');
    expect(() => km.browser.draw(km.fill([3, 5], 255), canvas)).toThrow("km.browser.draw: a float32 tensor's values must be in [0, 1], as in tfjs; received 255 at [0, 0].");
    expect(() => km.browser.draw(km.tensor([0, 300], [1, 2], 'int32'), canvas)).toThrow("an int32 tensor's values must be bytes in [0, 255], as in tfjs; received 300 at [0, 1].");
    expect([canvas.width, canvas.height]).toEqual([5, 3]);
    expect(read(canvas)).toEqual(before);
  });
});
