import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { useBackend } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';
import { expectDenseFirstGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// Keras 3's RandomGrayscale and RandomInvert: training outputs against float64 loops of Keras'
// formulas, with which images changed rebuilt from the seed; how often images change, from the
// formulas alone; inference pass-through; gradients; config round trip; errors.
beforeAll(() => km.ready());

const LUMA = [0.2989, 0.587, 0.114];
const values = (t: km.Tensor) => Array.from(t.dataSync());
const [n, h, w] = [6, 3, 4];
const pixels = h * w;
const random = new Random(11);
const images = Array.from({ length: n * pixels * 3 }, () => Math.fround(random.uniform(0, 255)));
const x = km.tensor(images, [n, h, w, 3]);

/** Image b of `data` ([n, h, w, 3]) with every channel the luma, in float64. */
const grey = (data: number[], b: number) => Array.from({ length: pixels * 3 }, (_, i) => {
  const p = b * pixels * 3 + Math.floor(i / 3) * 3;
  return LUMA[0] * data[p] + LUMA[1] * data[p + 1] + LUMA[2] * data[p + 2];
});
const image = (data: number[], b: number) => data.slice(b * pixels * 3, (b + 1) * pixels * 3);
/** The fraction of `count` 1×1 images that `layer` changes in one training call. */
const changedFraction = (layer: km.layers.Layer, count: number, channels: number, value: number) => {
  const y = values(layer.apply(km.tensor(new Float32Array(count * channels).fill(value), [count, 1, 1, channels]), { training: true }) as km.Tensor);
  return Array.from({ length: count }, (_, b) => y[b * channels] !== value).filter(Boolean).length / count;
};

describe.each(['wasm', 'tfjs-cpu'])('on backend %s', (name) => {
  beforeAll(() => useBackend(name));
  afterAll(() => useBackend('wasm'));

  it('randomGrayscale: the images drawn (u < factor) have every channel 0.2989·R + 0.587·G + 0.114·B, the others are unchanged', () => {
    const layer = km.layers.randomGrayscale({ factor: 0.5, seed: 3 });
    const r = new Random(3);
    const turned = Array.from({ length: n }, () => r.next() < 0.5);
    expect(turned).toContain(true);
    expect(turned).toContain(false);
    const y = values(layer.apply(x, { training: true }) as km.Tensor);
    turned.forEach((g, b) => {
      if (g) expectClose(image(y, b), grey(images, b), 1e-6);
      else expect(image(y, b)).toEqual(image(images, b));
    });
    const all = values(km.layers.randomGrayscale({ factor: 1 }).apply(x, { training: true }) as km.Tensor);
    for (let b = 0; b < n; b++) expectClose(image(all, b), grey(images, b), 1e-6);
  });

  it('randomInvert: the images drawn (u < p, p drawn in the factor range) become high − x, the others are unchanged', () => {
    const layer = km.layers.randomInvert({ factor: [0.2, 0.9], valueRange: [-1, 3], seed: 8 });
    const data = images.map((v) => Math.fround(v / 64 - 1));
    const r = new Random(8);
    const inverted = Array.from({ length: n }, () => {
      const p = r.uniform(0.2, 0.9);
      return r.next() < p;
    });
    expect(inverted).toContain(true);
    expect(inverted).toContain(false);
    const y = values(layer.apply(km.tensor(data, [n, h, w, 3]), { training: true }) as km.Tensor);
    inverted.forEach((inv, b) => {
      if (inv) expectClose(image(y, b), image(data, b).map((v) => 3 - v), 1e-6);
      else expect(image(y, b)).toEqual(image(data, b));
    });
  });

  it('change as often as the formulas say: grayscale with probability factor, invert with E[p] = f/2 for factor f', () => {
    km.utils.setRandomSeed(4);
    expect(Math.abs(changedFraction(km.layers.randomGrayscale({ factor: 0.3 }), 3000, 3, 100) - 0.3)).toBeLessThan(0.035);
    // A grey pixel of (100, 100, 100) is 0.9999·100: changed, though barely.
    expect(Math.abs(changedFraction(km.layers.randomInvert({ factor: 0.6 }), 3000, 1, 100) - 0.3)).toBeLessThan(0.035);
    expect(changedFraction(km.layers.randomInvert({ factor: [0, 0] }), 200, 1, 100)).toBe(0);
  });

  it('pass images through in predict and with training: false', () => {
    const m = km.sequential([km.layers.randomGrayscale({ factor: 1, inputShape: [h, w, 3] }), km.layers.randomInvert({ factor: 1 })]);
    expect(values(m.predict(x) as km.Tensor)).toEqual(images);
    expect(values(m.layers[0].apply(x, { training: false }) as km.Tensor)).toEqual(images);
  });
});

describe('gradients through the augmentation to a trainable layer before it (finite differences)', () => {
  const [k, rows] = [2, 4];
  const inputs = Array.from({ length: rows * k }, () => random.uniform(-1, 1));
  const targets = Array.from({ length: rows * 12 }, () => random.uniform(-1, 1));
  const model = (augment: km.layers.Layer) => km.sequential([
    km.layers.dense({ units: 12, inputShape: [k] }),
    km.layers.reshape({ targetShape: [2, 2, 3] }),
    augment,
    km.layers.flatten(),
  ]);

  it('randomGrayscale: dx = dy times the transposed channel matrix', async () => {
    const r = new Random(5);
    const turned = Array.from({ length: rows }, () => r.next() < 0.5);
    await expectDenseFirstGradients(model(km.layers.randomGrayscale({ seed: 5 })), inputs, targets, rows, (hidden) =>
      turned.flatMap((g, b) => (g ? Array.from({ length: 12 }, (_, i) => {
        const p = b * 12 + Math.floor(i / 3) * 3;
        return LUMA[0] * hidden[p] + LUMA[1] * hidden[p + 1] + LUMA[2] * hidden[p + 2];
      }) : hidden.slice(b * 12, (b + 1) * 12))));
  });

  it('randomInvert: dx = −dy on the inverted images', async () => {
    const r = new Random(6);
    const inverted = Array.from({ length: rows }, () => {
      const p = r.uniform(0, 1);
      return r.next() < p;
    });
    await expectDenseFirstGradients(model(km.layers.randomInvert({ valueRange: [-1, 1], seed: 6 })), inputs, targets, rows, (hidden) =>
      inverted.flatMap((inv, b) => hidden.slice(b * 12, (b + 1) * 12).map((v) => (inv ? 1 - v : v))));
  });
});

describe('save and load', () => {
  it('with Keras 3 config names and values', async () => {
    const m = km.sequential([
      km.layers.randomGrayscale({ factor: 0.25, seed: 2, inputShape: [h, w, 3] }),
      km.layers.randomInvert({ factor: 0.4, valueRange: [1, 0] }),
    ]);
    const artifacts = await kerasmArtifacts(m);
    const layers = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    const saved = Object.fromEntries(layers.map((l) => [l.class_name, l.config]));
    expect(saved.RandomGrayscale).toMatchObject({ factor: 0.25, seed: 2 });
    expect(saved.RandomInvert).toMatchObject({ factor: [0, 0.4], value_range: [0, 1], seed: null });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(m.layers.map((l) => l.getConfig()));
  });

  it('from the config Keras 3 writes', () => {
    const layer = km.layers.layerFromConfig('RandomInvert', { name: 'random_invert', trainable: true, dtype: 'float32', factor: [0, 1], value_range: [0, 255], seed: null, data_format: 'channels_last' });
    expect(layer.getConfig()).toMatchObject({ factor: [0, 1], valueRange: [0, 255] });
  });
});

describe('bad options get errors that name the fix', () => {
  it.each([
    [() => km.layers.randomGrayscale({ factor: 1.5 }), /factor must be a number in \[0, 1\], the chance that an image turns grey.*Received: factor=1.5/],
    [() => km.layers.randomGrayscale({ factor: [0, 1] as unknown as number }), /factor must be a number in \[0, 1\].*Received: factor=\[0,1\]/],
    [() => km.layers.randomInvert({ factor: [0, 2] }), /factor must be a number in \[0, 1\] \(the range \[0, factor\]\) or a \[lower, upper\] pair.*Received: factor=\[0,2\]/],
    [() => km.layers.randomInvert({ valueRange: [3, 3] }), /valueRange must be a \[low, high\] pair of different finite numbers.*Received: valueRange=\[3,3\]/],
    [() => km.layers.randomInvert({ seed: 1.5 }), /seed must be an integer or null. Received: seed=1.5/],
    [() => km.layers.randomGrayscale({ value_range: [0, 1] } as never), /has no option 'value_range'/],
    [() => km.layers.randomInvert({ dataFormat: 'channelsFirst' as never }), /channels/i],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });

  it('randomGrayscale refuses images without 3 channels', () => {
    expect(() => km.sequential([km.layers.randomGrayscale({ inputShape: [8, 8, 1] })])).toThrow(/needs 3 channels.*Received: images of 1 channel\(s\), shape \(None, 8, 8, 1\)/);
  });
});
