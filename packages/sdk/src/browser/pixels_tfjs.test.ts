// km.browser.fromPixels and toPixels in Node against TensorFlow.js 4.22's tf.browser functions on
// its CPU backend: the same values for RGBA bytes, ImageData and a canvas-like object; the same
// bytes from toPixels; and an error naming the fix where tfjs is vague or silent.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';

beforeAll(() => tf.setBackend('cpu'));
afterEach(() => vi.unstubAllGlobals());

/** width*height*4 bytes covering 0..255, different for each size. */
function rgbaBytes(width: number, height: number): Uint8Array {
  return Uint8Array.from({ length: width * height * 4 }, (_, i) => (i * 97 + width * 13 + height) % 256);
}

const values = (t: km.Tensor | tf.Tensor) => Array.from(t.dataSync() as ArrayLike<number>);
const SIZES = [[1, 1], [3, 5], [17, 9]] as const;

describe('fromPixels against tf.browser.fromPixels', () => {
  it.each(SIZES)('{ width: %i, height: %i, data: Uint8Array } with 1 to 4 channels and the default', (width, height) => {
    const pixels = { width, height, data: rgbaBytes(width, height) };
    for (const channels of [1, 2, 3, 4, undefined]) {
      const ours = km.browser.fromPixels(pixels, channels);
      const theirs = tf.browser.fromPixels(pixels, channels);
      expect(ours.shape).toEqual(theirs.shape);
      expect(ours.shape).toEqual([height, width, channels ?? 3]);
      expect(ours.dtype).toBe('float32');
      expect(theirs.dtype).toBe('int32');
      expect(values(ours)).toEqual(values(theirs));
    }
  });

  it.each(SIZES)('an ImageData of %ix%i (tfjs given a stand-in ImageData class)', (width, height) => {
    class ImageData {
      constructor(readonly data: Uint8ClampedArray, readonly width: number, readonly height: number) {}
    }
    vi.stubGlobal('ImageData', ImageData);
    const image = new ImageData(new Uint8ClampedArray(rgbaBytes(width, height)), width, height);
    for (const channels of [1, 3, 4]) {
      expect(values(km.browser.fromPixels(image as never, channels))).toEqual(values(tf.browser.fromPixels(image as never, channels)));
    }
  });

  it('a canvas-like object (node-canvas) is read through getContext("2d").getImageData', () => {
    const [width, height] = [17, 9];
    const data = new Uint8ClampedArray(rgbaBytes(width, height));
    const canvas = { width, height, getContext: (kind: string) => (kind === '2d' ? { getImageData: (x: number, y: number, w: number, h: number) => ({ data: x === 0 && y === 0 && w === width && h === height ? data : null }) } : null) };
    for (const channels of [1, 3, 4]) {
      const ours = km.browser.fromPixels(canvas as never, channels);
      expect(ours.shape).toEqual([height, width, channels]);
      expect(values(ours)).toEqual(values(tf.browser.fromPixels(canvas as never, channels)));
    }
  });

  it('fromPixelsAsync gives what fromPixels gives', async () => {
    const pixels = { width: 3, height: 5, data: rgbaBytes(3, 5) };
    for (const channels of [1, 3, 4]) {
      expect(values(await km.browser.fromPixelsAsync(pixels, channels))).toEqual(values(tf.browser.fromPixels(pixels, channels)));
    }
  });

  it("its float32 bytes feed resizing and rescaling layers, the TSDoc example's drawing-pad path", () => {
    const gray = { width: 56, height: 56, data: new Uint8Array(56 * 56 * 4).fill(51) };
    const pixels = km.browser.fromPixels(gray, 1);
    const batch = pixels.reshape([1, ...pixels.shape]);
    const input = km.layers.rescaling({ scale: 1 / 255 }).apply(km.layers.resizing({ height: 28, width: 28 }).apply(batch));
    expect(input.shape).toEqual([1, 28, 28, 1]);
    for (const v of input.dataSync()) expect(v).toBeCloseTo(0.2, 6);
  });
});

