import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { useBackend } from '../testing/backends_here.js';
import { toHsv, toRgb } from '../testing/hsv_reference.js';
import { expectClose } from '../testing/expect_close.js';
import { expectDenseFirstGradients, expectNoGradientThrough } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// Keras 3's RandomColorJitter: with one factor, the output of that layer alone under the same
// seed; with all four, a float64 chain of Keras' brightness, contrast, saturation and hue formulas
// with the draws rebuilt from one generator in Keras' order (each step's whole batch in turn), on
// wasm and tfjs-cpu. Inference pass-through, gradients, config round trip, errors.
beforeAll(() => km.ready());

const values = (t: km.Tensor) => Array.from(t.dataSync());
const [n, h, w] = [5, 3, 4];
const pixels = h * w;
const random = new Random(29);
const images = Array.from({ length: n * pixels * 3 }, () => Math.fround(random.uniform(0, 255)));
const x = km.tensor(images, [n, h, w, 3]);
const clip = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

/** Each pixel [r, g, b] of an NHWC batch through `per(pixel, image)`. */
const perPixel = (data: readonly number[], per: (rgb: number[], b: number) => number[]) =>
  Array.from({ length: data.length / 3 }, (_, p) => per(data.slice(3 * p, 3 * p + 3), Math.floor(p / pixels))).flat();

/** clip((x − mean)·contrast + mean + delta) per image and channel, as RandomContrast and RandomBrightness. */
function adjust(data: readonly number[], contrast: readonly number[], delta: readonly number[], lo: number, hi: number): number[] {
  const means = Array.from({ length: n * 3 }, (_, i) => {
    const [b, ch] = [Math.floor(i / 3), i % 3];
    let sum = 0;
    for (let p = 0; p < pixels; p++) sum += data[(b * pixels + p) * 3 + ch];
    return sum / pixels;
  });
  return data.map((v, i) => {
    const [b, ch] = [Math.floor(i / (pixels * 3)), i % 3];
    const mean = means[b * 3 + ch];
    return clip((v - mean) * contrast[b] + mean + delta[b], lo, hi);
  });
}

interface Factors { brightness: [number, number]; contrast: [number, number]; saturation: [number, number]; hue: [number, number] }

/** The jitter in float64: every step's draws for the whole batch from one generator, in Keras' order. */
function jitter(data: readonly number[], seed: number, fs: Factors, lo: number, hi: number): number[] {
  const r = new Random(seed);
  const each = (draw: () => number) => Array.from({ length: n }, draw);
  const delta = each(() => r.uniform(...fs.brightness) * (hi - lo));
  const contrast = each(() => r.uniform(...fs.contrast));
  const scale = each(() => {
    const f = r.uniform(...fs.saturation);
    return f / (1 - f + 1e-7);
  });
  const turn = each(() => (r.next() > 0.5 ? -1 : 1) * r.uniform(...fs.hue) * 0.5);
  let out = adjust(adjust(data, new Array(n).fill(1), delta, lo, hi), contrast, new Array(n).fill(0), lo, hi);
  out = perPixel(out, (rgb, b) => {
    const [hue, s, v] = toHsv(rgb[0], rgb[1], rgb[2]);
    return toRgb(hue, clip(s * scale[b], lo, hi), v);
  });
  return perPixel(out, (rgb, b) => {
    const [hue, s, v] = toHsv(...(rgb.map((c) => (c - lo) / (hi - lo)) as [number, number, number]));
    const turned = hue + turn[b];
    return toRgb(turned > 1 ? turned - 1 : turned < 0 ? turned + 1 : turned, s, v).map((c) => clip(c, 0, 1) * (hi - lo) + lo);
  });
}

