// km.image's flipLeftRight, rgbToGrayscale, grayscaleToRGB, cropAndResize, rotateWithOffset,
// threshold and transform against tfjs-core 4.22 (CPU backend): values, dtypes and shapes to the
// bit on random images of odd sizes, and the errors for bad input.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sdk from '../../index.js';
import { Tensor } from '../../tensor.js';
import { expectSameAsTfjs, expectSameGradients, pairOf, randomPair, uniformPair, type Pair } from '../../testing/tfjs_op_parity.js';
import { Random } from '../../utils/random.js';
import { cropAndResize } from './crop_and_resize.js';
import { flipLeftRight } from './flip_left_right.js';
import { grayscaleToRGB, rgbToGrayscale } from './grayscale.js';
import { rotateWithOffset } from './rotate_with_offset.js';
import { threshold } from './threshold.js';
import { transform } from './transform.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** An image batch of 0-255 values, whole numbers in int32 or fractions in float32. */
function pixels(rng: Random, shape: number[], dtype: 'float32' | 'int32'): Pair {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = dtype === 'int32' ? Int32Array.from({ length: size }, () => Math.floor(rng.next() * 256)) : Float32Array.from({ length: size }, () => rng.next() * 255);
  return pairOf(values, shape);
}

const SHAPES = [[1, 5, 7, 3], [2, 3, 4, 1], [3, 1, 6, 4], [2, 7, 5, 3]];

