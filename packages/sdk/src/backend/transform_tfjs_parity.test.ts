import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import type { FillMode, ImageTransform, ResizeInterpolation } from './backend.js';
import { backend } from './registry.js';
import { expectClose } from '../testing/expect_close.js';
import { sampleTransforms } from '../testing/transform_reference.js';
import { Random } from '../utils/random.js';

// The wasm kernel against tfjs-core 4.22's own tf.image.transform on its CPU backend, an
// independent implementation of the same sampling. tfjs' CPU kernel returns after the first image
// of a batch (the others keep the fill value), so it is called one image at a time.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.setBackend('wasm');
});

const random = new Random(41);
const FILL_MODES: FillMode[] = ['reflect', 'wrap', 'constant', 'nearest'];
const CASES = ([[5, 7, 3], [8, 3, 5], [1, 9, 2], [6, 6, 1]] as const).flatMap(([h, w, c]) => (['bilinear', 'nearest'] as ResizeInterpolation[]).flatMap((interpolation) =>
  FILL_MODES.map((fillMode): [string, ImageTransform] => [`${h}x${w}x${c} ${interpolation} ${fillMode}`, { batch: 5, height: h, width: w, channels: c, interpolation, fillMode, fillValue: fillMode === 'constant' ? -0.25 : 0 }])));

CASES.push(['9x8x3 -> 4x5 window, bilinear reflect', { batch: 3, height: 9, width: 8, channels: 3, outHeight: 4, outWidth: 5, interpolation: 'bilinear', fillMode: 'reflect', fillValue: 0 }]);

describe('transformImages on wasm equals tf.image.transform', () => {
  it.each(CASES)('%s', (_, t) => {
    const size = t.height * t.width * t.channels;
    const [oh, ow] = [t.outHeight ?? t.height, t.outWidth ?? t.width];
    const x = Float32Array.from({ length: t.batch * size }, () => random.uniform(-2, 2));
    const transforms = sampleTransforms(t.height, t.width);
    const b = backend();
    const outLength = t.batch * oh * ow * t.channels;
    const [px, py, pt] = [b.alloc(x.length, 'float32'), b.alloc(outLength, 'float32'), b.alloc(transforms.length, 'float32')];
    b.write(px, x);
    b.write(pt, transforms);
    b.transformImages(px, py, pt, t);
    const actual = b.read(py, outLength, 'float32');
    for (const id of [px, py, pt]) b.free(id);
    const expected = Array.from({ length: t.batch }, (_, i) => tf.tidy(() => {
      const image = tf.tensor4d(x.subarray(i * size, (i + 1) * size), [1, t.height, t.width, t.channels]);
      const transform = tf.tensor2d(transforms.subarray(8 * i, 8 * i + 8), [1, 8]);
      return Array.from(tf.image.transform(image, transform, t.interpolation, t.fillMode, t.fillValue, [oh, ow]).dataSync());
    })).flat();
    expectClose(actual, expected, 1e-5);
  });

  it('tf.image.transform itself leaves every image after the first at the fill value on tfjs-cpu 4.22 (why the calls above go one by one)', () => {
    const image = tf.ones([2, 3, 3, 1]) as tf.Tensor4D;
    const identity = tf.tensor2d([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0], [2, 8]);
    const y = tf.image.transform(image, identity, 'nearest', 'constant', 7).dataSync();
    expect(Array.from(y.subarray(0, 9))).toEqual(Array(9).fill(1));
    expect(Array.from(y.subarray(9))).toEqual(Array(9).fill(7));
  });
});
