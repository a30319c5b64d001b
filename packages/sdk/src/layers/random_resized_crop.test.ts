import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import type { ResizeGeometry, ResizeInterpolation } from '../backend/backend.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { useBackend } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';
import { refResize } from '../testing/image_reference.js';
import { expectDenseFirstGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';
import { RandomResizedCrop } from './random_resized_crop.js';

// Keras 3's RandomResizedCrop on each backend: training outputs against a float64 resize of the
// window rebuilt from the seed by Keras' formula (float32 bounds, truncated), the drawn windows'
// ranges, Keras' centred inference window (against tfjs' resizeBilinear), gradients, config and errors.
beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
});

const values = (t: km.Tensor) => Array.from(t.dataSync());
const random = new Random(31);
const [n, H, W, c] = [3, 9, 11, 2];
const images = Array.from({ length: n * H * 12 * c }, () => Math.fround(random.uniform(-1, 1)));
const x = km.tensor(images.slice(0, n * H * W * c), [n, H, W, c]);
const f = Math.fround;

/** Keras' training window [top, left, cropH, cropW] of an h×w image, from the draws of `r` in Keras' order. */
function kerasWindow(r: Random, h: number, w: number, [s0, s1]: number[], [r0, r1]: number[]): number[] {
  const area = f(f(r.uniform(s0, s1)) * h * w);
  const aspect = f(Math.exp(f(r.uniform(f(Math.log(r0)), f(Math.log(r1))))));
  const clip = (v: number, hi: number) => Math.min(Math.max(v, 1), hi);
  const cropH = clip(f(Math.sqrt(f(area / aspect))), h);
  const cropW = clip(f(Math.sqrt(f(area * aspect))), w);
  const top = f(f(r.next()) * Math.max(f(h - cropH), 0));
  const left = f(f(r.next()) * Math.max(f(w - cropW), 0));
  return [top, left, cropH, cropW].map(Math.trunc);
}

const geometry = ([cropTop, cropLeft, cropH, cropW]: number[], outH: number, outW: number, batch = n, inH = H, inW = W, channels = c): ResizeGeometry =>
  ({ batch, inH, inW, channels, cropTop, cropLeft, cropH, cropW, outH, outW });

describe.each(['wasm', 'tfjs-cpu'])('on backend %s', (name) => {
  beforeAll(() => useBackend(name));
  afterAll(() => useBackend('wasm'));

  it.each(['bilinear', 'nearest'] as ResizeInterpolation[])('training resizes one window per batch, drawn from the seed as Keras draws it (%s)', (interpolation) => {
    const layer = km.layers.randomResizedCrop({ height: 6, width: 5, scale: [0.2, 0.9], ratio: [0.5, 2], interpolation, seed: 4 });
    const r = new Random(4);
    const windows = new Set<string>();
    for (let pass = 0; pass < 4; pass++) {
      const window = kerasWindow(r, H, W, [0.2, 0.9], [0.5, 2]);
      windows.add(window.join());
      const y = values(layer.apply(x, { training: true }) as km.Tensor);
      expectClose(y, refResize(interpolation, images, geometry(window, 6, 5)), 1e-5);
    }
    expect(windows.size).toBeGreaterThan(1);
  });

  it("inference resizes Keras' centred window: float32 bounds of the target's aspect ratio, truncated", () => {
    // Target aspect 3/4 in a 9×12 image (wider): all 9 rows, 9·0.75 = 6.75 columns from (12 − 6.75)/2 = 2.625, so
    // columns 2..7 (Resizing's crop_to_aspect_ratio would start at (12 − 6)/2 = 3).
    const wide = images.slice(0, n * H * 12 * c);
    const layer = km.layers.randomResizedCrop({ height: 4, width: 3, seed: 1 });
    const crop = tf.slice(tf.tensor4d(wide, [n, H, 12, c]), [0, 0, 2, 0], [n, 9, 6, c]);
    const expected = Array.from(tf.image.resizeBilinear(crop as tf.Tensor4D, [4, 3], false, true).dataSync());
    expectClose(values(layer.apply(km.tensor(wide, [n, H, 12, c]), { training: false }) as km.Tensor), expected, 1e-5);
    // Taller target (5/2 > 11/9): all 11 columns, 11 / 2.5 = 4.4 rows from (9 − 4.4)/2 = 2.3, so rows 2..5.
    const tall = km.layers.randomResizedCrop({ height: 2, width: 5, interpolation: 'nearest' });
    expectClose(values(tall.apply(x, { training: false }) as km.Tensor), refResize('nearest', images, geometry([2, 0, 4, 11], 2, 5)), 0);
    const model = km.sequential([km.layers.randomResizedCrop({ height: 4, width: 3, inputShape: [H, W, c] })]);
    expect(values(model.predict(x))).toEqual(values(km.layers.randomResizedCrop({ height: 4, width: 3 }).apply(x, { training: false }) as km.Tensor));
  });
});

// Reads the protected draw for an image of a given size.
class WindowProbe extends RandomResizedCrop {
  sample(r: Random, h: number, w: number): number[] {
    this.image = [h, w, 1];
    return this.draw(r);
  }
}

