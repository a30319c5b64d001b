// km.browser.fromPixels and toPixels on real canvases, images and bitmaps in headless Chromium,
// checked against the pixels drawn and against TensorFlow.js 4.22 reading the same sources.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

const [WIDTH, HEIGHT] = [5, 3];

/** Opaque RGBA bytes (premultiplied alpha would round translucent ones), different in each pixel. */
const RGBA = Uint8ClampedArray.from({ length: WIDTH * HEIGHT * 4 }, (_, i) => (i % 4 === 3 ? 255 : (i * 47 + 9) % 256));

/** The first `channels` of each pixel of RGBA, as fromPixels should give them. */
const channelsOf = (rgba: ArrayLike<number>, channels: number) => Array.from(rgba).filter((_, i) => i % 4 < channels);

const values = (t: km.Tensor | tf.Tensor) => Array.from(t.dataSync() as ArrayLike<number>);

/** A WIDTH x HEIGHT canvas holding RGBA, a fillRect over part of it. */
function drawnCanvas(): { canvas: HTMLCanvasElement; expected: Uint8ClampedArray } {
  const canvas = document.createElement('canvas');
  [canvas.width, canvas.height] = [WIDTH, HEIGHT];
  const context = canvas.getContext('2d')!;
  context.putImageData(new ImageData(RGBA.slice(), WIDTH, HEIGHT), 0, 0);
  context.fillStyle = 'rgb(200, 100, 50)';
  context.fillRect(1, 1, 2, 2);
  const expected = RGBA.slice();
  for (const [x, y] of [[1, 1], [2, 1], [1, 2], [2, 2]]) expected.set([200, 100, 50, 255], (y * WIDTH + x) * 4);
  return { canvas, expected };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

describe('fromPixels in Chromium', () => {
  it('a canvas drawn with putImageData and fillRect, as drawn and as tfjs reads it', () => {
    const { canvas, expected } = drawnCanvas();
    for (const channels of [1, 3, 4]) {
      const t = km.browser.fromPixels(canvas, channels);
      expect(t.shape).toEqual([HEIGHT, WIDTH, channels]);
      expect(values(t)).toEqual(channelsOf(expected, channels));
      expect(values(t)).toEqual(values(tf.browser.fromPixels(canvas, channels)));
    }
  });

  it('an OffscreenCanvas and an ImageData', () => {
    const offscreen = new OffscreenCanvas(WIDTH, HEIGHT);
    offscreen.getContext('2d')!.putImageData(new ImageData(RGBA.slice(), WIDTH, HEIGHT), 0, 0);
    expect(values(km.browser.fromPixels(offscreen, 4))).toEqual(Array.from(RGBA));
    const image = new ImageData(RGBA.slice(), WIDTH, HEIGHT);
    expect(values(km.browser.fromPixels(image))).toEqual(values(tf.browser.fromPixels(image)));
  });

  it('an ImageBitmap from createImageBitmap', async () => {
    const { canvas, expected } = drawnCanvas();
    const bitmap = await createImageBitmap(canvas);
    expect(values(km.browser.fromPixels(bitmap, 4))).toEqual(Array.from(expected));
    expect(values(km.browser.fromPixels(bitmap))).toEqual(values(tf.browser.fromPixels(bitmap)));
    bitmap.close();
    expect(() => km.browser.fromPixels(bitmap)).toThrow('km.browser.fromPixels: the ImageBitmap is 0x0 pixels, so there is nothing to read; it was closed (bitmap.close()) or made from an empty image');
  });

  it("an <img> loaded from the canvas' PNG data: URL; fromPixelsAsync waits for one still loading", async () => {
    const { canvas, expected } = drawnCanvas();
    const url = canvas.toDataURL('image/png');
    const loading = new Image();
    loading.src = url;
    const waited = await km.browser.fromPixelsAsync(loading, 3);
    expect(values(waited)).toEqual(channelsOf(expected, 3));
    const img = new Image();
    img.src = url;
    await img.decode();
    expect(values(km.browser.fromPixels(img, 4))).toEqual(Array.from(expected));
    expect(values(km.browser.fromPixels(img, 1))).toEqual(values(tf.browser.fromPixels(img, 1)));
  });

  it('a canvas holding a WebGL context is read by drawing it', (context) => {
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [WIDTH, HEIGHT];
    const gl = canvas.getContext('webgl', { preserveDrawingBuffer: true });
    if (gl === null) context.skip('no WebGL in this Chromium');
    gl!.clearColor(0.2, 0.4, 0.6, 1);
    gl!.clear(gl!.COLOR_BUFFER_BIT);
    const t = km.browser.fromPixels(canvas, 4);
    expect(values(t)).toEqual(Array.from({ length: WIDTH * HEIGHT }, () => [51, 102, 153, 255]).flat());
  });

  it('an <img> without src and a <video> without a frame name the fix', () => {
    expect(() => km.browser.fromPixels(new Image())).toThrow('km.browser.fromPixels: the <img> has no pixels (naturalWidth is 0): it has no src; set img.src.');
    expect(() => km.browser.fromPixels(document.createElement('video'))).toThrow("km.browser.fromPixels: the <video> has no frame yet (readyState 0). Wait until it has one: await new Promise((resolve) => video.addEventListener('loadeddata', resolve");
    const empty = document.createElement('canvas');
    empty.width = 0;
    expect(() => km.browser.fromPixels(empty)).toThrow('km.browser.fromPixels: the canvas is 0x150 pixels, so there is nothing to read');
  });
});

describe('toPixels in Chromium', () => {
  it('draws int32 RGB onto a canvas sized to it, read back with getImageData', async () => {
    const rgb = channelsOf(RGBA, 3);
    const canvas = document.createElement('canvas');
    const bytes = await km.browser.toPixels(km.tensor(Int32Array.from(rgb), [HEIGHT, WIDTH, 3]), canvas);
    expect([canvas.width, canvas.height]).toEqual([WIDTH, HEIGHT]);
    const drawn = canvas.getContext('2d')!.getImageData(0, 0, WIDTH, HEIGHT).data;
    expect(Array.from(drawn)).toEqual(Array.from(RGBA));
    expect(Array.from(bytes)).toEqual(Array.from(RGBA));
  });

  it('draws float32 gray as tfjs draws it, on a canvas and an OffscreenCanvas', async () => {
    const gray = Float32Array.from({ length: WIDTH * HEIGHT }, (_, i) => i / (WIDTH * HEIGHT - 1));
    const [ours, theirs] = [document.createElement('canvas'), document.createElement('canvas')];
    await km.browser.toPixels(km.tensor(gray, [HEIGHT, WIDTH]), ours);
    await tf.browser.toPixels(tf.tensor2d(gray, [HEIGHT, WIDTH]), theirs);
    const read = (c: HTMLCanvasElement | OffscreenCanvas) => Array.from((c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, WIDTH, HEIGHT).data);
    expect(read(ours)).toEqual(read(theirs));
    const offscreen = new OffscreenCanvas(1, 1);
    await km.browser.toPixels(km.tensor(gray, [HEIGHT, WIDTH, 1]), offscreen);
    expect(read(offscreen)).toEqual(read(theirs));
  });
});
