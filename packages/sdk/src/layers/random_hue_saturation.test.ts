import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { useBackend } from '../testing/backends_here.js';
import { toHsv, toRgb } from '../testing/hsv_reference.js';
import { expectNoGradientThrough } from '../testing/sgd_gradients.js';
import { expectClose } from '../testing/expect_close.js';
import { Random } from '../utils/random.js';

// Keras 3's RandomSaturation and RandomHue: training outputs against float64 versions of Keras'
// formulas (its rgb_to_hsv and hsv_to_rgb) with each image's draws rebuilt from the seed; colours
// whose result is known without the formulas; inference pass-through; the zero gradient; config
// round trip; errors.
beforeAll(() => km.ready());

const values = (t: km.Tensor) => Array.from(t.dataSync());
const [n, h, w] = [6, 3, 4];
const pixels = h * w;
const random = new Random(31);
const images = Array.from({ length: n * pixels * 3 }, () => Math.fround(random.uniform(0, 255)));
const x = km.tensor(images, [n, h, w, 3]);

/** RandomSaturation's transform of an NHWC batch: scale[b] per image, the saturation clipped to [lo, hi]. */
const saturate = (data: readonly number[], scale: readonly number[], lo: number, hi: number) => Array.from({ length: data.length / 3 }, (_, p) => {
  const [hue, s, v] = toHsv(data[3 * p], data[3 * p + 1], data[3 * p + 2]);
  return toRgb(hue, Math.min(Math.max(s * scale[Math.floor(p / pixels)], lo), hi), v);
}).flat();

/** RandomHue's transform of an NHWC batch in [lo, hi]: delta[b] per image. */
const turn = (data: readonly number[], delta: readonly number[], lo: number, hi: number) => Array.from({ length: data.length / 3 }, (_, p) => {
  const [r, g, b] = [0, 1, 2].map((c) => (data[3 * p + c] - lo) / (hi - lo));
  const [hue, s, v] = toHsv(r, g, b);
  let turned = hue + delta[Math.floor(p / pixels)];
  if (turned > 1) turned -= 1;
  if (turned < 0) turned += 1;
  return toRgb(turned, s, v).map((c) => Math.min(Math.max(c, 0), 1) * (hi - lo) + lo);
}).flat();

/** The saturation scales f / (1 − f + 1e-7) that `seed` draws for `count` images. */
const scales = (seed: number, count: number, lower: number, upper: number) => {
  const r = new Random(seed);
  return Array.from({ length: count }, () => {
    const f = r.uniform(lower, upper);
    return f / (1 - f + 1e-7);
  });
};

/** The hue deltas ±f/2 that `seed` draws for `count` images: the sign first, then f. */
const deltas = (seed: number, count: number, lower: number, upper: number) => {
  const r = new Random(seed);
  return Array.from({ length: count }, () => {
    const sign = r.next() > 0.5 ? -1 : 1;
    return sign * r.uniform(lower, upper) * 0.5;
  });
};

describe.each(['wasm', 'tfjs-cpu'])('on backend %s', (name) => {
  beforeAll(() => useBackend(name));
  afterAll(() => useBackend('wasm'));

  it('randomSaturation: the saturation times f / (1 − f), f drawn per image in the pair\'s range', () => {
    const layer = km.layers.randomSaturation({ factor: [0.2, 0.8], seed: 4 });
    const a = scales(4, n, 0.2, 0.8);
    expect(a.some((v) => v < 0.6) && a.some((v) => v > 1.6)).toBe(true);
    expectClose(values(layer.apply(x, { training: true }) as km.Tensor), saturate(images, a, 0, 255), 2e-5);
  });

  it('randomSaturation: a number f draws in [−f, f] as Keras\' code reads it; a negative scale is clipped to the low end, greying the image', () => {
    const data = images.map((v) => Math.fround(v / 255));
    const layer = km.layers.randomSaturation({ factor: 0.9, valueRange: [0, 1], seed: 9 });
    expect(layer.factor).toEqual([-0.9, 0.9]);
    const a = scales(9, n, -0.9, 0.9);
    expect(a.some((v) => v < 0)).toBe(true);
    const y = values(layer.apply(km.tensor(data, [n, h, w, 3]), { training: true }) as km.Tensor);
    expectClose(y, saturate(data, a, 0, 1), 2e-5);
    a.forEach((scale, b) => {
      if (scale >= 0) return;
      for (let p = b * pixels; p < (b + 1) * pixels; p++) {
        const max = Math.max(data[3 * p], data[3 * p + 1], data[3 * p + 2]);
        expectClose(y.slice(3 * p, 3 * p + 3), [max, max, max], 1e-6);
      }
    });
  });

  it('randomSaturation: factor 0.5 keeps images, 0 turns every channel into the pixel\'s maximum', () => {
    // Keras' 1e-7 in f / (1 − f + 1e-7) makes the scale 0.9999998, not quite 1.
    expectClose(values(km.layers.randomSaturation({ factor: [0.5, 0.5] }).apply(x, { training: true }) as km.Tensor), images, 1e-4);
    const grey = values(km.layers.randomSaturation({ factor: [0, 0] }).apply(x, { training: true }) as km.Tensor);
    for (let p = 0; p < n * pixels; p++) {
      const max = Math.max(images[3 * p], images[3 * p + 1], images[3 * p + 2]);
      expectClose(grey.slice(3 * p, 3 * p + 3), [max, max, max], 1e-6);
    }
  });

  it('randomHue: the hue turned by ±f/2 (sign and f drawn per image), wrapped, clipped to [0, 1] in value-range terms', () => {
    const layer = km.layers.randomHue({ factor: [0.3, 1], seed: 6 });
    const d = deltas(6, n, 0.3, 1);
    expect(d.some((v) => v < 0) && d.some((v) => v > 0)).toBe(true);
    expectClose(values(layer.apply(x, { training: true }) as km.Tensor), turn(images, d, 0, 255), 2e-5);
    const data = images.map((v) => Math.fround(v / 128 - 1));
    const ranged = km.layers.randomHue({ factor: 0.7, valueRange: [-1, 1], seed: 7 });
    expect(ranged.factor).toEqual([0, 0.7]);
    expectClose(values(ranged.apply(km.tensor(data, [n, h, w, 3]), { training: true }) as km.Tensor), turn(data, deltas(7, n, 0, 0.7), -1, 1), 2e-5);
  });

  it('randomHue: half a turn takes red to cyan and yellow to blue; factor 0 keeps images', () => {
    const colours = km.tensor([255, 0, 0, 255, 255, 0], [2, 1, 1, 3]);
    expectClose(values(km.layers.randomHue({ factor: [1, 1] }).apply(colours, { training: true }) as km.Tensor), [0, 255, 255, 0, 0, 255], 1e-5);
    expectClose(values(km.layers.randomHue({ factor: 0 }).apply(x, { training: true }) as km.Tensor), images, 1e-5);
  });

  it('pass images through in predict and with training: false', () => {
    const m = km.sequential([km.layers.randomSaturation({ factor: 1, inputShape: [h, w, 3] }), km.layers.randomHue({ factor: 1 })]);
    expect(values(m.predict(x) as km.Tensor)).toEqual(images);
    expect(values(m.layers[1].apply(x, { training: false }) as km.Tensor)).toEqual(images);
  });
});

