import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { useBackend } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';
import { Random } from '../utils/random.js';

// Keras 3's RandomPosterization on each backend: training outputs keep exactly the drawn number
// of high bits (rebuilt from the seed), checked bit by bit on bytes and against a float64 loop in
// another value range; the bits drawn; inference pass-through; no gradient; config; errors.
beforeAll(() => km.ready());

const values = (t: km.Tensor) => Array.from(t.dataSync());
const [n, h, w, c] = [8, 3, 3, 3];
const size = h * w * c;
const random = new Random(31);
const bytes = Array.from({ length: n * size }, () => Math.floor(random.uniform(0, 256)));
const x = km.tensor(bytes, [n, h, w, c]);

/** The bits kept per image by a layer seeded with `seed`: randint(lower, upper), or lower when they are equal. */
const bitsDrawn = (seed: number, count: number, [lower, upper]: [number, number]) => {
  const r = new Random(seed);
  return Array.from({ length: count }, () => (lower === upper ? lower : lower + Math.floor(r.next() * (upper - lower))));
};

describe.each(['wasm', 'tfjs-cpu'])('on backend %s', (name) => {
  beforeAll(() => useBackend(name));
  afterAll(() => useBackend('wasm'));

  it('keeps exactly the drawn number of high bits of each byte, the rest zeroed', () => {
    const layer = km.layers.randomPosterization({ factor: [2, 7], seed: 5 });
    const bits = bitsDrawn(5, n, [2, 7]);
    expect(new Set(bits).size).toBeGreaterThan(2);
    const y = values(layer.apply(x, { training: true }) as km.Tensor);
    y.forEach((v, i) => {
      const shift = 8 - bits[Math.floor(i / size)];
      expect(v).toBe((bytes[i] >> shift) << shift);
      expect(bytes[i] - v).toBeLessThan(2 ** shift);
    });
  });

  it('in another value range maps to bytes, truncates as Keras\' uint8 cast, and maps back', () => {
    const data = bytes.map((v) => Math.fround(v / 128 - 1 + 0.003));
    const layer = km.layers.randomPosterization({ factor: 3, valueRange: [-1, 1.0078125], seed: 9 });
    const bits = bitsDrawn(9, n, [1, 3]);
    const expected = data.map((v, i) => {
      const shift = 8 - bits[Math.floor(i / size)];
      const byte = Math.floor(Math.min(Math.max(((v + 1) / 2.0078125) * 255, 0), 255));
      return (((byte >> shift) << shift) / 255) * 2.0078125 - 1;
    });
    expectClose(values(layer.apply(km.tensor(data, [n, h, w, c]), { training: true }) as km.Tensor), expected, 1e-6);
  });

  it('a single factor f draws among 1, …, f − 1 bits as Keras\' randint, and factor 1 keeps 1 bit', () => {
    km.utils.setRandomSeed(3);
    const ones = km.tensor(new Float32Array(600).fill(255), [600, 1, 1, 1]);
    const kept = new Set(values(km.layers.randomPosterization({ factor: 4 }).apply(ones, { training: true }) as km.Tensor));
    // 255 keeping b bits is 256 − 2^(8 − b).
    expect(kept).toEqual(new Set([128, 192, 224]));
    expect(new Set(values(km.layers.randomPosterization({ factor: 1 }).apply(ones, { training: true }) as km.Tensor))).toEqual(new Set([128]));
  });

  it('passes images through in predict and with training: false', () => {
    const m = km.sequential([km.layers.randomPosterization({ factor: 2, inputShape: [h, w, c] })]);
    expect(values(m.predict(x) as km.Tensor)).toEqual(bytes);
    expect(values(m.layers[0].apply(x, { training: false }) as km.Tensor)).toEqual(bytes);
  });
});

it('passes no gradient back in training, as through Keras\' uint8 cast: a dense layer before it does not learn', async () => {
  const model = km.sequential([
    km.layers.dense({ units: 12, inputShape: [2] }),
    km.layers.reshape({ targetShape: [2, 2, 3] }),
    km.layers.randomPosterization({ factor: [2, 5], valueRange: [-1, 1], seed: 1 }),
    km.layers.flatten(),
  ]);
  const before = model.getWeights().map(values);
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  await model.fit(km.randomUniform([8, 2], -1, 1, 'float32', 2), km.randomUniform([8, 12], -1, 1, 'float32', 3), { epochs: 1, batchSize: 4, verbose: 0 });
  expect(model.getWeights().map(values)).toEqual(before);
});

describe('save and load', () => {
  it('with Keras 3 config names and the (lower, upper) range Keras saves', async () => {
    const m = km.sequential([km.layers.randomPosterization({ factor: [6, 3], valueRange: [1, 0], seed: 4, inputShape: [h, w, c] })]);
    const artifacts = await kerasmArtifacts(m);
    const saved = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[0];
    expect(saved.class_name).toBe('RandomPosterization');
    expect(saved.config).toMatchObject({ factor: [3, 6], value_range: [0, 1], seed: 4 });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(m.layers.map((l) => l.getConfig()));
  });
});

describe('bad options get errors that name the fix', () => {
  it.each([
    [() => km.layers.randomPosterization({ factor: 9 }), /factor must be the bits to keep, an integer in \[1, 8\].*Received: factor=9/],
    [() => km.layers.randomPosterization({ factor: 2.5 }), /an integer in \[1, 8\].*Received: factor=2.5/],
    [() => km.layers.randomPosterization({ factor: [0, 4] }), /Received: factor=\[0,4\]/],
    [() => km.layers.randomPosterization(undefined as never), /needs an options object.*factor/],
    [() => km.layers.randomPosterization({ factor: 4, valueRange: [2, 2] }), /valueRange must be a \[low, high\] pair/],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });
});
