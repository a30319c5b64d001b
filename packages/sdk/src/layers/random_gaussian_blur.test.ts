import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { useBackend } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';
import { expectDenseFirstGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// Keras 3's RandomGaussianBlur: training outputs against a float64 loop of Keras' gaussian_blur
// (a k×k kernel, outer product of normalised 1-D Gaussians, rows under sigma[1] and columns under
// sigma[0], zeros beyond the edges), chosen per image by the apply flag, then every image clipped to
// value_range; the draws rebuilt from the seed in Keras' order. Inference pass-through, gradients,
// config round trip, errors.
beforeAll(() => km.ready());

const values = (t: km.Tensor) => Array.from(t.dataSync());
const [n, h, w, c] = [6, 5, 4, 2];
const random = new Random(23);
const images = Array.from({ length: n * h * w * c }, () => Math.fround(random.uniform(0, 255)));
const x = km.tensor(images, [n, h, w, c]);

interface Draws { blurred: boolean[]; sigmas: [number, number] }

/** Keras' draws for a batch: every image's probability, every image's threshold, then two deviations plus 1e-6. */
function draws(seed: number, batch: number, factor: [number, number], sigma: [number, number]): Draws {
  const r = new Random(seed);
  const p = Array.from({ length: batch }, () => r.uniform(...factor));
  const blurred = p.map((pb) => r.next() < pb);
  return { blurred, sigmas: [r.uniform(...sigma) + 1e-6, r.uniform(...sigma) + 1e-6] };
}

const gaussian = (k: number, s: number) => {
  const g = Array.from({ length: k }, (_, i) => Math.exp(-0.5 * ((i - (k - 1) / 2) / s) ** 2));
  const sum = g.reduce((a, b) => a + b, 0);
  return g.map((v) => v / sum);
};

/** Keras' RandomGaussianBlur in float64 over an NHWC batch of [hh, ww, cc] images. */
function reference(data: readonly number[], d: Draws, k: number, lo: number, hi: number, [hh, ww, cc] = [h, w, c]): number[] {
  const [gx, gy] = [gaussian(k, d.sigmas[0]), gaussian(k, d.sigmas[1])];
  const r = (k - 1) / 2;
  return data.map((v, i) => {
    const [b, rest] = [Math.floor(i / (hh * ww * cc)), i % (hh * ww * cc)];
    const [y, xx, ch] = [Math.floor(rest / (ww * cc)), Math.floor(rest / cc) % ww, rest % cc];
    let out = v;
    if (d.blurred[b]) {
      out = 0;
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const [sy, sx] = [y + dy, xx + dx];
          if (sy < 0 || sy >= hh || sx < 0 || sx >= ww) continue;
          out += data[((b * hh + sy) * ww + sx) * cc + ch] * gy[dy + r] * gx[dx + r];
        }
      }
    }
    return Math.min(Math.max(out, lo), hi);
  });
}

describe('the float64 reference', () => {
  it("gives Keras' own expected value: ones (1, 2, 2, 3), kernel 3, deviations (0.3732, 0.8654) blur to 0.7273", () => {
    const out = reference(new Array(12).fill(1), { blurred: [true], sigmas: [0.3732, 0.8654] }, 3, 0, 255, [2, 2, 3]);
    expectClose(out, new Array(12).fill(0.7273), 1e-4);
  });
});

describe.each(['wasm', 'tfjs-cpu'])('on backend %s', (name) => {
  beforeAll(() => useBackend(name));
  afterAll(() => useBackend('wasm'));

  it("by default (factor 1, kernel 3, sigma 1) blurs the images whose threshold falls below their probability, and leaves the others", () => {
    const layer = km.layers.randomGaussianBlur({ seed: 4 });
    const d = draws(4, n, [0, 1], [0, 1]);
    expect(d.blurred.includes(true) && d.blurred.includes(false)).toBe(true);
    const y = values(layer.apply(x, { training: true }) as km.Tensor);
    expectClose(y, reference(images, d, 3, 0, 255), 2e-6);
  });

  it('a 5×5 kernel on non-square images puts the second deviation down the rows and the first along the columns', () => {
    const layer = km.layers.randomGaussianBlur({ factor: [1, 1], kernelSize: [5, 5], sigma: [0.3, 1], seed: 9 });
    const d = draws(9, n, [1, 1], [0.3, 1]);
    expect(Math.abs(d.sigmas[0] - d.sigmas[1])).toBeGreaterThan(0.2);
    const y = values(layer.apply(x, { training: true }) as km.Tensor);
    expectClose(y, reference(images, d, 5, 0, 255), 2e-6);
    const swapped = reference(images, { ...d, sigmas: [d.sigmas[1], d.sigmas[0]] }, 5, 0, 255);
    expect(Math.max(...y.map((v, i) => Math.abs(v - swapped[i])))).toBeGreaterThan(0.5);
  });

  it('clips every image to the value range, blurred or not (factor 0 blurs none)', () => {
    const data = images.map((v) => Math.fround(v / 128 - 1));
    const signed = km.tensor(data, [n, h, w, c]);
    const none = values(km.layers.randomGaussianBlur({ factor: 0, valueRange: [0.7, -0.7] }).apply(signed, { training: true }) as km.Tensor);
    expectClose(none, data.map((v) => Math.min(Math.max(v, -0.7), 0.7)), 1e-7);
    const layer = km.layers.randomGaussianBlur({ factor: [0.3, 0.8], sigma: [0.5, 0.9], valueRange: [-0.5, 0.5], seed: 12 });
    const y = values(layer.apply(signed, { training: true }) as km.Tensor);
    expectClose(y, reference(data, draws(12, n, [0.3, 0.8], [0.5, 0.9]), 3, -0.5, 0.5), 2e-6);
    expect(y.some((v) => Math.abs(v) === 0.5)).toBe(true);
  });

  it('passes images through unclipped in predict and with training: false', () => {
    const m = km.sequential([km.layers.randomGaussianBlur({ factor: [1, 1], valueRange: [0, 1], inputShape: [h, w, c] })]);
    expect(values(m.predict(x) as km.Tensor)).toEqual(images);
    expect(values(m.layers[0].apply(x, { training: false }) as km.Tensor)).toEqual(images);
  });
});

