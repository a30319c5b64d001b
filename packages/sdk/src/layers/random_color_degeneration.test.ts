import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { useBackend } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';
import { expectDenseFirstGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// Keras 3's RandomColorDegeneration: training outputs against a float64 loop of Keras' formula
// clip(x + f·(grey − x), value_range) with each image's f rebuilt from the seed; how the factor is
// read; inference pass-through; gradients; config round trip; errors.
beforeAll(() => km.ready());

const LUMA = [0.2989, 0.587, 0.114];
const values = (t: km.Tensor) => Array.from(t.dataSync());
const [n, h, w] = [6, 3, 4];
const random = new Random(21);
const images = Array.from({ length: n * h * w * 3 }, () => Math.fround(random.uniform(0, 255)));
const x = km.tensor(images, [n, h, w, 3]);

/** Keras' formula in float64 over an NHWC batch of RGB images, f[b] per image. */
const degenerate = (data: readonly number[], f: readonly number[], lo: number, hi: number) => data.map((v, i) => {
  const p = i - (i % 3);
  const grey = LUMA[0] * data[p] + LUMA[1] * data[p + 1] + LUMA[2] * data[p + 2];
  return Math.min(Math.max(v + f[Math.floor(i / (data.length / f.length))] * (grey - v), lo), hi);
});
const draws = (seed: number, count: number, lower: number, upper: number) => {
  const r = new Random(seed);
  return Array.from({ length: count }, () => r.uniform(lower, upper));
};

describe.each(['wasm', 'tfjs-cpu'])('on backend %s', (name) => {
  beforeAll(() => useBackend(name));
  afterAll(() => useBackend('wasm'));

  it('a number f draws each image\'s factor in [−f, f] (as Keras\' code reads it), clipped to [0, 255] by default', () => {
    const layer = km.layers.randomColorDegeneration({ factor: 0.9, seed: 3 });
    const f = draws(3, n, -0.9, 0.9);
    expect(f.some((v) => v < -0.3) && f.some((v) => v > 0.3)).toBe(true);
    const y = values(layer.apply(x, { training: true }) as km.Tensor);
    expectClose(y, degenerate(images, f, 0, 255), 2e-6);
    expect(y.some((v) => v === 255) || y.some((v) => v === 0)).toBe(true);
  });

  it('a [lower, upper] pair draws in it; the value range clips', () => {
    const data = images.map((v) => Math.fround(v / 128 - 1));
    const layer = km.layers.randomColorDegeneration({ factor: [0.8, -0.6], valueRange: [0.5, -0.5], seed: 8 });
    expect(layer.factor).toEqual([-0.6, 0.8]);
    const y = values(layer.apply(km.tensor(data, [n, h, w, 3]), { training: true }) as km.Tensor);
    expectClose(y, degenerate(data, draws(8, n, -0.6, 0.8), -0.5, 0.5), 2e-6);
  });

  it('factor [1, 1] makes every image grey, [0, 0] keeps it', () => {
    const grey = values(km.layers.randomColorDegeneration({ factor: [1, 1] }).apply(x, { training: true }) as km.Tensor);
    expectClose(grey, degenerate(images, new Array(n).fill(1), 0, 255), 2e-6);
    for (let i = 0; i < grey.length; i += 3) expect(grey[i + 1]).toBe(grey[i]);
    expectClose(values(km.layers.randomColorDegeneration({ factor: [0, 0] }).apply(x, { training: true }) as km.Tensor), images, 1e-4);
  });

  it('passes images through in predict and with training: false', () => {
    const m = km.sequential([km.layers.randomColorDegeneration({ factor: 1, inputShape: [h, w, 3] })]);
    expect(values(m.predict(x) as km.Tensor)).toEqual(images);
    expect(values(m.layers[0].apply(x, { training: false }) as km.Tensor)).toEqual(images);
  });
});

describe('gradients through the blend and the clip to a trainable layer before it (finite differences)', () => {
  it('matches a float64 reference', async () => {
    const [k, rows] = [2, 4];
    const inputs = Array.from({ length: rows * k }, () => random.uniform(-1, 1));
    const targets = Array.from({ length: rows * 12 }, () => random.uniform(-1, 1));
    const model = km.sequential([
      km.layers.dense({ units: 12, inputShape: [k] }),
      km.layers.reshape({ targetShape: [2, 2, 3] }),
      km.layers.randomColorDegeneration({ factor: 1, valueRange: [-0.6, 0.6], seed: 5 }),
      km.layers.flatten(),
    ]);
    const f = draws(5, rows, -1, 1);
    await expectDenseFirstGradients(model, inputs, targets, rows, (hidden) => degenerate(hidden, f, -0.6, 0.6));
  });
});

describe('save and load', () => {
  it('with Keras 3 config names and values', async () => {
    const m = km.sequential([km.layers.randomColorDegeneration({ factor: 0.4, valueRange: [1, 0], seed: 2, inputShape: [h, w, 3] })]);
    const artifacts = await kerasmArtifacts(m);
    const saved = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[0];
    expect(saved.class_name).toBe('RandomColorDegeneration');
    expect(saved.config).toMatchObject({ factor: [-0.4, 0.4], value_range: [0, 1], seed: 2 });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(m.layers.map((l) => l.getConfig()));
  });

  it('from the config Keras 3 writes', () => {
    const layer = km.layers.layerFromConfig('RandomColorDegeneration', { name: 'random_color_degeneration', trainable: true, dtype: 'float32', factor: [0.1, 0.3], value_range: [0, 255], seed: null, data_format: 'channels_last' });
    expect(layer.getConfig()).toMatchObject({ factor: [0.1, 0.3], valueRange: [0, 255], seed: null });
  });
});

describe('bad options get errors that name the fix', () => {
  it.each([
    [() => km.layers.randomColorDegeneration({ factor: 1.5 }), /factor must be a number in \[-1, 1\].*or a \[lower, upper\] pair.*Received: factor=1.5/],
    [() => km.layers.randomColorDegeneration({ factor: [2, 3] }), /Received: factor=\[2,3\]/],
    [() => km.layers.randomColorDegeneration({} as never), /factor/],
    [() => km.layers.randomColorDegeneration({ factor: 0.1, valueRange: [3, 3] }), /valueRange must be a \[low, high\] pair of different finite numbers.*Received: valueRange=\[3,3\]/],
    [() => km.layers.randomColorDegeneration({ factor: 0.1, seed: 1.5 }), /seed must be an integer or null. Received: seed=1.5/],
    [() => km.layers.randomColorDegeneration({ factor: 0.1, value_range: [0, 1] } as never), /has no option 'value_range'/],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });

  it('refuses images without 3 channels', () => {
    expect(() => km.sequential([km.layers.randomColorDegeneration({ factor: 0.2, inputShape: [8, 8, 1] })])).toThrow(/needs 3 channels.*Received: images of 1 channel\(s\), shape \(None, 8, 8, 1\)/);
  });
});
