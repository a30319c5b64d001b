import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import type { Backend } from '../backend/backend.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { deviceIO, runsOn } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';
import { expectDenseFirstGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// Keras 3's AutoContrast on each backend: outputs against a float64 loop of Keras' steps, the
// channel bounds landing on the range's ends, the same in training and inference, single-valued
// channels passed through, gradients (finite differences, and the share of tied bounds against
// the invariances of the stretch), config round trip and errors.
beforeAll(() => km.ready());

const values = (t: km.Tensor) => Array.from(t.dataSync());
const [n, h, w, c] = [3, 4, 5, 3];
const random = new Random(41);
const data = Array.from({ length: n * h * w * c }, () => Math.fround(random.uniform(0.2, 0.7)));

/** Keras' AutoContrast of NHWC `x` in float64: map to [0, 255], x·scale − low·scale clipped, map back; the input where NaN. */
function refAutoContrast(x: number[], channels: number, [lo, hi]: [number, number], pixels: number): number[] {
  const unit = (v: number) => ((v - lo) / (hi - lo)) * 255;
  const y = x.slice();
  for (let b = 0; b < x.length / (pixels * channels); b++) {
    for (let ch = 0; ch < channels; ch++) {
      const at = Array.from({ length: pixels }, (_, p) => (b * pixels + p) * channels + ch);
      const low = Math.min(...at.map((i) => unit(x[i])));
      const scale = 255 / (Math.max(...at.map((i) => unit(x[i]))) - low);
      for (const i of at) {
        const r = Math.min(Math.max(unit(x[i]) * scale - low * scale, 0), 255);
        const result = (r / 255) * (hi - lo) + lo;
        y[i] = Number.isNaN(result) ? x[i] : result;
      }
    }
  }
  return y;
}

describe.each(['wasm', 'tfjs-cpu'])('on backend %s', (name) => {
  let backend: Backend;
  const { upload, download } = deviceIO(() => backend);
  runsOn(name, (current) => (backend = current));

  it('stretches each image\'s channels as Keras: lowest to low, highest to high', () => {
    const x = km.tensor(data, [n, h, w, c]);
    const y = values(km.layers.autoContrast({ valueRange: [0, 1] }).apply(x) as km.Tensor);
    expectClose(y, refAutoContrast(data, c, [0, 1], h * w), 1e-5);
    for (let b = 0; b < n; b++) {
      for (let ch = 0; ch < c; ch++) {
        const channel = y.filter((_, i) => Math.floor(i / (h * w * c)) === b && i % c === ch);
        expect(Math.min(...channel)).toBe(0);
        expect(Math.abs(Math.max(...channel) - 1)).toBeLessThan(1e-6);
      }
    }
    const wide = data.map((v) => Math.fround(v * 300 - 20));
    const y2 = values(km.layers.autoContrast({ valueRange: [-20, 280] }).apply(km.tensor(wide, [n, h, w, c])) as km.Tensor);
    // Errors in units of the range's width: float32 steps near its top are 3e-5 wide.
    const ofRange = (v: number) => (v + 20) / 300;
    expectClose(y2.map(ofRange), refAutoContrast(wide, c, [-20, 280], h * w).map(ofRange), 1e-6);
  });

  it('runs alike in training and inference, and passes a single-valued channel through', () => {
    const withFlat = data.map((v, i) => (i % c === 1 ? 100 : v * 255));
    const x = km.tensor(withFlat, [n, h, w, c]);
    const m = km.sequential([km.layers.autoContrast({ inputShape: [h, w, c] })]);
    const inferred = values(m.predict(x) as km.Tensor);
    expect(values(m.layers[0].apply(x, { training: true }) as km.Tensor)).toEqual(inferred);
    expect(values(m.layers[0].apply(x, { training: false }) as km.Tensor)).toEqual(inferred);
    expect(inferred.filter((_, i) => i % c === 1)).toEqual(withFlat.filter((_, i) => i % c === 1));
    expectClose(inferred, refAutoContrast(withFlat, c, [0, 255], h * w), 1e-5);
  });

  it('shares a tied bound\'s gradient among its values: Σ dx = 0 and Σ dx·x = 0, as the stretch ignores shifts and scales of x', async () => {
    const x = Float32Array.of(0.2, 0.2, 0.9, 0.5, 0.9, 0.3);
    const dy = Float32Array.of(1, -0.5, 2, 0.25, 1, -1);
    const dx = backend.alloc(6, 'float32');
    backend.autoContrastGrad(upload(x), upload(dy), dx, { batch: 1, pixels: 6, channels: 1, lo: 0, hi: 1 });
    const got = Array.from(await download(dx, 6));
    const [k, t] = [1 / 0.7, Array.from(x, (v) => (v - 0.2) / 0.7)];
    const toLow = -k * dy.reduce((s, g, i) => s + g * (1 - t[i]), 0);
    const toHigh = -k * dy.reduce((s, g, i) => s + g * t[i], 0);
    const expected = Array.from(dy, (g, i) => k * g + (x[i] === x[0] ? toLow / 2 : 0) + (x[i] === x[2] ? toHigh / 2 : 0));
    expectClose(got, expected, 1e-5);
    expect(Math.abs(got.reduce((s, v) => s + v, 0))).toBeLessThan(1e-5);
    expect(Math.abs(got.reduce((s, v, i) => s + v * x[i], 0))).toBeLessThan(1e-5);
  });

  it('passes the gradient to a trainable layer before it, through the bounds (finite differences)', async () => {
    const [k, rows] = [2, 3];
    const r = new Random(8);
    const inputs = Array.from({ length: rows * k }, () => r.uniform(-1, 1));
    const targets = Array.from({ length: rows * 12 }, () => r.uniform(-1, 1));
    const model = km.sequential([
      km.layers.dense({ units: 12, inputShape: [k] }),
      km.layers.reshape({ targetShape: [3, 2, 2] }),
      km.layers.autoContrast({ valueRange: [-1, 1] }),
      km.layers.flatten(),
    ]);
    await expectDenseFirstGradients(model, inputs, targets, rows, (hidden) => refAutoContrast(hidden, 2, [-1, 1], 6));
  });
});

describe('save and load', () => {
  it('with Keras 3 config names', async () => {
    const m = km.sequential([km.layers.autoContrast({ valueRange: [1, 0], inputShape: [h, w, c] })]);
    const artifacts = await kerasmArtifacts(m);
    const saved = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[0];
    expect(saved.class_name).toBe('AutoContrast');
    expect(saved.config).toMatchObject({ value_range: [0, 1] });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(m.layers.map((l) => l.getConfig()));
  });

  it('refuses bad options, naming the fix', () => {
    expect(() => km.layers.autoContrast({ valueRange: [0] as never })).toThrow(/valueRange must be a \[low, high\] pair of different finite numbers, e.g. \[0, 1\] or \[0, 255\]. Received: valueRange=\[0\]/);
    expect(() => km.layers.autoContrast({ factor: 1 } as never)).toThrow(/has no option 'factor'/);
  });
});