describe('gradients through the blur, the choice and the clip to a trainable layer before it (finite differences)', () => {
  it('matches a float64 reference', async () => {
    const [k, rows] = [2, 4];
    const inputs = Array.from({ length: rows * k }, () => random.uniform(-1, 1));
    const targets = Array.from({ length: rows * 18 }, () => random.uniform(-1, 1));
    const model = km.sequential([
      km.layers.dense({ units: 18, inputShape: [k] }),
      km.layers.reshape({ targetShape: [3, 3, 2] }),
      km.layers.randomGaussianBlur({ factor: [0.2, 0.8], sigma: [0.4, 1], valueRange: [-0.8, 0.8], seed: 6 }),
      km.layers.flatten(),
    ]);
    const d = draws(6, rows, [0.2, 0.8], [0.4, 1]);
    expect(d.blurred.includes(true) && d.blurred.includes(false)).toBe(true);
    await expectDenseFirstGradients(model, inputs, targets, rows, (hidden) => reference(hidden, d, 3, -0.8, 0.8, [3, 3, 2]));
  });
});

describe('save and load', () => {
  it('with Keras 3 config names and values', async () => {
    const layer = km.layers.randomGaussianBlur({ factor: 0.4, kernelSize: 5, sigma: [0.8, 0.2], valueRange: [1, 0], seed: 2, inputShape: [h, w, c] });
    const m = km.sequential([layer]);
    const artifacts = await kerasmArtifacts(m);
    const saved = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[0];
    expect(saved.class_name).toBe('RandomGaussianBlur');
    expect(saved.config).toMatchObject({ factor: [0, 0.4], kernel_size: [5, 5], sigma: [0.2, 0.8], value_range: [0, 1], seed: 2 });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(m.layers.map((l) => l.getConfig()));
  });

  it('from the config Keras 3 writes', () => {
    const layer = km.layers.layerFromConfig('RandomGaussianBlur', {
      name: 'random_gaussian_blur', trainable: true, dtype: 'float32', data_format: 'channels_last',
      factor: [0, 1], kernel_size: [3, 3], sigma: [0, 1], value_range: [0, 255], seed: null,
    });
    expect(layer.getConfig()).toMatchObject({ factor: [0, 1], kernelSize: [3, 3], sigma: [0, 1], valueRange: [0, 255], seed: null });
  });
});

describe('bad options get errors that name the fix', () => {
  it.each([
    [() => km.layers.randomGaussianBlur({ factor: 1.5 }), /factor must be a number in \[0, 1\] \(the range \[0, factor\]\).*Received: factor=1.5/],
    [() => km.layers.randomGaussianBlur({ sigma: 2 }), /sigma must be a number in \[0, 1\] \(the range \[0, sigma\]\).*Received: sigma=2/],
    [() => km.layers.randomGaussianBlur({ kernelSize: 4 }), /kernelSize must be an odd positive integer.*e.g. kernelSize: 3.*Received: kernelSize=4/],
    [() => km.layers.randomGaussianBlur({ kernelSize: [3, 5] }), /kernelSize must be .*square kernels only.*Received: kernelSize=\[3,5\]/],
    [() => km.layers.randomGaussianBlur({ valueRange: [1, 1] }), /valueRange must be a \[low, high\] pair of different finite numbers.*Received: valueRange=\[1,1\]/],
    [() => km.layers.randomGaussianBlur({ seed: 0.5 }), /seed must be an integer or null. Received: seed=0.5/],
    [() => km.layers.randomGaussianBlur({ kernel_size: 3 } as never), /has no option 'kernel_size'/],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });
});
