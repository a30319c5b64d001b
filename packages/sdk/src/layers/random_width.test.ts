import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const SHAPE = [2, 3, 7, 2];
const pixels = Float32Array.from({ length: SHAPE.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 1.3) * 5);

describe("km.layers.randomWidth on data gives tfjs-layers' RandomWidth output", () => {
  // A range of one value makes tfjs' draw deterministic: 1 + 0.5 widens 7 to 11 (10.5 rounded up), 1 − 0.5 narrows it to 4.
  const cases = [
    { factor: [0.5, 0.5] as [number, number], interpolation: 'bilinear' as const, width: 11 },
    { factor: [-0.5, -0.5] as [number, number], interpolation: 'bilinear' as const, width: 4 },
    { factor: [0.3, 0.3] as [number, number], interpolation: 'nearest' as const, width: 9 },
    { factor: [-0.6, -0.6] as [number, number], interpolation: 'nearest' as const, width: 3 },
  ];

  it.each(cases)('factor $factor, $interpolation: width $width', ({ factor, interpolation, width }) => {
    const ours = km.layers.randomWidth({ factor, interpolation }).apply(km.tensor(pixels, SHAPE));
    const theirs = tfl.layers.randomWidth({ factor, interpolation }).apply(tf.tensor(pixels, SHAPE)) as tf.Tensor;
    expect(ours.shape).toEqual([2, 3, width, 2]);
    expect(theirs.shape).toEqual(ours.shape);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
  });

  it('takes one image [height, width, channels] as tfjs does', () => {
    const image = pixels.slice(0, 3 * 7 * 2);
    const ours = km.layers.randomWidth({ factor: [0.5, 0.5] }).apply(km.tensor(image, [3, 7, 2]));
    const theirs = tfl.layers.randomWidth({ factor: [0.5, 0.5] }).apply(tf.tensor(image, [3, 7, 2])) as tf.Tensor;
    expect(ours.shape).toEqual([3, 11, 2]);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
  });

  it('draws a width in range, repeatably for a seed, and passes images through with training: false', () => {
    const widths = (seed: number) => {
      const layer = km.layers.randomWidth({ factor: 0.4, seed });
      return Array.from({ length: 20 }, () => layer.apply(km.tensor(pixels, SHAPE)).shape[2]);
    };
    const drawn = widths(3);
    expect(drawn).toEqual(widths(3));
    // 7·0.6 = 4.2 to 7·1.4 = 9.8: widths 4 to 10, and more than one of them.
    expect(Math.min(...drawn)).toBeGreaterThanOrEqual(4);
    expect(Math.max(...drawn)).toBeLessThanOrEqual(10);
    expect(new Set(drawn).size).toBeGreaterThan(2);
    const passed = km.layers.randomWidth({ factor: 0.4 }).apply(km.tensor(pixels, SHAPE), { training: false });
    expect(passed.shape).toEqual(SHAPE);
    expect(Array.from(passed.dataSync())).toEqual(Array.from(pixels));
  });

  it("getConfig has tfjs' keys and values, and the layer comes back from its config", () => {
    const ours = km.layers.randomWidth({ factor: [-0.2, 0.3], interpolation: 'nearest', seed: 7, name: 'widen' });
    const theirs = tfl.layers.randomWidth({ factor: [-0.2, 0.3], interpolation: 'nearest', seed: 7, name: 'widen' });
    const config = ours.getConfig();
    const reference = theirs.getConfig();
    for (const key of ['factor', 'interpolation', 'seed', 'name', 'trainable']) expect(config[key], key).toEqual(reference[key]);
    const back = km.layers.layerFromConfig('RandomWidth', config) as km.layers.RandomWidth;
    expect(back).toBeInstanceOf(km.layers.RandomWidth);
    expect(back.getConfig()).toEqual(config);
  });
});

describe('km.layers.randomWidth refusals', () => {
  it('in a model: says the width changes per call, and what to do instead', () => {
    const message = /RandomWidth layer '.*' cannot be part of a model: it draws a new output width at every call.*Apply it to the data before the model instead: layer\.apply\(images\).*km\.data map.*km\.layers\.resizing\(\{ height, width \}\)/;
    expect(() => km.sequential([km.layers.randomWidth({ factor: 0.2, inputShape: [8, 8, 3] })])).toThrow(message);
    expect(() => km.layers.randomWidth({ factor: 0.2 }).apply(km.input({ shape: [8, 8, 3] }))).toThrow(message);
  });

  it("bad options, as tfjs refuses them, with kerasm's messages", () => {
    expect(() => km.layers.randomWidth({ factor: 0 })).toThrow(/factor must be a number > 0 or a pair \[lower, upper\]\. Received: factor=0\./);
    expect(() => tfl.layers.randomWidth({ factor: 0 })).toThrow(/Invalid factor/);
    expect(() => km.layers.randomWidth({ factor: [-1.5, 0] })).toThrow(/factor values must be ≥ −1.*Received: factor=\[-1\.5,0\]/);
    expect(() => tfl.layers.randomWidth({ factor: [-1.5, 0] })).toThrow(/larger than -1/);
    expect(() => km.layers.randomWidth({ factor: [0.3, 0.1] })).toThrow(/upper bound must not be below its lower bound.*Write it as \[lower, upper\]/);
    expect(() => km.layers.randomWidth({ factor: 0.1, interpolation: 'bicubic' as never })).toThrow(/interpolation must be 'bilinear' or 'nearest'.*Received: interpolation="bicubic"/);
    expect(() => km.layers.randomWidth({ factor: 0.1, fillMode: 'wrap' } as never)).toThrow(/km\.layers\.randomWidth has no option 'fillMode'/);
    expect(() => km.layers.randomWidth({ factor: 0.1 }).apply(km.zeros([4, 3]))).toThrow(/images must be \[batch, height, width, channels\] or one image \[height, width, channels\]\. Received shape \[4, 3\]/);
    expect(() => km.layers.randomWidth({ factor: [-1, -1] }).apply(km.zeros([1, 2, 3, 1]))).toThrow(/makes the width 3 round to 0\. Raise factor's lower bound/);
  });

  it('a width that would round to 0: suggests a factor [lower ≤ upper] that the layer takes and that keeps a pixel', () => {
    // Every draw of the first three rounds to 0 (the upper bound is raised too); seed 7's first draw of the last does.
    const cases: [[number, number], number, number][] = [[[-1, -1], 3, 1], [[-0.99, -0.9], 2, 1], [[-1, -0.98], 20, 1], [[-1, -0.5], 4, 7]];
    for (const [factor, width, seed] of cases) {
      const images = km.zeros([1, 2, width, 1]);
      let message = '';
      try {
        km.layers.randomWidth({ factor, seed }).apply(images);
      } catch (error) {
        message = (error as Error).message;
      }
      const suggested = /e\.g\. factor: \[(-?[\d.]+), (-?[\d.]+)\]\.$/.exec(message);
      expect(suggested, message).not.toBeNull();
      const [lower, upper] = [Number(suggested![1]), Number(suggested![2])];
      expect(lower).toBeLessThanOrEqual(upper);
      expect(upper).toBe(Math.max(lower, factor[1]));
      expect(lower).toBeGreaterThan(-1 + 0.5 / width);
      for (const seed of [1, 2, 3]) expect(km.layers.randomWidth({ factor: [lower, upper], seed }).apply(images).shape[2]).toBeGreaterThanOrEqual(1);
    }
  });
});
