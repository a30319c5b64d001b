import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { skipOpDraws, throughOps } from '../testing/augment_op_layers.js';
import { useBackend } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';
import { expectDenseFirstGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';
import { RAND_AUGMENT_OPS } from './rand_augment.js';

// Keras 3's RandAugment (keras/src/layers/preprocessing/image_preprocessing/rand_augment.py): per
// batch, num_ops indices drawn with replacement from its 11 ops, then every op's draws in its list
// order, all from one generator. References: each chosen op is the layer alone (km.layers.X with
// the factor RandAugment hands it), seeded with the generator's state where Keras' order gives
// that op its draws; float64 rebuilds of brightness (forward) and of colour degeneration then
// contrast (gradients, by finite differences) check the factor mapping on their own.
beforeAll(() => km.ready());

const values = (t: km.Tensor) => Array.from(t.dataSync());
const [n, h, w] = [4, 5, 6];
const random = new Random(31);
const batch = () => Array.from({ length: n * h * w * 3 }, () => Math.fround(random.uniform(0, 255)));
const [imagesA, imagesB] = [batch(), batch()];
const [xA, xB] = [km.tensor(imagesA, [n, h, w, 3]), km.tensor(imagesB, [n, h, w, 3])];
const clip = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

type Range = [number, number];

/** The batches through the chosen layers alone: per batch, the op indices, then every op's draws, from one generator. */
function expected(seed: number, xs: km.Tensor[], numOps: number, range: Range, valueRange: Range): number[][] {
  const r = new Random(seed);
  return xs.map((x) => {
    const chosen = Array.from({ length: numOps }, () => Math.floor(r.next() * 11));
    const states = RAND_AUGMENT_OPS.map((name) => skipOpDraws(r, name, range, valueRange, n));
    return values(throughOps(x, chosen.map((k) => ({ name: RAND_AUGMENT_OPS[k], state: states[k] })), range, valueRange));
  });
}

/** The first seed whose batch draws `want` as its op indices. */
function seedChoosing(want: (chosen: number[]) => boolean, numOps: number): number {
  for (let seed = 1; ; seed++) {
    const r = new Random(seed);
    if (want(Array.from({ length: numOps }, () => Math.floor(r.next() * 11)))) return seed;
  }
}

describe.each(['wasm', 'tfjs-cpu'])('on backend %s', (name) => {
  beforeAll(() => useBackend(name));
  afterAll(() => useBackend('wasm'));

  it.each(RAND_AUGMENT_OPS.map((op, k) => [op, k] as const))('with numOps 1 choosing %s, gives that layer alone under the same draws, batch after batch', (_, k) => {
    const seed = seedChoosing((c) => c[0] === k, 1);
    const layer = km.layers.randAugment({ numOps: 1, factor: 0.6, seed });
    const ys = [xA, xB].map((x) => values(layer.apply(x, { training: true }) as km.Tensor));
    const want = expected(seed, [xA, xB], 1, [0, 0.6], [0, 255]);
    expect(ys[0]).toEqual(want[0]);
    expect(ys[1]).toEqual(want[1]);
    expect(ys[0]).not.toEqual(imagesA);
  });

  it('with numOps 2 runs the two ops in the drawn order, an op drawn twice twice with the same draws', () => {
    const twice = seedChoosing((c) => c[0] === c[1] && c[0] === 3, 2);
    const pair = seedChoosing((c) => c[0] === 2 && c[1] === 5, 2);
    for (const seed of [twice, pair]) {
      const layer = km.layers.randAugment({ factor: [0.2, 0.4], valueRange: [0, 255], seed });
      const ys = [xA, xB].map((x) => values(layer.apply(x, { training: true }) as km.Tensor));
      const want = expected(seed, [xA, xB], 2, [0.2, 0.4], [0, 255]);
      expectClose(ys[0], want[0], 1e-4);
      expectClose(ys[1], want[1], 1e-4);
    }
  });

  it('maps factor f to brightness up by [0, f] of the value range (float64 rebuild)', () => {
    const seed = seedChoosing((c) => c[0] === 3, 1);
    const data = imagesA.map((v) => v / 255);
    const y = values(km.layers.randAugment({ numOps: 1, factor: 0.3, valueRange: [0, 1], seed }).apply(km.tensor(data, [n, h, w, 3]), { training: true }) as km.Tensor);
    const r = new Random(seed);
    for (let i = 0; i < 1 + 6 * n; i++) r.next(); // the index, then shear (3 per image), translation (2), rotation (1)
    const delta = Array.from({ length: n }, () => r.uniform(0, 0.3));
    expectClose(y, data.map((v, i) => clip(v + delta[Math.floor(i / (h * w * 3))], 0, 1)), 1e-6);
  });

  it('keeps max(1, ⌊8·factor⌋ − 1) bits in posterization: factor 0.3 keeps 1 bit', () => {
    const seed = seedChoosing((c) => c[0] === 7, 1);
    const y = values(km.layers.randAugment({ numOps: 1, factor: 0.3, seed }).apply(xA, { training: true }) as km.Tensor);
    expect(new Set(y)).toEqual(new Set([0, 128]));
  });

  it('keeps outputs in the value range over many draws of every op', () => {
    const layer = km.layers.randAugment({ numOps: 3, factor: 1, valueRange: [0, 1], seed: 12 });
    const x = km.tensor(imagesA.map((v) => v / 255), [n, h, w, 3]);
    for (let i = 0; i < 12; i++) {
      const y = values(layer.apply(x, { training: true }) as km.Tensor);
      expect(Math.min(...y)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...y)).toBeLessThanOrEqual(1);
    }
  });

  it('passes images through in predict, with training: false, and with numOps 0', () => {
    const m = km.sequential([km.layers.randAugment({ numOps: 4, factor: 0.9, inputShape: [h, w, 3] })]);
    expect(values(m.predict(xA) as km.Tensor)).toEqual(imagesA);
    expect(values(m.layers[0].apply(xA, { training: false }) as km.Tensor)).toEqual(imagesA);
    expect(values(km.layers.randAugment({ numOps: 0 }).apply(xA, { training: true }) as km.Tensor)).toEqual(imagesA);
  });
});