describe.each(['wasm', 'tfjs-cpu'])('on backend %s', (name) => {
  beforeAll(() => useBackend(name));
  afterAll(() => useBackend('wasm'));

  it.each([
    ['brightnessFactor', 0.4, () => km.layers.randomBrightness({ factor: 0.4, seed: 3 })],
    ['contrastFactor', [0.2, 0.6], () => km.layers.randomContrast({ factor: [0.2, 0.6], seed: 3 })],
    ['saturationFactor', [0.1, 0.9], () => km.layers.randomSaturation({ factor: [0.1, 0.9], seed: 3 })],
    ['hueFactor', 0.8, () => km.layers.randomHue({ factor: 0.8, seed: 3 })],
  ] as const)('with only %s, gives what that layer alone gives under the same seed', (option, factor, single) => {
    const y = values(km.layers.randomColorJitter({ [option]: factor, seed: 3 }).apply(x, { training: true }) as km.Tensor);
    expect(y).toEqual(values(single().apply(x, { training: true }) as km.Tensor));
    expect(y).not.toEqual(images);
  });

  it("with every factor, runs brightness, contrast, saturation and hue in turn, each step's draws after the last's, clipped to the value range", () => {
    const fs: Factors = { brightness: [-0.3, 0.3], contrast: [0.5, 1.5], saturation: [0.2, 0.8], hue: [0, 0.6] };
    const data = images.map((v) => Math.fround(v / 255));
    const layer = km.layers.randomColorJitter({ valueRange: [0, 1], brightnessFactor: 0.3, contrastFactor: 0.5, saturationFactor: [0.2, 0.8], hueFactor: 0.6, seed: 8 });
    const y = values(layer.apply(km.tensor(data, [n, h, w, 3]), { training: true }) as km.Tensor);
    expectClose(y, jitter(data, 8, fs, 0, 1), 2e-5);
    expect(Math.min(...y)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...y)).toBeLessThanOrEqual(1);
    // The steps share one generator: drawing each from the seed afresh gives another result.
    const again = values(km.layers.randomBrightness({ factor: 0.3, valueRange: [0, 1], seed: 8 }).apply(km.tensor(data, [n, h, w, 3]), { training: true }) as km.Tensor);
    expect(Math.max(...y.map((v, i) => Math.abs(v - again[i])))).toBeGreaterThan(0.05);
  });

  it('passes images through in predict and with training: false, and with no factor at all', () => {
    const m = km.sequential([km.layers.randomColorJitter({ brightnessFactor: 0.5, contrastFactor: 0.5, saturationFactor: 0.5, hueFactor: 0.5, inputShape: [h, w, 3] })]);
    expect(values(m.predict(x) as km.Tensor)).toEqual(images);
    expect(values(m.layers[0].apply(x, { training: false }) as km.Tensor)).toEqual(images);
    expect(values(km.layers.randomColorJitter().apply(x, { training: true }) as km.Tensor)).toEqual(images);
  });
});

describe('gradients', () => {
  it('flow through brightness and contrast to a trainable layer before them (finite differences)', async () => {
    const [k, rows, hh, ww] = [2, 3, 2, 2];
    const inputs = Array.from({ length: rows * k }, () => random.uniform(-1, 1));
    const targets = Array.from({ length: rows * 12 }, () => random.uniform(-1, 1));
    const model = km.sequential([
      km.layers.dense({ units: 12, inputShape: [k] }),
      km.layers.reshape({ targetShape: [hh, ww, 3] }),
      km.layers.randomColorJitter({ valueRange: [-1, 1], brightnessFactor: 0.2, contrastFactor: [0.3, 0.6], seed: 4 }),
      km.layers.flatten(),
    ]);
    const r = new Random(4);
    const delta = Array.from({ length: rows }, () => r.uniform(-0.2, 0.2) * 2);
    const contrast = Array.from({ length: rows }, () => r.uniform(0.7, 1.6));
    const chain = (hidden: readonly number[]) => {
      const step = (data: readonly number[], c: readonly number[], d: readonly number[]) => data.map((v, i) => {
        const b = Math.floor(i / 12);
        let mean = 0;
        for (let p = 0; p < hh * ww; p++) mean += data[b * 12 + p * 3 + (i % 3)] / (hh * ww);
        return clip((v - mean) * c[b] + mean + d[b], -1, 1);
      });
      return step(step(hidden, new Array(rows).fill(1), delta), contrast, new Array(rows).fill(0));
    };
    await expectDenseFirstGradients(model, inputs, targets, rows, chain);
  });

  it('are 0 once saturation or hue runs: the Dense before them does not move', async () => {
    await expectNoGradientThrough(km.layers.randomColorJitter({ valueRange: [-1, 1], brightnessFactor: 0.1, contrastFactor: 0.2, hueFactor: 0.5 }));
  });
});