describe('gradient', () => {
  it('is 0 through both layers: the Dense before them does not move', async () => {
    await expectNoGradientThrough(km.layers.randomSaturation({ factor: 0.8, valueRange: [-1, 1] }), km.layers.randomHue({ factor: 0.5, valueRange: [-1, 1] }));
  });
});

describe('save and load', () => {
  it('with Keras 3 config names and values', async () => {
    const m = km.sequential([
      km.layers.randomSaturation({ factor: 0.4, seed: 2, inputShape: [h, w, 3] }),
      km.layers.randomHue({ factor: [0.1, 0.3], valueRange: [1, 0] }),
    ]);
    const artifacts = await kerasmArtifacts(m);
    const layers = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    const saved = Object.fromEntries(layers.map((l) => [l.class_name, l.config]));
    expect(saved.RandomSaturation).toMatchObject({ factor: [-0.4, 0.4], value_range: [0, 255], seed: 2 });
    expect(saved.RandomHue).toMatchObject({ factor: [0.1, 0.3], value_range: [0, 1], seed: null });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(m.layers.map((l) => l.getConfig()));
  });

  it('from the configs Keras 3 writes', () => {
    const hue = km.layers.layerFromConfig('RandomHue', { name: 'random_hue', trainable: true, dtype: 'float32', factor: [0, 0.5], value_range: [0, 1], seed: 3, data_format: 'channels_last' });
    expect(hue.getConfig()).toMatchObject({ factor: [0, 0.5], valueRange: [0, 1], seed: 3 });
    const saturation = km.layers.layerFromConfig('RandomSaturation', { name: 'random_saturation', trainable: true, dtype: 'float32', factor: [0.2, 0.8], value_range: [0, 255], seed: null });
    expect(saturation.getConfig()).toMatchObject({ factor: [0.2, 0.8], valueRange: [0, 255] });
  });
});

describe('bad options get errors that name the fix', () => {
  it.each([
    [() => km.layers.randomHue({ factor: -0.2 }), /factor must be a number in \[0, 1\] \(the range \[0, factor\]\).*Received: factor=-0.2/],
    [() => km.layers.randomHue({ factor: [2, 3] }), /Received: factor=\[2,3\]/],
    [() => km.layers.randomSaturation({ factor: 1.5 }), /factor must be a number in \[-1, 1\].*Received: factor=1.5/],
    [() => km.layers.randomSaturation({} as never), /factor/],
    [() => km.layers.randomHue({ factor: 0.1, valueRange: [2, 2] }), /valueRange must be a \[low, high\] pair of different finite numbers.*Received: valueRange=\[2,2\]/],
    [() => km.layers.randomSaturation({ factor: 0.1, seed: 0.5 }), /seed must be an integer or null. Received: seed=0.5/],
    [() => km.layers.randomHue({ factor: 0.1, value_range: [0, 1] } as never), /has no option 'value_range'/],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });

  it('refuse images without 3 channels', () => {
    expect(() => km.sequential([km.layers.randomHue({ factor: 0.2, inputShape: [8, 8, 1] })])).toThrow(/RandomHue layer .* needs RGB images of 3 channels.*Received: images of 1 channel\(s\), shape \(None, 8, 8, 1\)/);
    expect(() => km.sequential([km.layers.randomSaturation({ factor: 0.2, inputShape: [8, 8, 4] })])).toThrow(/RandomSaturation layer .* needs RGB images of 3 channels.*4 channel\(s\)/);
  });
});
