import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { savedLayerConfig } from '../io/layers_model_format.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const SHAPE = [2, 7, 3, 2];
const pixels = Float32Array.from({ length: SHAPE.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 1.3) * 5);

/** tfjs' resize of `images` to `size`, the sampling RandomHeight promises (no half-pixel centres). */
function tfjsResize(images: Float32Array, shape: number[], size: [number, number], interpolation: 'bilinear' | 'nearest'): tf.Tensor {
  const x = tf.tensor4d(images, shape as [number, number, number, number]);
  return interpolation === 'bilinear' ? tf.image.resizeBilinear(x, size) : tf.image.resizeNearestNeighbor(x, size);
}

/** tfjs-layers' RandomWidth run on the images with height and width swapped, swapped back: RandomHeight's twin. */
function tfjsRandomWidthOnTransposed(images: Float32Array, shape: number[], factor: [number, number], interpolation: 'bilinear' | 'nearest'): tf.Tensor {
  const swapped = tf.transpose(tf.tensor(images, shape), [0, 2, 1, 3]);
  return tf.transpose(tfl.layers.randomWidth({ factor, interpolation }).apply(swapped) as tf.Tensor, [0, 2, 1, 3]);
}

describe("km.layers.randomHeight on data: tfjs' resize to a drawn height", () => {
  // A range of one value makes the draw deterministic: 1 + 0.5 stretches 7 to 11 (10.5 rounded up), 1 − 0.5 shrinks it to 4.
  const cases = [
    { factor: [0.5, 0.5] as [number, number], interpolation: 'bilinear' as const, height: 11 },
    { factor: [-0.5, -0.5] as [number, number], interpolation: 'bilinear' as const, height: 4 },
    { factor: [0.3, 0.3] as [number, number], interpolation: 'nearest' as const, height: 9 },
    { factor: [-0.6, -0.6] as [number, number], interpolation: 'nearest' as const, height: 3 },
  ];

  it.each(cases)('factor $factor, $interpolation: height $height, equal to tf.image and to tfjs RandomWidth on the transposed images', ({ factor, interpolation, height }) => {
    const ours = km.layers.randomHeight({ factor, interpolation }).apply(km.tensor(pixels, SHAPE));
    expect(ours.shape).toEqual([2, height, 3, 2]);
    const resized = tfjsResize(pixels, SHAPE, [height, 3], interpolation);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(resized.dataSync()));
    const twin = tfjsRandomWidthOnTransposed(pixels, SHAPE, factor, interpolation);
    expect(twin.shape).toEqual(ours.shape);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(twin.dataSync()));
  });

  it.each(['bilinear', 'nearest'] as const)('%s on images large enough for the WASM core (where it is the backend): still tf.image', (interpolation) => {
    const shape = [2, 24, 20, 3];
    const large = Float32Array.from({ length: 2 * 24 * 20 * 3 }, (_, i) => Math.cos(i * 0.7) * 3);
    const ours = km.layers.randomHeight({ factor: [0.5, 0.5], interpolation }).apply(km.tensor(large, shape));
    expect(ours.shape).toEqual([2, 36, 20, 3]);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(tfjsResize(large, shape, [36, 20], interpolation).dataSync()));
  });

  it('takes one image [height, width, channels], keeping the width', () => {
    const image = pixels.slice(0, 7 * 3 * 2);
    const ours = km.layers.randomHeight({ factor: [0.5, 0.5] }).apply(km.tensor(image, [7, 3, 2]));
    expect(ours.shape).toEqual([11, 3, 2]);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(tfjsResize(image, [1, 7, 3, 2], [11, 3], 'bilinear').dataSync()));
  });
});

