import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { useBackend } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';
import { expectDenseFirstGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';
import { fixedIndex, type MapFillMode } from './map_coordinates.js';

// Keras 3's RandomElasticTransform: training outputs against a float64 rebuild of Keras' steps (a
// direct k×k Gaussian blur with zeros beyond the edges of σ-scaled normal noise, times α; each
// pixel sampled at (y + dy, x + dx) by map_coordinates with the fill mode folding each tap's
// index), chosen per image, then clipped; the draws rebuilt from the seed in Keras' order.
// Inference pass-through, gradients, config round trip, errors.
beforeAll(() => km.ready());

const values = (t: km.Tensor) => Array.from(t.dataSync());
const [n, h, w, c] = [4, 12, 10, 2];
const random = new Random(31);
const images = Array.from({ length: n * h * w * c }, () => Math.fround(random.uniform(0, 255)));
const x = km.tensor(images, [n, h, w, c]);

interface Draws { distorted: boolean[]; strength: number; nx: number[]; ny: number[] }

/** Keras' draws: every image's probability, every threshold, the batch's strength, then dx's noise and dy's over the batch. */
function draws(seed: number, batch: number, factor: [number, number], scale: [number, number], [hh, ww] = [h, w]): Draws {
  const r = new Random(seed);
  const p = Array.from({ length: batch }, () => r.uniform(...factor));
  const distorted = p.map((pb) => r.next() < pb);
  const strength = r.uniform(...scale);
  const noise = () => Array.from({ length: batch * hh * ww }, () => r.normal());
  const nx = noise();
  return { distorted, strength, nx, ny: noise() };
}

/** The index a tap reads, folded step by step as Keras documents each mode on (a b c d); −1 outside for 'constant'. */
function fold(i: number, size: number, mode: MapFillMode): number {
  if (mode === 'constant') return i >= 0 && i < size ? i : -1;
  if (mode === 'nearest') return Math.min(Math.max(i, 0), size - 1);
  if (mode === 'wrap') return ((i % size) + size) % size;
  if (size === 1) return 0;
  while (i < 0 || i >= size) {
    if (mode === 'reflect') i = i < 0 ? -i - 1 : 2 * size - 1 - i;
    else i = i < 0 ? -i : 2 * (size - 1) - i;
  }
  return i;
}

interface Options { interpolation: 'bilinear' | 'nearest'; fillMode: MapFillMode; fillValue: number; lo: number; hi: number }
const DEFAULTS: Options = { interpolation: 'bilinear', fillMode: 'reflect', fillValue: 0, lo: 0, hi: 255 };

/** Keras' RandomElasticTransform in float64 over an NHWC batch of [hh, ww, cc] images. */
function reference(data: readonly number[], d: Draws, options: Partial<Options> = {}, [hh, ww, cc] = [h, w, c]): number[] {
  const o = { ...DEFAULTS, ...options };
  const [alpha, sigma] = [Math.max(hh, ww) * 0.1 * d.strength, Math.min(hh, ww) * 0.05 * d.strength];
  const k = Math.trunc(6 * sigma) | 1;
  const r = (k - 1) / 2;
  const g1 = Array.from({ length: k }, (_, i) => Math.exp(-0.5 * ((i - r) / sigma) ** 2));
  const g = (i: number, j: number) => (g1[i] * g1[j]) / g1.reduce((a, b) => a + b, 0) ** 2;
  const field = (noise: number[], b: number, y: number, xx: number) => {
    let sum = 0;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const [sy, sx] = [y + i - r, xx + j - r];
        if (sy >= 0 && sy < hh && sx >= 0 && sx < ww) sum += g(i, j) * noise[(b * hh + sy) * ww + sx] * sigma;
      }
    }
    return alpha * sum;
  };
  const taps = (v: number): [number, number][] => {
    if (o.interpolation === 'bilinear') return [[Math.floor(v), 1 - (v - Math.floor(v))], [Math.floor(v) + 1, v - Math.floor(v)]];
    const [f, frac] = [Math.floor(v), v - Math.floor(v)];
    return [[frac > 0.5 || (frac === 0.5 && f % 2 !== 0) ? f + 1 : f, 1]];
  };
  const out: number[] = [];
  for (let b = 0; b < data.length / (hh * ww * cc); b++) {
    for (let y = 0; y < hh; y++) {
      for (let xx = 0; xx < ww; xx++) {
        const [sy, sx] = [y + field(d.ny, b, y, xx), xx + field(d.nx, b, y, xx)];
        for (let ch = 0; ch < cc; ch++) {
          let v = data[((b * hh + y) * ww + xx) * cc + ch];
          if (d.distorted[b]) {
            v = 0;
            for (const [iy, wy] of taps(sy)) {
              for (const [ix, wx] of taps(sx)) {
                const [fy, fx] = [fold(iy, hh, o.fillMode), fold(ix, ww, o.fillMode)];
                v += wy * wx * (fy < 0 || fx < 0 ? o.fillValue : data[((b * hh + fy) * ww + fx) * cc + ch]);
              }
            }
          }
          out.push(Math.min(Math.max(v, o.lo), o.hi));
        }
      }
    }
  }
  return out;
}

