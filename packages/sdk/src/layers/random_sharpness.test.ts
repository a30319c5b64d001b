import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { useBackend } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';
import { expectDenseFirstGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// Keras 3's RandomSharpness: training outputs against a float64 loop of Keras' formula
// clip(x + (1 − 2f)·(smooth − x), value_range), smooth the zero-padded 3×3 blur (1/13 around,
// 5/13 at the centre), with each image's f rebuilt from the seed; inference pass-through;
// gradients; config round trip; errors.
beforeAll(() => km.ready());

const values = (t: km.Tensor) => Array.from(t.dataSync());
const [n, h, w, c] = [5, 4, 3, 2];
const random = new Random(17);
const images = Array.from({ length: n * h * w * c }, () => Math.fround(random.uniform(0, 255)));
const x = km.tensor(images, [n, h, w, c]);

/** Keras' formula in float64 over an NHWC batch of [hh, ww, cc] images, f[b] per image. */
function sharpen(data: readonly number[], f: readonly number[], lo: number, hi: number, [hh, ww, cc] = [h, w, c]): number[] {
  return data.map((v, i) => {
    const [b, rest] = [Math.floor(i / (hh * ww * cc)), i % (hh * ww * cc)];
    const [y, xx, ch] = [Math.floor(rest / (ww * cc)), Math.floor(rest / cc) % ww, rest % cc];
    let smooth = 0;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const [sy, sx] = [y + dy, xx + dx];
        if (sy < 0 || sy >= hh || sx < 0 || sx >= ww) continue;
        smooth += data[((b * hh + sy) * ww + sx) * cc + ch] * (dy === 0 && dx === 0 ? 5 / 13 : 1 / 13);
      }
    }
    return Math.min(Math.max(v + (1 - 2 * f[b]) * (smooth - v), lo), hi);
  });
}
const draws = (seed: number, count: number, lower: number, upper: number) => {
  const r = new Random(seed);
  return Array.from({ length: count }, () => r.uniform(lower, upper));
};

describe.each(['wasm', 'tfjs-cpu'])('on backend %s', (name) => {
  beforeAll(() => useBackend(name));
  afterAll(() => useBackend('wasm'));

  it('a number f draws each image\'s factor in [0, f]; the result is clipped to [0, 255] by default', () => {
    const layer = km.layers.randomSharpness({ factor: 1, seed: 3 });
    const f = draws(3, n, 0, 1);
    expect(f.some((v) => v < 0.3) && f.some((v) => v > 0.7)).toBe(true);
    const y = values(layer.apply(x, { training: true }) as km.Tensor);
    expectClose(y, sharpen(images, f, 0, 255), 2e-6);
  });

  it('a [lower, upper] pair draws in it, with the value range clipping', () => {
    const data = images.map((v) => Math.fround(v / 128 - 1));
    const layer = km.layers.randomSharpness({ factor: [0.9, 0.6], valueRange: [0.7, -0.7], seed: 8 });
    expect(layer.factor).toEqual([0.6, 0.9]);
    const y = values(layer.apply(km.tensor(data, [n, h, w, c]), { training: true }) as km.Tensor);
    expectClose(y, sharpen(data, draws(8, n, 0.6, 0.9), -0.7, 0.7), 2e-6);
    expect(y.some((v) => Math.abs(v) === Math.fround(0.7))).toBe(true);
  });

  it('factor [0.5, 0.5] keeps images; [0, 0] gives the blur: a constant image keeps its inside and darkens at the edges (neighbours weigh 1/13, the pixel 5/13)', () => {
    expectClose(values(km.layers.randomSharpness({ factor: [0.5, 0.5] }).apply(x, { training: true }) as km.Tensor), images, 1e-6);
    const flat = values(km.layers.randomSharpness({ factor: [0, 0] }).apply(km.tensor(new Array(9).fill(130), [1, 3, 3, 1]), { training: true }) as km.Tensor);
    expectClose(flat, [8, 10, 8, 10, 13, 10, 8, 10, 8].map((k) => (130 * k) / 13), 1e-6);
  });

  it('passes images through in predict and with training: false', () => {
    const m = km.sequential([km.layers.randomSharpness({ factor: [0, 0], inputShape: [h, w, c] })]);
    expect(values(m.predict(x) as km.Tensor)).toEqual(images);
    expect(values(m.layers[0].apply(x, { training: false }) as km.Tensor)).toEqual(images);
  });
});

describe('gradients through the blur, the blend and the clip to a trainable layer before it (finite differences)', () => {
  it('matches a float64 reference', async () => {
    const [k, rows] = [2, 3];
    const inputs = Array.from({ length: rows * k }, () => random.uniform(-1, 1));
    const targets = Array.from({ length: rows * 12 }, () => random.uniform(-1, 1));
    const model = km.sequential([
      km.layers.dense({ units: 12, inputShape: [k] }),
      km.layers.reshape({ targetShape: [3, 2, 2] }),
      km.layers.randomSharpness({ factor: 1, valueRange: [-0.8, 0.8], seed: 5 }),
      km.layers.flatten(),
    ]);
    const f = draws(5, rows, 0, 1);
    await expectDenseFirstGradients(model, inputs, targets, rows, (hidden) => sharpen(hidden, f, -0.8, 0.8, [3, 2, 2]));
  });
});

describe('save and load', () => {
  it('with Keras 3 config names and values', async () => {
    const m = km.sequential([km.layers.randomSharpness({ factor: 0.4, valueRange: [1, 0], seed: 2, inputShape: [h, w, c] })]);
    const artifacts = await kerasmArtifacts(m);
    const saved = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[0];
    expect(saved.class_name).toBe('RandomSharpness');
    expect(saved.config).toMatchObject({ factor: [0, 0.4], value_range: [0, 1], seed: 2 });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(m.layers.map((l) => l.getConfig()));
  });

  it('from the config Keras 3 writes', () => {
    const layer = km.layers.layerFromConfig('RandomSharpness', { name: 'random_sharpness', trainable: true, dtype: 'float32', factor: [0.2, 0.8], value_range: [0, 255], seed: null, data_format: 'channels_last' });
    expect(layer.getConfig()).toMatchObject({ factor: [0.2, 0.8], valueRange: [0, 255], seed: null });
  });
});

describe('bad options get errors that name the fix', () => {
  it.each([
    [() => km.layers.randomSharpness({ factor: -0.5 }), /factor must be a number in \[0, 1\] \(the range \[0, factor\]\).*Received: factor=-0.5/],
    [() => km.layers.randomSharpness({} as never), /factor/],
    [() => km.layers.randomSharpness({ factor: 0.1, valueRange: [1, 1] }), /valueRange must be a \[low, high\] pair of different finite numbers.*Received: valueRange=\[1,1\]/],
    [() => km.layers.randomSharpness({ factor: 0.1, seed: 0.5 }), /seed must be an integer or null. Received: seed=0.5/],
    [() => km.layers.randomSharpness({ factor: 0.1, value_range: [0, 1] } as never), /has no option 'value_range'/],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });
});