describe('gradients', () => {
  const [k, rows, hh, ww] = [2, 3, 2, 2];
  const inputs = Array.from({ length: rows * k }, () => random.uniform(-1, 1));
  const targets = Array.from({ length: rows * 12 }, () => random.uniform(-1, 1));
  const model = (seed: number, numOps: number) => km.sequential([
    km.layers.dense({ units: 12, inputShape: [k] }),
    km.layers.reshape({ targetShape: [hh, ww, 3] }),
    km.layers.randAugment({ valueRange: [-1, 1], numOps, factor: 0.4, seed }),
    km.layers.flatten(),
  ]);
  /** clip((x − mean)·c + mean + d) per image and channel, in float64. */
  const adjust = (data: readonly number[], c: readonly number[], d: readonly number[]) => data.map((v, i) => {
    const b = Math.floor(i / 12);
    let mean = 0;
    for (let p = 0; p < hh * ww; p++) mean += data[b * 12 + p * 3 + (i % 3)] / (hh * ww);
    return clip((v - mean) * c[b] + mean + d[b], -1, 1);
  });

  it('follow the ops a batch ran, in reverse: colour degeneration then contrast (finite differences)', async () => {
    const seed = seedChoosing((c) => c[0] === 4 && c[1] === 5, 2);
    const r = new Random(seed);
    for (let i = 0; i < 2 + 7 * rows; i++) r.next(); // the indices, then shear, translation, rotation, brightness
    const f = Array.from({ length: rows }, () => r.uniform(0, 0.4));
    const contrast = Array.from({ length: rows }, () => r.uniform(1, 1.4));
    const degenerate = (data: readonly number[]) => data.map((v, i) => {
      const p = i - (i % 3);
      const grey = 0.2989 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2];
      return clip(v + f[Math.floor(i / 12)] * (grey - v), -1, 1);
    });
    await expectDenseFirstGradients(model(seed, 2), inputs, targets, rows, (hidden) => adjust(degenerate(hidden), contrast, new Array(rows).fill(0)));
  });

  it.each([['equalization', 10], ['random_posterization', 7]])('are 0 once %s runs: the Dense before it does not move', async (_, op) => {
    const m = model(seedChoosing((c) => c[0] === op && c[1] === 3, 2), 2);
    const before = m.getWeights().flatMap(values);
    m.compile({ optimizer: km.optimizers.sgd({ learningRate: 1 }), loss: 'meanSquaredError' });
    await m.fit(km.tensor(inputs, [rows, k]), km.tensor(targets, [rows, 12]), { epochs: 1, batchSize: rows, verbose: 0 });
    expect(m.getWeights().flatMap(values)).toEqual(before);
  });
});

