import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { useBackend } from '../testing/backends_here.js';
import { expectNoGradientThrough } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// Keras 3's Equalization: outputs against a loop of Keras' equalization steps per image and
// channel (its float32 tensor arithmetic emulated with Math.fround, the lookup table divided in
// float64 and rounded half to even), for several bin counts and value ranges, on wasm and
// tfjs-cpu; one-bin and constant channels; inference; the zero gradient; config round trip; errors.
beforeAll(() => km.ready());

const f = Math.fround;
const values = (t: km.Tensor) => Array.from(t.dataSync());
const [n, h, w, c] = [4, 6, 5, 3];
const pixels = h * w;
const random = new Random(17);

function halfEven(v: number): number {
  const r = Math.round(v);
  return v % 1 === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Keras' Equalization of each image's channel of an NHWC batch of `pixels`-pixel images. */
function reference(x: readonly number[], lo: number, hi: number, bins: number, channels = c, size = pixels): number[] {
  const out = [...x];
  const toUnit = 255 / (hi - lo);
  const [scale, offset, back, top] = [f(toUnit), f(-lo * toUnit), f((hi - lo) / 255), bins - 1];
  const bin = (s: number) => (s > 0 ? Math.trunc(Math.min(s, top)) : 0);
  for (let b = 0; b < x.length / (size * channels); b++) {
    for (let ch = 0; ch < channels; ch++) {
      const at = Array.from({ length: size }, (_, p) => (b * size + p) * channels + ch);
      const unit = at.map((i) => f(f(x[i] * scale) + offset));
      const hist = new Array<number>(bins).fill(0);
      for (const u of unit) hist[bin(f(f(u * top) / 255))]++;
      const filled = hist.filter((count) => count > 0);
      if (filled.length <= 1) continue;
      let cdf = 0;
      const lut = hist.map((count) => {
        cdf += count;
        return Math.min(Math.max(halfEven(((cdf - filled[0]) * 255) / (size - filled[0])), 0), 255);
      });
      at.forEach((i, p) => (out[i] = f(f(lut[bin(f(f(unit[p] / 255) * top))] * back) + lo)));
    }
  }
  return out;
}

/** Random images in [lo, hi]: 8-bit levels (many values on bin edges) or any float32. */
const imagesIn = (lo: number, hi: number, levels: boolean) =>
  Array.from({ length: n * pixels * c }, () => f(levels ? lo + (Math.floor(random.uniform(0, 256)) / 255) * (hi - lo) : random.uniform(lo, hi)));

describe.each(['wasm', 'tfjs-cpu'])('on backend %s', (name) => {
  beforeAll(() => useBackend(name));
  afterAll(() => useBackend('wasm'));

  it.each([
    [256, 0, 255, true],
    [256, 0, 255, false],
    [64, 0, 1, true],
    [7, -1, 1, false],
    [1000, 0, 1, false],
  ])('%i bins over [%d, %d] (8-bit levels: %s) match the loop of Keras\' steps, in training and inference', (bins, lo, hi, levels) => {
    const data = imagesIn(lo, hi, levels);
    const x = km.tensor(data, [n, h, w, c]);
    const expected = reference(data, lo, hi, bins);
    const layer = km.layers.equalization({ valueRange: [lo, hi], bins });
    expect(values(layer.apply(x, { training: true }) as km.Tensor)).toEqual(expected);
    const m = km.sequential([km.layers.equalization({ valueRange: [hi, lo], bins, inputShape: [h, w, c] })]);
    expect(values(m.predict(x, { batchSize: 3 }) as km.Tensor)).toEqual(expected);
    // Each channel spreads over the whole range: its lowest bin goes to lo and its highest to hi.
    expect(Math.min(...expected)).toBe(lo);
    expect(Math.max(...expected)).toBeCloseTo(hi, 5);
  });

  it('equalizes each image on its own, whatever else is in the batch', () => {
    const data = imagesIn(0, 255, false);
    const layer = km.layers.equalization();
    const batch = values(layer.apply(km.tensor(data, [n, h, w, c])) as km.Tensor);
    const size = pixels * c;
    const second = values(layer.apply(km.tensor(data.slice(size, 2 * size), [1, h, w, c])) as km.Tensor);
    expect(batch.slice(size, 2 * size)).toEqual(second);
  });

  it('leaves a constant image, and a channel whose values share one bin, as they are', () => {
    const constant = new Array(pixels * c).fill(0.25);
    expect(values(km.layers.equalization({ valueRange: [0, 1] }).apply(km.tensor(constant, [1, h, w, c])) as km.Tensor)).toEqual(constant);
    // Channel 0 within the first of 8 bins of [0, 255] (below 255/7), channels 1 and 2 spread.
    const data = Array.from({ length: pixels * c }, (_, i) => f(i % c === 0 ? random.uniform(0, 36) : random.uniform(0, 255)));
    const y = values(km.layers.equalization({ bins: 8 }).apply(km.tensor(data, [1, h, w, c])) as km.Tensor);
    expect(y.filter((_, i) => i % c === 0)).toEqual(data.filter((_, i) => i % c === 0));
    expect(y).toEqual(reference(data, 0, 255, 8, c, pixels));
    expect(y.filter((_, i) => i % c === 1)).not.toEqual(data.filter((_, i) => i % c === 1));
    // One bin holds every value: nothing changes.
    expect(values(km.layers.equalization({ bins: 1 }).apply(km.tensor(data, [1, h, w, c])) as km.Tensor)).toEqual(data);
  });
});

describe('gradient', () => {
  it('is 0: the Dense before it does not move', async () => {
    await expectNoGradientThrough(km.layers.equalization({ valueRange: [-1, 1], bins: 16 }));
  });
});

describe('save and load', () => {
  it('with Keras 3 config names and values', async () => {
    const m = km.sequential([km.layers.equalization({ valueRange: [1, 0], bins: 32, inputShape: [h, w, c] })]);
    const artifacts = await kerasmArtifacts(m);
    const saved = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[0];
    expect(saved.class_name).toBe('Equalization');
    expect(saved.config).toMatchObject({ value_range: [0, 1], bins: 32 });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(m.layers.map((l) => l.getConfig()));
  });

  it('from the config Keras 3 writes', () => {
    const layer = km.layers.layerFromConfig('Equalization', { name: 'equalization', trainable: true, dtype: 'float32', value_range: [0, 255], bins: 256, data_format: 'channels_last' });
    expect(layer.getConfig()).toMatchObject({ valueRange: [0, 255], bins: 256 });
  });
});

describe('bad options get errors that name the fix', () => {
  it.each([
    [() => km.layers.equalization({ bins: 0 }), /bins must be a positive integer.*e.g. bins: 256.*Received: bins=0/],
    [() => km.layers.equalization({ bins: 2.5 }), /bins must be a positive integer.*Received: bins=2.5/],
    [() => km.layers.equalization({ bins: '8' as never }), /Received: bins="8"/],
    [() => km.layers.equalization({ valueRange: [3, 3] }), /valueRange must be a \[low, high\] pair of different finite numbers.*Received: valueRange=\[3,3\]/],
    [() => km.layers.equalization({ dataFormat: 'channels_first' as never }), /channels/],
    [() => km.layers.equalization({ value_range: [0, 1] } as never), /has no option 'value_range'/],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });
});