describe('save and load', () => {
  it('with Keras 3 config names and values', async () => {
    const m = km.sequential([km.layers.randomColorJitter({ valueRange: [1, 0], brightnessFactor: [-0.2, 0.1], hueFactor: 0.3, seed: 5, inputShape: [h, w, 3] })]);
    const artifacts = await kerasmArtifacts(m);
    const saved = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[0];
    expect(saved.class_name).toBe('RandomColorJitter');
    expect(saved.config).toMatchObject({ value_range: [0, 1], brightness_factor: [-0.2, 0.1], contrast_factor: null, saturation_factor: null, hue_factor: 0.3, seed: 5 });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(m.layers.map((l) => l.getConfig()));
    expect(values(reloaded.layers[0].apply(x, { training: true }) as km.Tensor)).toEqual(values(m.layers[0].apply(x, { training: true }) as km.Tensor));
  });

  it('from the config Keras 3 writes', () => {
    const layer = km.layers.layerFromConfig('RandomColorJitter', {
      name: 'random_color_jitter', trainable: true, dtype: 'float32', data_format: 'channels_last',
      value_range: [0, 255], brightness_factor: null, contrast_factor: 0.2, saturation_factor: [0.4, 0.6], hue_factor: null, seed: null,
    });
    expect(layer.getConfig()).toMatchObject({ valueRange: [0, 255], brightnessFactor: null, contrastFactor: 0.2, saturationFactor: [0.4, 0.6], hueFactor: null, seed: null });
  });
});

describe('bad options get errors that name the fix', () => {
  it.each([
    [() => km.layers.randomColorJitter({ brightnessFactor: 2 }), /brightnessFactor=2 is the factor of its brightness step, which refuses it: .*factor must be/],
    [() => km.layers.randomColorJitter({ contrastFactor: -0.5 }), /contrastFactor=-0.5 .*factor must be a number in \[0, 1\]/],
    [() => km.layers.randomColorJitter({ saturationFactor: 1.5 }), /saturationFactor=1.5 .*factor must be a number in \[-1, 1\]/],
    [() => km.layers.randomColorJitter({ hueFactor: [2, 3] }), /hueFactor=\[2,3\] .*factor must be a number in \[0, 1\]/],
    [() => km.layers.randomColorJitter({ valueRange: [1, 1] }), /valueRange must be a \[low, high\] pair of different finite numbers.*Received: valueRange=\[1,1\]/],
    [() => km.layers.randomColorJitter({ seed: 0.5 }), /seed must be an integer or null. Received: seed=0.5/],
    [() => km.layers.randomColorJitter({ brightness_factor: 0.2 } as never), /has no option 'brightness_factor'/],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });

  it('refuses saturation or hue on images without 3 channels, naming the options', () => {
    expect(() => km.sequential([km.layers.randomColorJitter({ hueFactor: 0.2, saturationFactor: 0.3, inputShape: [8, 8, 1] })])).toThrow(
      /RandomColorJitter layer .*: saturationFactor and hueFactor work in HSV, so they need RGB images of 3 channels.*Received: images of 1 channel\(s\).*or leave saturationFactor and hueFactor out/,
    );
    expect(() => km.sequential([km.layers.randomColorJitter({ brightnessFactor: 0.2, contrastFactor: 0.2, inputShape: [8, 8, 1] })])).not.toThrow();
  });
});