describe('save and load', () => {
  it('with Keras 3 config names and values', async () => {
    const m = km.sequential([km.layers.randAugment({ valueRange: [1, 0], numOps: 3, factor: 0.4, interpolation: 'nearest', seed: 5, inputShape: [h, w, 3] })]);
    const artifacts = await kerasmArtifacts(m);
    const saved = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[0];
    expect(saved.class_name).toBe('RandAugment');
    expect(saved.config).toMatchObject({ value_range: [0, 1], num_ops: 3, factor: [0, 0.4], interpolation: 'nearest', seed: 5 });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(m.layers.map((l) => l.getConfig()));
    const x = km.tensor(imagesA.map((v) => v / 255), [n, h, w, 3]);
    expect(values(reloaded.layers[0].apply(x, { training: true }) as km.Tensor)).toEqual(values(m.layers[0].apply(x, { training: true }) as km.Tensor));
  });

  it('from the config Keras 3 writes', () => {
    const layer = km.layers.layerFromConfig('RandAugment', {
      name: 'rand_augment', trainable: true, dtype: 'float32', data_format: 'channels_last',
      value_range: [0, 255], num_ops: 2, factor: [0, 0.5], interpolation: 'bilinear', seed: null,
    });
    expect(layer.getConfig()).toMatchObject({ valueRange: [0, 255], numOps: 2, factor: [0, 0.5], interpolation: 'bilinear', seed: null });
  });
});

describe('bad options get errors that name the fix', () => {
  it.each([
    [() => km.layers.randAugment({ numOps: -1 }), /numOps must be a whole number of ops to run on each batch, 0 or more, e.g. numOps: 2.*Received: numOps=-1/],
    [() => km.layers.randAugment({ numOps: 1.5 }), /numOps must be a whole number.*Received: numOps=1.5/],
    [() => km.layers.randAugment({ factor: 1.5 }), /factor must be a number in \[0, 1\] .*or a \[lower, upper\] pair of numbers in \[0, 1\].*e.g. factor: 0.5.*Received: factor=1.5/],
    [() => km.layers.randAugment({ factor: -0.2 }), /factor must be a number in \[0, 1\].*Received: factor=-0.2/],
    [() => km.layers.randAugment({ factor: [0.2, 1.2] }), /factor must be .*Received: factor=\[0.2,1.2\]/],
    [() => km.layers.randAugment({ interpolation: 'bicubic' as never }), /interpolation must be 'bilinear' or 'nearest'.*Received: interpolation="bicubic"/],
    [() => km.layers.randAugment({ valueRange: [2, 2] }), /valueRange must be a \[low, high\] pair of different finite numbers.*Received: valueRange=\[2,2\]/],
    [() => km.layers.randAugment({ seed: 0.5 }), /seed must be an integer or null. Received: seed=0.5/],
    [() => km.layers.randAugment({ num_ops: 2 } as never), /has no option 'num_ops'/],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });

  it('refuses images without 3 channels, naming the op that needs them', () => {
    expect(() => km.sequential([km.layers.randAugment({ inputShape: [8, 8, 1] })])).toThrow(
      /RandAugment layer .* runs RandomColorDegeneration among its ops, which refuses these images: .*needs 3 channels.*Received: images of 1 channel/,
    );
  });
});