describe('km.layers.randomHeight draws', () => {
  it("draws one factor per call (per batch) from the layer's seed, the height rounded, and repeats for a seed", () => {
    const layer = km.layers.randomHeight({ factor: [-0.3, 0.2], seed: 11 });
    const reference = new Random(11);
    const images = km.zeros([3, 50, 2, 1]);
    for (let call = 0; call < 10; call++) {
      const expected = Math.round(Math.fround(reference.uniform(0.7, 1.2)) * 50);
      expect(layer.apply(images).shape).toEqual([3, expected, 2, 1]);
    }
  });

  it('keeps every drawn height in Keras\' range and covers it', () => {
    const layer = km.layers.randomHeight({ factor: 0.4, seed: 3 });
    const drawn = Array.from({ length: 200 }, () => layer.apply(km.tensor(pixels, SHAPE)).shape[1]);
    // 7·0.6 = 4.2 to 7·1.4 = 9.8: heights 4 to 10, each of them drawn.
    expect(new Set(drawn)).toEqual(new Set([4, 5, 6, 7, 8, 9, 10]));
    const again = km.layers.randomHeight({ factor: 0.4, seed: 3 });
    expect(Array.from({ length: 200 }, () => again.apply(km.tensor(pixels, SHAPE)).shape[1])).toEqual(drawn);
  });

  it('spreads the drawn factors uniformly over [1 + lower, 1 + upper]', () => {
    const layer = km.layers.randomHeight({ factor: [-0.5, 0.25], seed: 5 });
    const images = km.zeros([1, 1000, 1, 1]);
    const factors = Array.from({ length: 400 }, () => layer.apply(images).shape[1] / 1000);
    expect(Math.min(...factors)).toBeGreaterThanOrEqual(0.5);
    expect(Math.max(...factors)).toBeLessThanOrEqual(1.25);
    // A uniform draw's mean is 0.875 (standard error 0.011 for 400 draws), and each quarter of the range gets about 100.
    expect(Math.abs(factors.reduce((a, b) => a + b, 0) / factors.length - 0.875)).toBeLessThan(0.05);
    for (let q = 0; q < 4; q++) {
      const inQuarter = factors.filter((f) => f >= 0.5 + q * 0.1875 && f < 0.5 + (q + 1) * 0.1875).length;
      expect(inQuarter, `quarter ${q}`).toBeGreaterThan(60);
    }
  });

  it('passes images through with training: false, as float32', () => {
    const passed = km.layers.randomHeight({ factor: 0.4 }).apply(km.tensor(pixels, SHAPE), { training: false });
    expect(passed.shape).toEqual(SHAPE);
    expect(Array.from(passed.dataSync())).toEqual(Array.from(pixels));
    const counts = km.tensor([1, 2, 3, 4, 5, 6], [2, 3, 1], 'int32');
    const passedCounts = km.layers.randomHeight({ factor: 0.4 }).apply(counts, { training: false });
    expect(passedCounts.dtype).toBe('float32');
    expect(Array.from(passedCounts.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('km.layers.randomHeight config', () => {
  it("getConfig has Keras' keys, and the layer comes back from it and from its snake_case save", () => {
    const layer = km.layers.randomHeight({ factor: [-0.2, 0.3], interpolation: 'nearest', seed: 7, name: 'stretch' });
    const config = layer.getConfig();
    expect(config).toMatchObject({ factor: [-0.2, 0.3], interpolation: 'nearest', seed: 7, name: 'stretch', trainable: true });
    const back = km.layers.layerFromConfig('RandomHeight', config) as km.layers.RandomHeight;
    expect(back).toBeInstanceOf(km.layers.RandomHeight);
    expect(back.getConfig()).toEqual(config);
    const saved = JSON.parse(JSON.stringify(savedLayerConfig(layer))) as Record<string, unknown>;
    expect(km.layers.layerFromConfig('RandomHeight', saved).getConfig()).toEqual(config);
    // The seed comes back: the loaded layer draws the heights the original's first calls drew.
    const images = km.zeros([1, 40, 2, 1]);
    const heights = (l: km.layers.RandomHeight) => Array.from({ length: 5 }, () => l.apply(images).shape[1]);
    expect(heights(back)).toEqual(heights(layer));
  });

  it('reads the config Keras writes for RandomHeight(0.25)', () => {
    const keras = { name: 'random_height', trainable: true, dtype: 'float32', factor: 0.25, interpolation: 'bilinear', seed: null };
    const layer = km.layers.layerFromConfig('RandomHeight', keras) as km.layers.RandomHeight;
    expect([layer.name, layer.factor, layer.interpolation, layer.seed]).toEqual(['random_height', 0.25, 'bilinear', undefined]);
  });
});

describe('km.layers.randomHeight refusals', () => {
  it('in a model: says the height changes per call, and what to do instead', () => {
    const message = /RandomHeight layer '.*' cannot be part of a model: it draws a new output height at every call.*Apply it to the data before the model instead: layer\.apply\(images\).*km\.data map.*km\.layers\.resizing\(\{ height, width \}\)/;
    expect(() => km.sequential([km.layers.randomHeight({ factor: 0.2, inputShape: [8, 8, 3] })])).toThrow(message);
    expect(() => km.layers.randomHeight({ factor: 0.2 }).apply(km.input({ shape: [8, 8, 3] }))).toThrow(message);
  });

  it('bad factors: out of range, of the wrong type, or lower above upper, each naming the fix', () => {
    const notFactor = (received: string) => new RegExp(`RandomHeight layer '.*': factor must be a number > 0 or a pair \\[lower, upper\\]\\. Received: factor=${received}\\. For example factor: 0\\.2 scales heights by 0\\.8 to 1\\.2\\.`);
    expect(() => km.layers.randomHeight({ factor: 0 })).toThrow(notFactor('0'));
    expect(() => km.layers.randomHeight({ factor: -0.2 })).toThrow(notFactor('-0\\.2'));
    expect(() => km.layers.randomHeight({ factor: '0.2' as never })).toThrow(notFactor('"0\\.2"'));
    expect(() => km.layers.randomHeight({ factor: [0.1] as never })).toThrow(notFactor('\\[0\\.1\\]'));
    expect(() => km.layers.randomHeight({ factor: [0, Number.NaN] })).toThrow(notFactor('\\[0,null\\]'));
    expect(() => km.layers.randomHeight({} as never)).toThrow(notFactor('undefined'));
    expect(() => km.layers.randomHeight({ factor: [-1.5, 0] })).toThrow(/factor values must be ≥ −1 \(a height scaled by 1 \+ value\)\. Received: factor=\[-1\.5,0\]/);
    expect(() => km.layers.randomHeight({ factor: [0.3, 0.1] })).toThrow(/upper bound must not be below its lower bound\. Received: factor=\[0\.3,0\.1\]\. Write it as \[lower, upper\]/);
  });

  it('bad options and images', () => {
    expect(() => km.layers.randomHeight({ factor: 0.1, interpolation: 'bicubic' as never })).toThrow(/interpolation must be 'bilinear' or 'nearest'.*Received: interpolation="bicubic"/);
    expect(() => km.layers.randomHeight({ factor: 0.1, seed: 1.5 })).toThrow(/seed must be an integer or null\. Received: seed=1\.5/);
    expect(() => km.layers.randomHeight({ factor: 0.1, dataFormat: 'channelsFirst' } as never)).toThrow(/km\.layers\.randomHeight has no option 'dataFormat'/);
    expect(() => km.layers.randomHeight({ factor: 0.1 }).apply(km.zeros([4, 3]))).toThrow(/images must be \[batch, height, width, channels\] or one image \[height, width, channels\]\. Received shape \[4, 3\]/);
    expect(() => km.layers.randomHeight({ factor: 0.1 }).apply(km.zeros([1, 4, 3, 1]), { training: 1 as never })).toThrow(/training must be true or false\. Received: training=1/);
  });

  it('a height that would round to 0: names the height and suggests a factor that keeps a pixel', () => {
    // Every draw of [-1, -0.9] makes 3 rows round to 0. The suggestion is the first hundredth above −1 + 0.5/3 = −0.833 (its rule is checked on widths in random_width.test.ts).
    const images = km.zeros([1, 3, 8, 1]);
    expect(() => km.layers.randomHeight({ factor: [-1, -0.9] }).apply(images)).toThrow(/makes the height 3 round to 0\. Raise factor's lower bound above −1 \+ 0\.5\/height, e\.g\. factor: \[-0\.83, -0\.83\]\.$/);
    for (const seed of [1, 2, 3]) expect(km.layers.randomHeight({ factor: [-0.83, -0.83], seed }).apply(images).shape).toEqual([1, 1, 8, 1]);
  });
});