describe('RandomResizedCrop', () => {
  it('windows stay inside the image, with areas and aspect ratios in range where unclipped', () => {
    const probe = new WindowProbe({ height: 8, width: 8, scale: [0.1, 0.6], ratio: [0.5, 1.5] });
    const r = new Random(17);
    const [h, w] = [200, 300];
    const windows = Array.from({ length: 2000 }, () => probe.sample(r, h, w));
    for (const [top, left, ch, cw] of windows) {
      expect(top).toBeGreaterThanOrEqual(0);
      expect(left).toBeGreaterThanOrEqual(0);
      expect(top + ch).toBeLessThanOrEqual(h);
      expect(left + cw).toBeLessThanOrEqual(w);
    }
    // Truncation takes up to a pixel off each side; with the area in [0.1, 0.6] of 60000 none clips.
    const areas = windows.map(([, , ch, cw]) => (ch * cw) / (h * w));
    expect(Math.min(...areas)).toBeGreaterThan(0.1 * 0.97);
    expect(Math.max(...areas)).toBeLessThanOrEqual(0.6);
    expect(Math.max(...areas)).toBeGreaterThan(0.58);
    const ratios = windows.map(([, , ch, cw]) => cw / ch);
    expect(Math.min(...ratios)).toBeGreaterThan(0.5 * 0.97);
    expect(Math.max(...ratios)).toBeLessThan(1.5 * 1.03);
    // Offsets spread over the room left: some windows touch the far edges, some the near ones.
    expect(windows.some(([top, , ch]) => top + ch >= h - 2)).toBe(true);
    expect(windows.some(([top]) => top <= 1)).toBe(true);
    // A scale above 1 clips the window to the image.
    const whole = new WindowProbe({ height: 8, width: 8, scale: [4, 4], ratio: [1, 1] });
    expect(whole.sample(r, 20, 30)).toEqual([0, 0, 20, 30]);
  });

  it('passes the gradient into the drawn window (finite differences)', async () => {
    const [k, rows] = [2, 2];
    const inputs = Array.from({ length: rows * k }, () => random.uniform(-1, 1));
    const targets = Array.from({ length: rows * 3 * 3 * 2 }, () => random.uniform(-1, 1));
    const model = () => km.sequential([
      km.layers.dense({ units: 5 * 6 * 2, inputShape: [k] }),
      km.layers.reshape({ targetShape: [5, 6, 2] }),
      km.layers.randomResizedCrop({ height: 3, width: 3, scale: [0.3, 0.8], seed: 6 }),
      km.layers.flatten(),
    ]);
    const window = kerasWindow(new Random(6), 5, 6, [0.3, 0.8], [0.75, 1.33]);
    await expectDenseFirstGradients(model(), inputs, targets, rows, (hidden) => refResize('bilinear', hidden, geometry(window, 3, 3, rows, 5, 6, 2)));
  });

  it('the same seed repeats its windows; the layer saves and loads with Keras 3 config names', async () => {
    const twice = [1, 2].map(() => values(km.layers.randomResizedCrop({ height: 5, width: 5, seed: 9 }).apply(x) as km.Tensor));
    expect(twice[1]).toEqual(twice[0]);
    const m = km.sequential([km.layers.randomResizedCrop({ height: 4, width: 5, scale: [0.3, 0.7], ratio: [0.8, 1.2], interpolation: 'nearest', seed: 2, inputShape: [H, W, c] })]);
    const artifacts = await kerasmArtifacts(m);
    const [saved] = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers.filter((l) => l.class_name === 'RandomResizedCrop');
    expect(saved.config).toMatchObject({ height: 4, width: 5, scale: [0.3, 0.7], ratio: [0.8, 1.2], interpolation: 'nearest', seed: 2, data_format: 'channels_last' });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers[0].getConfig()).toEqual(m.layers[0].getConfig());
    expect(values(reloaded.predict(x))).toEqual(values(m.predict(x)));
  });

  it.each([
    [() => km.layers.randomResizedCrop({ height: 0, width: 3 }), /height/],
    [() => km.layers.randomResizedCrop({ height: 3, width: 3, scale: [0.5, 0.1] }), /scale must be a \[min, max\] pair of positive numbers with min ≤ max, e\.g\. scale: \[0\.08, 1\]\. Received: scale=\[0\.5,0\.1\]/],
    [() => km.layers.randomResizedCrop({ height: 3, width: 3, ratio: [0, 1] }), /ratio must be .*Received: ratio=\[0,1\]/],
    [() => km.layers.randomResizedCrop({ height: 3, width: 3, ratio: 1 as unknown as [number, number] }), /ratio must be .*Received: ratio=1/],
    [() => km.layers.randomResizedCrop({ height: 3, width: 3, interpolation: 'bicubic' as 'nearest' }), /interpolation must be 'bilinear' or 'nearest'.*Received: interpolation="bicubic"/],
    [() => km.layers.randomResizedCrop({ height: 3, width: 3, seed: 0.5 }), /seed must be an integer or null/],
    [() => km.layers.randomResizedCrop({ height: 3, width: 3, dataFormat: 'channelsFirst' as 'channelsLast' }), /only dataFormat 'channelsLast'/],
    [() => km.layers.randomResizedCrop({ height: 3, width: 3, crop_to_aspect_ratio: true } as unknown as { height: number; width: number }), /has no option 'crop_to_aspect_ratio'/],
    [() => km.sequential([km.layers.randomResizedCrop({ height: 3, width: 3, inputShape: [9, 9] })]), /RandomResizedCrop layer .* expects inputs of shape \(None, height, width, channels\)/],
  ])('error %#', (make, message) => {
    expect(make).toThrow(message);
  });
});
