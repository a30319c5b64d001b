import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { useBackend } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';
import { expectDenseFirstGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// Keras 3's Solarization on each backend: training outputs against a float64 loop of Keras'
// formula with each image's (addition, threshold) rebuilt from the seed, the flip checked exactly
// where no rounding enters, Keras' documented example, inference pass-through, gradients, config
// round trip and errors.
beforeAll(() => km.ready());

const values = (t: km.Tensor) => Array.from(t.dataSync());
const [n, h, w, c] = [5, 4, 3, 3];
const size = h * w * c;
const random = new Random(21);
const images = Array.from({ length: n * size }, () => Math.fround(random.uniform(0, 255)));
const x = km.tensor(images, [n, h, w, c]);

/** Keras' Solarization of `data` in float64, `drawn[b]` = (addition, threshold) in [0, 255] units. */
function refSolarize(data: number[], drawn: [number, number][], [lo, hi]: [number, number]): { y: number[]; margin: number[] } {
  const margin: number[] = [];
  const y = data.map((v, i) => {
    const [addition, threshold] = drawn[Math.floor(i / size)];
    const r = Math.min(Math.max(((v - lo) / (hi - lo)) * 255 + addition, 0), 255);
    margin.push(Math.abs(r - threshold));
    return ((r < threshold ? r : 255 - r) / 255) * (hi - lo) + lo;
  });
  return { y, margin };
}

/** The (addition, threshold) pairs a layer seeded with `seed` draws for `count` images. */
const drawn = (seed: number, count: number, [a0, a1]: number[], [t0, t1]: number[]) => {
  const r = new Random(seed);
  return Array.from({ length: count }, (): [number, number] => [r.uniform(a0 * 255, a1 * 255), r.uniform(t0 * 255, t1 * 255)]);
};

describe.each(['wasm', 'tfjs-cpu'])('on backend %s', (name) => {
  beforeAll(() => useBackend(name));
  afterAll(() => useBackend('wasm'));

  it('follows Keras: map to [0, 255], add, clip, flip at or above the threshold, map back', () => {
    const range: [number, number] = [-1, 1];
    const data = images.map((v) => Math.fround(v / 127.5 - 1));
    const layer = km.layers.solarization({ additionFactor: [0.1, 0.3], thresholdFactor: [0.3, 0.8], valueRange: range, seed: 7 });
    const { y: expected, margin } = refSolarize(data, drawn(7, n, [0.1, 0.3], [0.3, 0.8]), range);
    const y = values(layer.apply(km.tensor(data, [n, h, w, c]), { training: true }) as km.Tensor);
    // Values within rounding of their threshold may fall either side; every other one is checked.
    const far = (i: number) => margin[i] > 1e-3;
    expectClose(y.filter((_, i) => far(i)), expected.filter((_, i) => far(i)), 2e-6);
    expect(expected.filter((v, i) => far(i) && v !== data[i]).length).toBeGreaterThan(size);
    // Values the addition pushes past 255 clip there, then flip to 0: the bottom of the range.
    expect(y.some((v) => v === -1)).toBe(true);
  });

  it('in [0, 255] without an addition flips exactly the values at or above each image\'s threshold to 255 − x', () => {
    const layer = km.layers.solarization({ thresholdFactor: [0.2, 0.8], seed: 12 });
    const thresholds = drawn(12, n, [0, 0], [0.2, 0.8]).map(([, t]) => t);
    const y = values(layer.apply(x, { training: true }) as km.Tensor);
    expect(y).toEqual(images.map((v, i) => (v < thresholds[Math.floor(i / size)] ? v : Math.fround(255 - v))));
    expect(y.filter((v, i) => v === images[i]).length).toBeGreaterThan(0);
    expect(y.filter((v, i) => v !== images[i]).length).toBeGreaterThan(0);
  });

  it('with its defaults solarizes every value, as in Keras\' example: [59, 62, 63] becomes [196, 193, 192]', () => {
    const y = km.layers.solarization().apply(km.tensor([59, 62, 63], [1, 1, 1, 3]), { training: true }) as km.Tensor;
    expect(values(y)).toEqual([196, 193, 192]);
  });

  it('passes images through in predict and with training: false', () => {
    const m = km.sequential([km.layers.solarization({ additionFactor: 0.5, inputShape: [h, w, c] })]);
    expect(values(m.predict(x) as km.Tensor)).toEqual(images);
    expect(values(m.layers[0].apply(x, { training: false }) as km.Tensor)).toEqual(images);
  });

  it('passes the gradient to a trainable layer before it: dy below the threshold, −dy at or above it, 0 where clipped (finite differences)', async () => {
    const [k, rows] = [2, 4];
    const r = new Random(4);
    const inputs = Array.from({ length: rows * k }, () => r.uniform(-1, 1));
    const targets = Array.from({ length: rows * 12 }, () => r.uniform(-1, 1));
    const model = km.sequential([
      km.layers.dense({ units: 12, inputShape: [k] }),
      km.layers.reshape({ targetShape: [2, 2, 3] }),
      km.layers.solarization({ additionFactor: 0.2, thresholdFactor: [0.2, 0.5], valueRange: [-1, 1], seed: 2 }),
      km.layers.flatten(),
    ]);
    const params = drawn(2, rows, [0, 0.2], [0.2, 0.5]);
    await expectDenseFirstGradients(model, inputs, targets, rows, (hidden) => hidden.map((v, i) => {
      const [addition, threshold] = params[Math.floor(i / 12)];
      const raw = ((v + 1) / 2) * 255 + addition;
      const rr = Math.min(Math.max(raw, 0), 255);
      return ((rr < threshold ? rr : 255 - rr) / 255) * 2 - 1;
    }));
  });
});

describe('save and load', () => {
  it('with Keras 3 config names and the (lower, upper) ranges Keras saves', async () => {
    const m = km.sequential([km.layers.solarization({ additionFactor: 0.1, thresholdFactor: [0.6, 0.4], valueRange: [1, 0], seed: 3, inputShape: [h, w, c] })]);
    const artifacts = await kerasmArtifacts(m);
    const saved = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[0];
    expect(saved.class_name).toBe('Solarization');
    expect(saved.config).toMatchObject({ addition_factor: [0, 0.1], threshold_factor: [0.4, 0.6], value_range: [0, 1], seed: 3 });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(m.layers.map((l) => l.getConfig()));
  });

  it('from the config Keras 3 writes', () => {
    const layer = km.layers.layerFromConfig('Solarization', { name: 'solarization', trainable: true, dtype: 'float32', value_range: [0, 255], addition_factor: [0, 0], threshold_factor: [0, 0.5], seed: null });
    expect(layer.getConfig()).toMatchObject({ additionFactor: [0, 0], thresholdFactor: [0, 0.5], valueRange: [0, 255], seed: null });
  });
});

describe('bad options get errors that name the fix', () => {
  it.each([
    [() => km.layers.solarization({ additionFactor: 1.5 }), /additionFactor must be a number in \[0, 1\].*Received: additionFactor=1.5/],
    [() => km.layers.solarization({ thresholdFactor: [-0.1, 0.5] }), /thresholdFactor must be a number in \[0, 1\].*or a \[lower, upper\] pair.*Received: thresholdFactor=\[-0.1,0.5\]/],
    [() => km.layers.solarization({ valueRange: [0, Infinity] }), /valueRange must be a \[low, high\] pair of different finite numbers/],
    [() => km.layers.solarization({ threshold_factor: 0.5 } as never), /has no option 'threshold_factor'/],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });
});