describe('toPixels against tf.browser.toPixels', () => {
  /** Values in [0, 1], the ends and halfway bytes included. */
  const unit = (n: number) => Float32Array.from({ length: n }, (_, i) => (i === 0 ? 0 : i === 1 ? 1 : ((i * 37) % 511) / 510));
  const bytes = (n: number) => Int32Array.from({ length: n }, (_, i) => (i * 53 + 7) % 256);
  const SHAPES: number[][] = [[3, 5], [3, 5, 1], [3, 5, 3], [3, 5, 4], [17, 9, 3], [1, 1, 4]];

  it.each(SHAPES.map((s) => [JSON.stringify(s), s] as const))('float32 %s in [0, 1]', async (_, shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const ours = await km.browser.toPixels(km.tensor(unit(n), shape));
    const theirs = await tf.browser.toPixels(tf.tensor(unit(n), shape) as never);
    expect(ours).toBeInstanceOf(Uint8ClampedArray);
    expect(ours.length).toBe(shape[0] * shape[1] * 4);
    expect(Array.from(ours)).toEqual(Array.from(theirs));
  });

  it.each(SHAPES.map((s) => [JSON.stringify(s), s] as const))('int32 %s in [0, 255]', async (_, shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const ours = await km.browser.toPixels(km.tensor(bytes(n), shape, 'int32'));
    const theirs = await tf.browser.toPixels(tf.tensor(bytes(n), shape, 'int32') as never);
    expect(Array.from(ours)).toEqual(Array.from(theirs));
  });

  it('draws on a canvas, sized to the image, the bytes it returns', async () => {
    let drawn: { data: Uint8ClampedArray; width: number; height: number } | null = null;
    const context = {
      createImageData: (width: number, height: number) => ({ data: new Uint8ClampedArray(width * height * 4), width, height }),
      putImageData: (image: typeof drawn, x: number, y: number) => {
        expect([x, y]).toEqual([0, 0]);
        drawn = image;
      },
    };
    const canvas = { width: 300, height: 150, getContext: (kind: string) => (kind === '2d' ? context : null) };
    const result = await km.browser.toPixels(km.tensor(bytes(17 * 9 * 3), [9, 17, 3], 'int32'), canvas as never);
    expect([canvas.width, canvas.height]).toEqual([17, 9]);
    expect(drawn!.width).toBe(17);
    expect(Array.from(drawn!.data)).toEqual(Array.from(result));
  });

  it("fromPixels' bytes draw back to the same RGBA once scaled by 1/255 or made int32, as the error says", async () => {
    const source = { width: 3, height: 5, data: rgbaBytes(3, 5) };
    const t = km.browser.fromPixels(source, 4);
    await expect(km.browser.toPixels(t)).rejects.toThrow(/divided by 255, km\.tensor\(\(await t\.data\(\)\)\.map\(\(v\) => v \/ 255\), t\.shape\)/);
    const scaled = km.tensor((await t.data()).map((v) => v / 255), t.shape);
    expect(Array.from(await km.browser.toPixels(scaled))).toEqual(Array.from(source.data));
    expect(Array.from(await km.browser.toPixels(km.tensor(await t.data(), t.shape, 'int32')))).toEqual(Array.from(source.data));
  });
});

