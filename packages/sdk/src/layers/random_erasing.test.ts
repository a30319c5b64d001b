import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { useBackend } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';
import { expectDenseFirstGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// Keras 3's RandomErasing on each backend: training outputs against a float64 version of Keras'
// formula with each image's patch, probability and noise rebuilt from the seed, the patch sizes'
// range, inference pass-through, gradients, config round trip and errors.
beforeAll(() => km.ready());

const values = (t: km.Tensor) => Array.from(t.dataSync());
const [n, h, w, c] = [8, 6, 7, 3];
const size = h * w * c;
const random = new Random(41);
const images = Array.from({ length: n * size }, () => Math.fround(random.uniform(0, 10)));
const x = km.tensor(images, [n, h, w, c]);

interface Erasing { factor: [number, number]; scale: [number, number]; fill: number | number[] | null; range: [number, number] }

/** Keras' erasing of `data`, the draws rebuilt from `seed`: per image √scale sizes (x, y), offsets (x, y), probability, threshold, noise. */
function refErase(data: number[], seed: number, o: Erasing, dims = [n, h, w, c]): { y: number[]; erased: boolean[] } {
  const [batch, height, width, channels] = dims;
  const per = height * width * channels;
  const r = new Random(seed);
  const y = [...data];
  const erased: boolean[] = [];
  for (let b = 0; b < batch; b++) {
    const [sx, sy] = [Math.sqrt(r.uniform(...o.scale)), Math.sqrt(r.uniform(...o.scale))];
    const x0 = r.next() * (width - sx * width);
    const y0 = r.next() * (height - sy * height);
    const [x1, y1] = [x0 + sx * width, y0 + sy * height];
    const p = r.uniform(...o.factor);
    erased.push(r.next() < p);
    const noise = o.fill === null ? Array.from({ length: per }, () => r.normal() * o.range[1]) : null;
    if (!erased[b]) continue;
    for (let i = 0; i < height; i++) for (let j = 0; j < width; j++) for (let ch = 0; ch < channels; ch++) {
      if (!(j >= x0 && j < x1 && i >= y0 && i < y1)) continue;
      const at = (i * width + j) * channels + ch;
      const fill = noise ? noise[at] : typeof o.fill === 'number' ? o.fill : o.fill![ch];
      y[b * per + at] = Math.min(Math.max(fill, o.range[0]), o.range[1]);
    }
  }
  return { y, erased };
}

describe.each(['wasm', 'tfjs-cpu'])('on backend %s', (name) => {
  beforeAll(() => useBackend(name));
  afterAll(() => useBackend('wasm'));

  it("erases Keras' patch with a constant, each image with its drawn probability", () => {
    const options: Erasing = { factor: [0, 1], scale: [0.1, 0.5], fill: 7, range: [0, 10] };
    const layer = km.layers.randomErasing({ scale: [0.1, 0.5], fillValue: 7, valueRange: [0, 10], seed: 5 });
    const { y, erased } = refErase(images, 5, options);
    expect(values(layer.apply(x, { training: true }) as km.Tensor)).toEqual(y.map(Math.fround));
    expect(erased.some((e) => e) && erased.some((e) => !e)).toBe(true);
  });

  it('fills with clipped noise (a normal draw per value times the top of valueRange) by default', () => {
    const data = images.map((v) => Math.fround(v / 5 - 1));
    const layer = km.layers.randomErasing({ factor: [0.9, 1], valueRange: [-1, 1], seed: 8 });
    const { y, erased } = refErase(data, 8, { factor: [0.9, 1], scale: [0.02, 0.33], fill: null, range: [-1, 1] });
    const out = values(layer.apply(km.tensor(data, [n, h, w, c]), { training: true }) as km.Tensor);
    expectClose(out, y, 1e-6);
    expect(erased.filter((e) => e).length).toBeGreaterThan(n / 2);
    expect(out.filter((v, i) => v !== data[i] && Math.abs(v) === 1).length).toBeGreaterThan(0);
  });

  it('fills 3-channel images per channel with [r, g, b], clipped to valueRange', () => {
    const layer = km.layers.randomErasing({ factor: [1, 1], scale: 0.5, fillValue: [300, -5, 128], seed: 3 });
    const { y } = refErase(images, 3, { factor: [1, 1], scale: [0, 0.5], fill: [300, -5, 128], range: [0, 255] });
    const out = values(layer.apply(x, { training: true }) as km.Tensor);
    expect(out).toEqual(y.map(Math.fround));
    expect(out.filter((v, i) => v === 255 && i % 3 === 0).length).toBeGreaterThan(0);
  });
});

describe('RandomErasing', () => {
  it('patch sides span √scale of the image, and factor 0 never erases', () => {
    const [H, W] = [20, 20];
    const ones = km.ones([50, H, W, 1]);
    const layer = km.layers.randomErasing({ factor: [1, 1], fillValue: 0, seed: 2 });
    const widths: number[] = [];
    const heights: number[] = [];
    for (let pass = 0; pass < 4; pass++) {
      const y = values(layer.apply(ones) as km.Tensor);
      for (let b = 0; b < 50; b++) {
        const at = (i: number, j: number) => y[b * H * W + i * W + j];
        const rows = Array.from({ length: H }, (_, i) => i).filter((i) => Array.from({ length: W }, (_, j) => at(i, j)).includes(0));
        const cols = Array.from({ length: W }, (_, j) => j).filter((j) => Array.from({ length: H }, (_, i) => at(i, j)).includes(0));
        // A rectangle: every value inside the erased rows and columns is 0.
        expect(y.slice(b * H * W, (b + 1) * H * W).filter((v) => v === 0).length).toBe(rows.length * cols.length);
        heights.push(rows.length);
        widths.push(cols.length);
      }
    }
    // √0.02·20 ≈ 2.8 and √0.33·20 ≈ 11.5 columns, give or take the pixel a start between columns adds.
    for (const sides of [widths, heights]) {
      expect(Math.min(...sides)).toBeGreaterThanOrEqual(2);
      expect(Math.max(...sides)).toBeLessThanOrEqual(12);
      expect(Math.min(...sides)).toBeLessThanOrEqual(4);
      expect(Math.max(...sides)).toBeGreaterThanOrEqual(11);
    }
    const never = km.layers.randomErasing({ factor: 0, seed: 2 });
    expect(values(never.apply(x) as km.Tensor)).toEqual(images);
  });

  it('predict and evaluate pass images through; the same seed repeats its patches', async () => {
    const model = km.sequential([km.layers.randomErasing({ inputShape: [h, w, c] })]);
    expect(values(model.predict(x))).toEqual(images);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    expect(await model.evaluate(x, x, { verbose: 0 })).toEqual([0]);
    const twice = [1, 2].map(() => values(km.layers.randomErasing({ seed: 4 }).apply(x) as km.Tensor));
    expect(twice[1]).toEqual(twice[0]);
  });

  it('passes the gradient to the values left in place (finite differences)', async () => {
    const [k, rows, dims] = [2, 3, [3, 4, 5, 2]];
    const inputs = Array.from({ length: rows * k }, () => random.uniform(-1, 1));
    const targets = Array.from({ length: rows * 40 }, () => random.uniform(-1, 1));
    const model = km.sequential([
      km.layers.dense({ units: 40, inputShape: [k] }),
      km.layers.reshape({ targetShape: [4, 5, 2] }),
      km.layers.randomErasing({ factor: [0.6, 1], scale: [0.2, 0.6], fillValue: 0.25, valueRange: [-1, 1], seed: 6 }),
      km.layers.flatten(),
    ]);
    const options: Erasing = { factor: [0.6, 1], scale: [0.2, 0.6], fill: 0.25, range: [-1, 1] };
    expect(refErase(new Array(120).fill(9), 6, options, dims).y.filter((v) => v === 0.25).length).toBeGreaterThan(0);
    await expectDenseFirstGradients(model, inputs, targets, rows, (hidden) => refErase(hidden, 6, options, dims).y);
  });

  it('saves and loads with Keras 3 config names', async () => {
    const m = km.sequential([km.layers.randomErasing({ factor: 0.4, scale: [0.1, 0.2], fillValue: [1, 2, 3], valueRange: [0, 1], seed: 12, inputShape: [h, w, c] })]);
    const artifacts = await kerasmArtifacts(m);
    const [saved] = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers.filter((l) => l.class_name === 'RandomErasing');
    expect(saved.config).toMatchObject({ factor: [0, 0.4], scale: [0.1, 0.2], fill_value: [1, 2, 3], value_range: [0, 1], seed: 12 });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers[0].getConfig()).toEqual(m.layers[0].getConfig());
    expect(values(reloaded.layers[0].apply(x) as km.Tensor)).toEqual(values(km.layers.randomErasing({ factor: 0.4, scale: [0.1, 0.2], fillValue: [1, 2, 3], valueRange: [0, 1], seed: 12 }).apply(x) as km.Tensor));
  });

  it.each([
    [() => km.layers.randomErasing({ factor: 1.5 }), /factor must be a number in \[0, 1\].*Received: factor=1.5/],
    [() => km.layers.randomErasing({ scale: [0.1, 2] }), /scale must be .*Received: scale=\[0.1,2\]/],
    [() => km.layers.randomErasing({ fillValue: [1, 2] as unknown as number }), /fillValue must be a number, three numbers \[r, g, b\] or null.*Received: fillValue=\[1,2\]/],
    [() => km.layers.randomErasing({ valueRange: [1, 1] }), /valueRange must be a \[low, high\] pair of different finite numbers/],
    [() => km.layers.randomErasing({ seed: 1.5 }), /seed must be an integer or null/],
    [() => km.layers.randomErasing({ fill_value: 0 } as unknown as { fillValue: number }), /has no option 'fill_value'/],
    [() => km.sequential([km.layers.randomErasing({ fillValue: [1, 2, 3], inputShape: [4, 4, 1] })]), /fillValue \[r, g, b\] needs 3-channel images, but the input has 1 channels. Give one number as fillValue, or null for noise/],
  ])('error %#', (make, message) => {
    expect(make).toThrow(message);
  });
});