describe("Keras' map_coordinates fill modes on (a b c d), indices −3 to 6", () => {
  const indices = Array.from({ length: 10 }, (_, i) => i - 3);
  it.each([
    ['reflect', [2, 1, 0, 0, 1, 2, 3, 3, 2, 1]],
    ['mirror', [3, 2, 1, 0, 1, 2, 3, 2, 1, 0]],
    ['wrap', [1, 2, 3, 0, 1, 2, 3, 0, 1, 2]],
    ['nearest', [0, 0, 0, 0, 1, 2, 3, 3, 3, 3]],
    ['constant', [-1, -1, -1, 0, 1, 2, 3, -1, -1, -1]],
  ] as const)('%s', (mode, expected) => {
    expect(indices.map((i) => fixedIndex(i, 4, mode))).toEqual(expected);
    expect(indices.map((i) => fold(i, 4, mode))).toEqual(expected);
  });

  it('far out, and on a one-pixel axis', () => {
    for (const mode of ['reflect', 'mirror', 'wrap', 'nearest', 'constant'] as const) {
      for (const size of [1, 2, 5]) {
        const far = Array.from({ length: 41 }, (_, i) => i - 20);
        expect(far.map((i) => fixedIndex(i, size, mode))).toEqual(far.map((i) => fold(i, size, mode)));
      }
    }
  });
});

describe.each(['wasm', 'tfjs-cpu'])('on backend %s', (name) => {
  beforeAll(() => useBackend(name));
  afterAll(() => useBackend('wasm'));

  it('by default (factor 1, scale 1, bilinear, reflect) distorts the images whose threshold falls below their probability, and leaves the others', () => {
    const layer = km.layers.randomElasticTransform({ seed: 5 });
    const d = draws(5, n, [0, 1], [0, 1]);
    expect(d.distorted.includes(true) && d.distorted.includes(false)).toBe(true);
    const y = values(layer.apply(x, { training: true }) as km.Tensor);
    expectClose(y, reference(images, d), 2e-5);
    expect(Math.max(...y.map((v, i) => Math.abs(v - images[i])))).toBeGreaterThan(10);
  });

  it.each([
    ['bilinear', 'reflect'], ['bilinear', 'mirror'], ['bilinear', 'wrap'], ['bilinear', 'nearest'], ['bilinear', 'constant'],
    ['nearest', 'reflect'], ['nearest', 'mirror'], ['nearest', 'wrap'], ['nearest', 'nearest'], ['nearest', 'constant'],
  ] as const)('%s interpolation, fill mode %s, every image distorted at full strength', (interpolation, fillMode) => {
    const layer = km.layers.randomElasticTransform({ factor: [1, 1], scale: [1, 1], interpolation, fillMode, fillValue: 40, seed: 7 });
    const d = draws(7, n, [1, 1], [1, 1]);
    const y = values(layer.apply(x, { training: true }) as km.Tensor);
    expectClose(y, reference(images, d, { interpolation, fillMode, fillValue: 40 }), 2e-5);
    // The taps leave the image, so each fill mode is exercised: another mode gives other values.
    const other = reference(images, d, { interpolation, fillMode: fillMode === 'mirror' ? 'reflect' : 'mirror', fillValue: 40 });
    expect(Math.max(...y.map((v, i) => Math.abs(v - other[i])))).toBeGreaterThan(1);
  });

  it('clips every image to the value range, distorted or not', () => {
    const data = images.map((v) => Math.fround(v / 128 - 1));
    const signed = km.tensor(data, [n, h, w, c]);
    const layer = km.layers.randomElasticTransform({ factor: [0.3, 0.9], scale: [0.5, 1], valueRange: [-0.6, 0.6], fillMode: 'constant', fillValue: -3, seed: 12 });
    const d = draws(12, n, [0.3, 0.9], [0.5, 1]);
    expect(d.distorted.includes(true) && d.distorted.includes(false)).toBe(true);
    const y = values(layer.apply(signed, { training: true }) as km.Tensor);
    expectClose(y, reference(data, d, { fillMode: 'constant', fillValue: -3, lo: -0.6, hi: 0.6 }), 2e-5);
    expect(y.some((v) => Math.abs(v) === Math.fround(0.6))).toBe(true);
  });

  it('factor 0 or scale 0 passes images through unclipped, as Keras draws nothing then', () => {
    const data = images.map((v) => v - 100);
    const t = km.tensor(data, [n, h, w, c]);
    expect(values(km.layers.randomElasticTransform({ factor: 0 }).apply(t, { training: true }) as km.Tensor)).toEqual(data.map(Math.fround));
    expect(values(km.layers.randomElasticTransform({ scale: 0 }).apply(t, { training: true }) as km.Tensor)).toEqual(data.map(Math.fround));
  });

  it('passes images through unclipped in predict and with training: false', () => {
    const m = km.sequential([km.layers.randomElasticTransform({ factor: [1, 1], valueRange: [0, 1], inputShape: [h, w, c] })]);
    expect(values(m.predict(x) as km.Tensor)).toEqual(images);
    expect(values(m.layers[0].apply(x, { training: false }) as km.Tensor)).toEqual(images);
  });
});