describe('km.image ops match tfjs-core 4.22', () => {
  it('flipLeftRight: values and dtype (int32 too, which tfjs refuses), and its gradient is the flip of dy (tfjs has none)', () => {
    const rng = new Random(1);
    for (const shape of SHAPES) {
      const x = pixels(rng, shape, 'float32');
      expectSameAsTfjs(flipLeftRight(x.km), tf.image.flipLeftRight(x.tf as tf.Tensor4D), `flip [${shape}]`);
      const ints = pixels(rng, shape, 'int32');
      expectSameAsTfjs(flipLeftRight(ints.km), tf.reverse(ints.tf, 2), `flip [${shape}] int32`);
      const y = randomPair(rng, shape, 'float32');
      expect(() => tf.grad((a: tf.Tensor) => tf.image.flipLeftRight(a as tf.Tensor4D))(y.tf)).toThrow(/gradient function not found for FlipLeftRight/);
      expectSameGradients(rng, { km: (a) => flipLeftRight(a), tf: (a) => tf.reverse(a, 2) }, [y], `flip gradient [${shape}]`);
    }
  });

  it('rgbToGrayscale and grayscaleToRGB: values and dtypes at ranks 2 to 5; gradients where tfjs has one', () => {
    const rng = new Random(2);
    for (const lead of [[4], [3, 5], [2, 3, 5], [2, 1, 3, 2]]) {
      for (const dtype of ['float32', 'int32'] as const) {
        const rgb = pixels(rng, [...lead, 3], dtype);
        expectSameAsTfjs(rgbToGrayscale(rgb.km), tf.image.rgbToGrayscale(rgb.tf as tf.Tensor2D), `rgbToGrayscale [${lead}, 3] ${dtype}`);
        const gray = pixels(rng, [...lead, 1], dtype);
        expectSameAsTfjs(grayscaleToRGB(gray.km), tf.image.grayscaleToRGB(gray.tf as tf.Tensor2D), `grayscaleToRGB [${lead}, 1] ${dtype}`);
      }
      // tfjs' tile gradient stops at rank 4.
      if (lead.length > 3) continue;
      const gray = randomPair(rng, [...lead, 1], 'float32');
      expectSameGradients(rng, { km: (a) => grayscaleToRGB(a), tf: (a) => tf.image.grayscaleToRGB(a as tf.Tensor2D) }, [gray], `grayscaleToRGB gradient [${lead}]`);
      // tfjs' einsum has no gradient; kerasm's is dy times the luma weights, which tfjs' mul and sum give.
      const rgb = randomPair(rng, [...lead, 3], 'float32');
      expect(() => tf.grad((a: tf.Tensor) => tf.image.rgbToGrayscale(a as tf.Tensor2D))(rgb.tf)).toThrow(/gradient function not found for Einsum/);
      expectSameGradients(rng, { km: (a) => rgbToGrayscale(a), tf: (a) => tf.sum(tf.mul(a, tf.tensor1d([0.2989, 0.587, 0.114])), -1, true) }, [rgb], `rgbToGrayscale gradient [${lead}]`);
    }
  });

  it('cropAndResize: boxes inside, partly outside and flipped, both methods, crop sizes of 1, extrapolation values', () => {
    const rng = new Random(3);
    for (const shape of [[2, 5, 7, 3], [1, 1, 4, 2], [3, 6, 1, 1], [2, 9, 8, 2]]) {
      const image = randomPair(rng, shape, 'float32');
      const numBoxes = 6;
      // Corners from -0.4 to 1.4: some inside the image, some partly or wholly outside, some with y1 > y2.
      const boxes = uniformPair(rng, [numBoxes, 4], -0.4, 1.4);
      const boxInd = pairOf(Int32Array.from({ length: numBoxes }, () => Math.floor(rng.next() * shape[0])), [numBoxes]);
      for (const method of ['bilinear', 'nearest'] as const) {
        for (const [size, extrapolation] of [[[3, 4], 0], [[1, 1], -1], [[5, 1], 7.5], [[1, 6], 0]] as const) {
          const what = `cropAndResize [${shape}] ${method} ${size} ${extrapolation}`;
          expectSameAsTfjs(
            cropAndResize(image.km, boxes.km, boxInd.km, [...size], method, extrapolation),
            tf.image.cropAndResize(image.tf as tf.Tensor4D, boxes.tf as tf.Tensor2D, boxInd.tf as tf.Tensor1D, [...size], method, extrapolation),
            what,
          );
        }
      }
    }
    const image = pixels(rng, [1, 4, 4, 1], 'int32');
    const boxes = pairOf(Float32Array.of(0, 0, 1, 1, 0.2, 0.1, 0.9, 0.7), [2, 4]);
    const ind = pairOf(Int32Array.of(0, 0), [2]);
    expectSameAsTfjs(cropAndResize(image.km, boxes.km, ind.km, [3, 3]), tf.image.cropAndResize(image.tf as tf.Tensor4D, boxes.tf as tf.Tensor2D, ind.tf as tf.Tensor1D, [3, 3]), 'int32 image');
  });

  it('rotateWithOffset: angles, centres and fill values', () => {
    const rng = new Random(4);
    const angles = [0, Math.PI / 2, -Math.PI / 6, 1, Math.PI, 3.5, -2.2];
    for (const shape of [[1, 5, 7, 3], [2, 6, 6, 4], [1, 3, 8, 1], [2, 7, 5, 3]]) {
      const x = pixels(rng, shape, 'float32');
      for (const radians of angles) {
        const fills: (number | [number, number, number])[] = shape[3] >= 3 ? [0, 255, [10, 20, 30]] : [0, -3.5];
        for (const fill of fills) {
          for (const center of [0.5, 0, [0.3, 0.8] as [number, number], 1.2]) {
            expectSameAsTfjs(rotateWithOffset(x.km, radians, fill, center), tf.image.rotateWithOffset(x.tf as tf.Tensor4D, radians, fill, center), `rotate [${shape}] ${radians} ${JSON.stringify(fill)} ${JSON.stringify(center)}`);
          }
        }
      }
    }
  });

  it('threshold: binary and otsu, inverted, 1 and 3 channels, int32 and float32, thresholds at the edges', () => {
    const rng = new Random(5);
    for (const [h, w, c] of [[5, 7, 3], [8, 3, 1], [1, 1, 3], [9, 11, 3], [6, 6, 1]]) {
      for (const dtype of ['float32', 'int32'] as const) {
        const image = pixels(rng, [h, w, c], dtype);
        for (const method of ['binary', 'otsu'] as const) {
          for (const inverted of [false, true]) {
            for (const value of [0.5, 0, 1, 0.3137]) {
              expectSameAsTfjs(threshold(image.km, method, inverted, value), tf.image.threshold(image.tf as tf.Tensor3D, method, inverted, value), `threshold [${h}, ${w}, ${c}] ${dtype} ${method} ${inverted} ${value}`);
            }
          }
        }
      }
    }
    // One grey level: no split separates two classes, so Otsu's threshold is -1 in both.
    const flat = pairOf(new Int32Array(12).fill(90), [3, 4, 1]);
    expectSameAsTfjs(threshold(flat.km, 'otsu'), tf.image.threshold(flat.tf as tf.Tensor3D, 'otsu'), 'threshold of a flat image');
    // Two well-separated levels, and a value above 255 that the histogram leaves out.
    const two = pairOf(Float32Array.of(10, 10, 12, 200, 210, 205, 40, 300, 11.5), [3, 3, 1]);
    expectSameAsTfjs(threshold(two.km, 'otsu'), tf.image.threshold(two.tf as tf.Tensor3D, 'otsu'), 'threshold of two levels');
  });

  it('transform: projective maps, both interpolations, every fill mode, output shapes, one image (tfjs transforms only the first)', () => {
    const rng = new Random(6);
    const maps = [
      [1, 0, 0, 0, 1, 0, 0, 0],
      [1, 0, -2.5, 0, 1, 1.5, 0, 0],
      [Math.cos(0.4), -Math.sin(0.4), 1, Math.sin(0.4), Math.cos(0.4), -1, 0, 0],
      [0.7, 0.2, 0.5, -0.1, 1.3, -0.25, 0.01, -0.02],
      [-1, 0, 6, 0, 1, 0, 0, 0],
      [2.5, 0, -9, 0, 2.5, -12, 0, 0],
      [1, 0, 0, 0, 1, 0, -0.25, 0],
    ];
    for (const shape of [[1, 5, 7, 3], [1, 6, 4, 1], [1, 1, 5, 2], [1, 7, 7, 1]]) {
      const x = randomPair(rng, shape, 'float32', 3);
      for (const map of maps) {
        const m = pairOf(Float32Array.from(map), [1, 8]);
        for (const interpolation of ['nearest', 'bilinear'] as const) {
          for (const fillMode of ['constant', 'reflect', 'wrap', 'nearest'] as const) {
            for (const outputShape of [undefined, [4, 9] as [number, number]]) {
              const what = `transform [${shape}] ${map} ${interpolation} ${fillMode} ${outputShape}`;
              expectSameAsTfjs(transform(x.km, m.km, interpolation, fillMode, -2, outputShape), tf.image.transform(x.tf as tf.Tensor4D, m.tf as tf.Tensor2D, interpolation, fillMode, -2, outputShape), what);
            }
          }
        }
      }
    }
  });

  it('transform: each image of a batch through its own transform, as tfjs does one image at a time', () => {
    const rng = new Random(7);
    const x = randomPair(rng, [3, 5, 6, 2], 'float32', 3);
    const maps = Float32Array.from({ length: 24 }, (_, i) => [1, 0.1, -1, -0.2, 1, 2, 0.01, 0][i % 8] * (1 + Math.floor(i / 8) * 0.3));
    const m = pairOf(maps, [3, 8]);
    for (const fillMode of ['constant', 'reflect', 'wrap', 'nearest'] as const) {
      const ours = transform(x.km, m.km, 'bilinear', fillMode, 1);
      const theirs = tf.concat(tf.unstack(x.tf).map((image, b) => tf.image.transform(tf.expandDims(image, 0) as tf.Tensor4D, tf.slice(m.tf, [b, 0], [1, 8]) as tf.Tensor2D, 'bilinear', fillMode, 1)));
      expectSameAsTfjs(ours, theirs, `batch ${fillMode}`);
      // One transform for the whole batch.
      const one = pairOf(maps.slice(0, 8), [1, 8]);
      const each = tf.concat(tf.unstack(x.tf).map((image) => tf.image.transform(tf.expandDims(image, 0) as tf.Tensor4D, one.tf as tf.Tensor2D, 'bilinear', fillMode, 1)));
      expectSameAsTfjs(transform(x.km, one.km, 'bilinear', fillMode, 1), each, `batch, one transform, ${fillMode}`);
    }
  });

  it('bad input names the problem and the fix', () => {
    const image = new Tensor(new Float32Array(2 * 4 * 4 * 3), [2, 4, 4, 3], 'float32');
    const one = new Tensor(new Float32Array(4 * 4 * 3), [4, 4, 3], 'float32');
    expect(() => flipLeftRight(one)).toThrow(/image must be a \[batch, height, width, channels\] batch \(add the batch axis with km\.expandDims\(image, 0\)\)\. Received: image\.shape=\[4, 4, 3\]/);
    expect(() => rgbToGrayscale(image.reshape([2, 4, 12]))).toThrow(/3 channels on its last axis \(red, green, blue\)\. Received: image\.shape=\[2, 4, 12\]/);
    expect(() => grayscaleToRGB(image)).toThrow(/1 channel on its last axis; for a colour image, it is already RGB\. Received/);
    const boxes = new Tensor(Float32Array.of(0, 0, 1, 1), [1, 4], 'float32');
    const ind = new Tensor(Int32Array.of(0), [1], 'int32');
    expect(() => cropAndResize(image, boxes.reshape([4]), ind, [2, 2])).toThrow(/boxes must be \[numBoxes, 4\].*Received: boxes\.shape=\[4\]/);
    expect(() => cropAndResize(image, boxes, new Tensor(Int32Array.of(0, 1), [2], 'int32'), [2, 2])).toThrow(/boxInd must be \[numBoxes\] = \[1\].*Received: boxInd\.shape=\[2\]/);
    expect(() => cropAndResize(image, boxes, new Tensor(Int32Array.of(2), [1], 'int32'), [2, 2])).toThrow(/boxInd\[0\] must be the index of an image of the batch, an integer in \[0, 2\)\. Received: boxInd\[0\]=2/);
    expect(() => cropAndResize(image, boxes, ind, [0, 2])).toThrow(/cropSize must be \[height, width\], two positive integers.*Received: cropSize=\[0,2\]/);
    expect(() => cropAndResize(image, boxes, ind, [2, 2], 'cubic' as 'nearest')).toThrow(/method must be 'bilinear' or 'nearest'\. Received: method="cubic"/);
    expect(() => rotateWithOffset(image, 1, [1, 2] as unknown as number)).toThrow(/fillValue must be a number or \[r, g, b\]\. Received: fillValue=\[1,2\]/);
    expect(() => rotateWithOffset(image, 1, 0, [1, 2, 3] as unknown as number)).toThrow(/center must be a number or \[x, y\]/);
    expect(() => threshold(image)).toThrow(/image must be one \[height, width, channels\] image with 1 or 3 channels.*Received: image\.shape=\[2, 4, 4, 3\]/);
    expect(() => threshold(one, 'mean' as 'otsu')).toThrow(/method must be 'binary' or 'otsu'/);
    expect(() => threshold(new Tensor(Float32Array.of(3, -2), [1, 2, 1], 'float32'), 'otsu')).toThrow(/'otsu' method needs lumas of 0 or more.*Received: a luma of -2/);
    expect(() => transform(image, new Tensor(new Float32Array(8 * 3), [3, 8], 'float32'))).toThrow(/transforms must be \[2, 8\] \(one transform per image\) or \[1, 8\] \(one for all\)\. Received: transforms\.shape=\[3, 8\]/);
    expect(() => transform(image, new Tensor(new Float32Array(8), [1, 8], 'float32'), 'nearest', 'mirror' as 'wrap')).toThrow(/fillMode must be 'constant' or 'reflect' or 'wrap' or 'nearest'\. Received: fillMode="mirror"/);
    expect(() => transform(image, new Tensor(new Float32Array(8), [1, 8], 'float32'), 'nearest', 'constant', 0, [-2, 3])).toThrow(/outputShape must be \[height, width\], two positive integers/);
  });

  it('is reachable as km.image.* from the package entry', () => {
    expect(sdk.image.cropAndResize).toBe(cropAndResize);
    expect(sdk.image.flipLeftRight).toBe(flipLeftRight);
    expect(sdk.image.rgbToGrayscale).toBe(rgbToGrayscale);
    expect(sdk.image.grayscaleToRGB).toBe(grayscaleToRGB);
    expect(sdk.image.rotateWithOffset).toBe(rotateWithOffset);
    expect(sdk.image.threshold).toBe(threshold);
    expect(sdk.image.transform).toBe(transform);
  });
});