describe('errors name the problem and the fix', () => {
  const pixels = { width: 3, height: 5, data: rgbaBytes(3, 5) };

  it('numChannels other than 1 to 4', async () => {
    for (const bad of [0, 5, 3.5, '3']) {
      expect(() => km.browser.fromPixels(pixels, bad as never)).toThrow(`km.browser.fromPixels: numChannels must be 1 (red, for a gray image), 2 (red and green), 3 (RGB) or 4 (RGBA); received ${bad}. Pass one of those.`);
    }
    await expect(km.browser.fromPixelsAsync(pixels, 5)).rejects.toThrow(/^km\.browser\.fromPixelsAsync: numChannels must be 1/);
  });

  it('something that is no image', () => {
    expect(() => km.browser.fromPixels(null as never)).toThrow(/^km\.browser\.fromPixels takes an image .*; received null\.$/);
    expect(() => km.browser.fromPixels(7 as never)).toThrow(/; received number\.$/);
    expect(() => km.browser.fromPixels({ src: 'x.png' } as never)).toThrow(/; received an object with keys \[src\]\. Draw other images onto a canvas first and pass the canvas\.$/);
    expect(() => km.browser.fromPixels(new Map() as never)).toThrow(/; received a Map\./);
    expect(() => km.browser.fromPixels(km.zeros([2, 2, 3]) as never)).toThrow('km.browser.fromPixels reads images, and received a tensor, which already holds values: use it as it is');
  });

  it('RGBA bytes of the wrong type, size or length', () => {
    expect(() => km.browser.fromPixels({ width: 1, height: 1, data: new Float32Array(4) } as never)).toThrow(
      'km.browser.fromPixels: { width, height, data } needs data as a Uint8Array or Uint8ClampedArray of RGBA bytes; received a Float32Array. Values that are not RGBA bytes make a tensor directly: km.tensor(values, [height, width, channels]).',
    );
    expect(() => km.browser.fromPixels({ width: 0, height: 1, data: new Uint8Array(0) })).toThrow('needs width and height as positive integers; received width=0, height=1.');
    expect(() => km.browser.fromPixels({ width: 3, height: 5, data: new Uint8Array(45) })).toThrow(
      'a 3x5 image has 60 RGBA bytes (4 per pixel), but data holds 45. They look like RGB bytes (3 per pixel): make the tensor of them directly, km.tensor(data, [5, 3, 3]).',
    );
    expect(() => km.browser.fromPixels({ width: 3, height: 5, data: new Uint8Array(61) })).toThrow('but data holds 61. Check width, height and that data holds 4 bytes per pixel.');
  });

  it('an <img> still loading, or without pixels', () => {
    expect(() => km.browser.fromPixels({ naturalWidth: 0, complete: false, width: 0, height: 0, src: 'digit.png' } as never)).toThrow(
      'km.browser.fromPixels: the <img> has not finished loading (complete is false), so it has no pixels yet. Wait for it first, await img.decode() or its load event, or use await km.browser.fromPixelsAsync(img), which waits.',
    );
    expect(() => km.browser.fromPixels({ naturalWidth: 0, complete: true, width: 0, height: 0, src: '' } as never)).toThrow('the <img> has no pixels (naturalWidth is 0): it has no src; set img.src.');
    expect(() => km.browser.fromPixels({ naturalWidth: 0, complete: true, width: 0, height: 0, src: 'http://x/missing.png' } as never)).toThrow(
      "its src failed to load or is not an image; check img.src ('http://x/missing.png').",
    );
  });

  it('fromPixelsAsync waits for an <img> to load, then reports how it ended', async () => {
    const img = { naturalWidth: 0, complete: false, width: 0, height: 0, src: 'http://x/broken.png', decode: vi.fn(async () => {
      img.complete = true;
      throw new Error('EncodingError');
    }) };
    await expect(km.browser.fromPixelsAsync(img as never)).rejects.toThrow("its src failed to load or is not an image; check img.src ('http://x/broken.png').");
    expect(img.decode).toHaveBeenCalledOnce();
  });

  it('a loaded <img> where there is no canvas to draw it on (Node)', () => {
    expect(typeof document).toBe('undefined');
    expect(() => km.browser.fromPixels({ naturalWidth: 4, complete: true, width: 4, height: 4, src: 'a.png' } as never)).toThrow(
      'km.browser.fromPixels reads an <img> by drawing it on a 2D canvas, and this environment has none (no document or OffscreenCanvas). Decode the image to { width, height, data } RGBA bytes and pass those.',
    );
  });

  it('a <video> without a frame', () => {
    expect(() => km.browser.fromPixels({ videoWidth: 0, videoHeight: 0, readyState: 1 } as never)).toThrow(
      "km.browser.fromPixels: the <video> has no frame yet (readyState 1). Wait until it has one: await new Promise((resolve) => video.addEventListener('loadeddata', resolve, { once: true })), after video.play() for a webcam stream.",
    );
  });

  it('a zero-size canvas', () => {
    const canvas = { width: 0, height: 150, getContext: () => null };
    expect(() => km.browser.fromPixels(canvas as never)).toThrow('km.browser.fromPixels: the canvas is 0x150 pixels, so there is nothing to read; set canvas.width and canvas.height to its size in pixels before drawing on it.');
  });

  it('a canvas tainted by an image from another origin', () => {
    const canvas = {
      width: 2,
      height: 2,
      getContext: () => ({
        getImageData: () => {
          throw new DOMException('The canvas has been tainted by cross-origin data.', 'SecurityError');
        },
      }),
    };
    expect(() => km.browser.fromPixels(canvas as never)).toThrow(/another origin without CORS permission\. Load it with img\.crossOrigin = 'anonymous'/);
  });

  it('toPixels: a rank, depth or value it cannot draw', async () => {
    await expect(km.browser.toPixels(km.zeros([4]))).rejects.toThrow('km.browser.toPixels draws a [height, width] or [height, width, channels] tensor; received shape [4].');
    await expect(km.browser.toPixels(km.zeros([2, 3, 3, 3]))).rejects.toThrow('For a batch of images, draw one: t.slice([i], [1]).reshape(t.shape.slice(1)).');
    await expect(km.browser.toPixels(km.zeros([2, 3, 2]))).rejects.toThrow('km.browser.toPixels draws 1 (gray), 3 (RGB) or 4 (RGBA) channels; received shape [2, 3, 2] with 2. Give the image 1, 3 or 4 channels.');
    await expect(km.browser.toPixels(km.tensor([[0, 0.5], [1.5, 1]]))).rejects.toThrow(/^km\.browser\.toPixels: a float32 tensor's values must be in \[0, 1\], as in tfjs; received 1\.5 at \[1, 0\]\. Scale them into \[0, 1\] first/);
    await expect(km.browser.toPixels(km.tensor([0, 0.2, -0.25, 0, 0, 0], [1, 2, 3]))).rejects.toThrow('received -0.25 at [0, 0, 2].');
    await expect(km.browser.toPixels(km.tensor([0, NaN], [1, 2]))).rejects.toThrow('km.browser.toPixels: the value at [0, 1] is NaN, which tfjs draws as 0 without a word. Replace the NaN values before drawing.');
    await expect(km.browser.toPixels(km.tensor([0, 256], [2, 1], 'int32'))).rejects.toThrow("km.browser.toPixels: an int32 tensor's values must be bytes in [0, 255], as in tfjs; received 256 at [1, 0]. Clip or rescale them into 0..255 first.");
    await expect(km.browser.toPixels(km.tensor([-1, 0, 0, 0], [1, 1, 4], 'int32'))).rejects.toThrow('received -1 at [0, 0, 0].');
  });

  it('toPixels: what tfjs reads as the same error', async () => {
    // tfjs throws on these too, with vaguer words; the checks are the same.
    await expect(tf.browser.toPixels(tf.tensor2d([[0, 0.5], [1.5, 1]]))).rejects.toThrow('[0 - 1] but encountered 1.5');
    await expect(tf.browser.toPixels(tf.tensor2d([0, 256], [2, 1], 'int32'))).rejects.toThrow('[0 - 255] but encountered 256');
  });

  it('toPixels: something other than a km.Tensor, or a canvas it cannot draw on', async () => {
    await expect(km.browser.toPixels([[0, 255]] as never)).rejects.toThrow("km.browser.toPixels draws a km.Tensor; received a nested array. tfjs reads one as int32 bytes; make that tensor: km.tensor(values, undefined, 'int32').");
    await expect(km.browser.toPixels(tf.zeros([2, 2]) as never)).rejects.toThrow('km.browser.toPixels draws a km.Tensor; received a TensorFlow.js tensor of shape [2, 2]. Make a km.Tensor of it');
    await expect(km.browser.toPixels(km.zeros([2, 2]), { width: 1, height: 1 } as never)).rejects.toThrow('the second argument must be a canvas (an HTMLCanvasElement or OffscreenCanvas) to draw on; leave it out to get the bytes only.');
    await expect(km.browser.toPixels(km.zeros([2, 2]), { width: 1, height: 1, getContext: () => null } as never)).rejects.toThrow('the canvas already holds a WebGL or bitmap context, so it cannot take a 2D drawing.');
    await expect(km.browser.toPixels(km.zeros([0, 2]), { width: 1, height: 1, getContext: () => null } as never)).rejects.toThrow('a 2x0 image (width x height) has no pixels to draw on the canvas.');
  });
});