describe('gradients through the sampling, the choice and the clip to a trainable layer before it (finite differences)', () => {
  it.each(['reflect', 'constant'] as const)('fill mode %s matches a float64 reference', async (fillMode) => {
    const [k, rows, shape] = [2, 4, [6, 5, 2] as [number, number, number]];
    const size = shape[0] * shape[1] * shape[2];
    const inputs = Array.from({ length: rows * k }, () => random.uniform(-1, 1));
    const targets = Array.from({ length: rows * size }, () => random.uniform(-1, 1));
    const model = km.sequential([
      km.layers.dense({ units: size, inputShape: [k] }),
      km.layers.reshape({ targetShape: shape }),
      km.layers.randomElasticTransform({ factor: [0.2, 0.9], scale: [0.8, 1], fillMode, fillValue: 0.3, valueRange: [-0.9, 0.9], seed: 3 }),
      km.layers.flatten(),
    ]);
    const d = draws(3, rows, [0.2, 0.9], [0.8, 1], [shape[0], shape[1]]);
    expect(d.distorted.includes(true) && d.distorted.includes(false)).toBe(true);
    await expectDenseFirstGradients(model, inputs, targets, rows, (hidden) => reference(hidden, d, { fillMode, fillValue: 0.3, lo: -0.9, hi: 0.9 }, shape));
  });
});

describe('save and load', () => {
  it('with Keras 3 config names and values', async () => {
    const layer = km.layers.randomElasticTransform({ factor: 0.4, scale: [0.7, 0.2], interpolation: 'nearest', fillMode: 'mirror', fillValue: 3, valueRange: [1, 0], seed: 2, inputShape: [h, w, c] });
    const m = km.sequential([layer]);
    const artifacts = await kerasmArtifacts(m);
    const saved = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[0];
    expect(saved.class_name).toBe('RandomElasticTransform');
    expect(saved.config).toMatchObject({ factor: [0, 0.4], scale: [0.2, 0.7], interpolation: 'nearest', fill_mode: 'mirror', fill_value: 3, value_range: [0, 1], seed: 2 });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(m.layers.map((l) => l.getConfig()));
  });

  it('from the config Keras 3 writes', () => {
    const layer = km.layers.layerFromConfig('RandomElasticTransform', {
      name: 'random_elastic_transform', trainable: true, dtype: 'float32', data_format: 'channels_last',
      factor: [0, 1], scale: [0, 1], interpolation: 'bilinear', fill_mode: 'reflect', fill_value: 0, value_range: [0, 255], seed: null,
    });
    expect(layer.getConfig()).toMatchObject({ factor: [0, 1], scale: [0, 1], interpolation: 'bilinear', fillMode: 'reflect', fillValue: 0, valueRange: [0, 255], seed: null });
  });
});

describe('bad options get errors that name the fix', () => {
  it.each([
    [() => km.layers.randomElasticTransform({ factor: 1.5 }), /factor must be a number in \[0, 1\] \(the range \[0, factor\]\).*Received: factor=1.5/],
    [() => km.layers.randomElasticTransform({ scale: -0.5 }), /scale must be a number in \[0, 1\] \(the range \[0, scale\]\).*Received: scale=-0.5/],
    [() => km.layers.randomElasticTransform({ interpolation: 'bicubic' as never }), /interpolation must be 'bilinear' or 'nearest'. Received: interpolation="bicubic"/],
    [() => km.layers.randomElasticTransform({ fillMode: 'edge' as never }), /fillMode must be one of 'reflect', 'wrap', 'constant', 'nearest', 'mirror'. Received: fillMode="edge"/],
    [() => km.layers.randomElasticTransform({ fillValue: Number.NaN }), /fillValue must be a finite number.*Received: fillValue=null/],
    [() => km.layers.randomElasticTransform({ valueRange: [1, 1] }), /valueRange must be a \[low, high\] pair of different finite numbers.*Received: valueRange=\[1,1\]/],
    [() => km.layers.randomElasticTransform({ seed: 0.5 }), /seed must be an integer or null. Received: seed=0.5/],
    [() => km.layers.randomElasticTransform({ dataFormat: 'channelsFirst' as never }), /channels/i],
    [() => km.layers.randomElasticTransform({ fill_mode: 'wrap' } as never), /has no option 'fill_mode'/],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });
});
