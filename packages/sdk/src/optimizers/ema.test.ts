import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { backend } from '../backend/registry.js';
import { adamRule, refStep, sgdRule, type RefRule } from '../testing/optimizer_reference.js';
import { Random } from '../utils/random.js';

let dir: string;
beforeAll(async () => {
  await km.ready();
  dir = await mkdtemp(join(tmpdir(), 'kerasm-ema-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const N = 23;
const P0 = Float32Array.from({ length: N }, (_, i) => Math.sin(i * 1.7));
const gradient = (p: ArrayLike<number>) => Float64Array.from({ length: N }, (_, i) => (1 + (i % 5)) * (p[i] - Math.cos(i)));

/** Keras 3's EMA beside a float64 rule: the first step copies, then a = m·a + (1−m)·p; every `frequency` steps p = a. */
function reference(rule: RefRule, lr: number, steps: number, momentum: number, frequency: number | null): { params: Float64Array; average: Float64Array } {
  const params = Float64Array.from(P0);
  const average = new Float64Array(N);
  const state = {};
  for (let t = 1; t <= steps; t++) {
    refStep(rule, { lr: () => lr }, params, gradient(params), state, t);
    const m = t === 1 ? 0 : momentum;
    average.forEach((a, i) => (average[i] = m * a + (1 - m) * params[i]));
    if (frequency !== null && t % frequency === 0) params.set(average);
  }
  return { params, average };
}

function run(optimizer: km.optimizers.Optimizer, steps: number): { params: Float32Array; finalized: Float32Array } {
  const b = backend();
  const params = b.alloc(N, 'float32');
  const grads = b.alloc(N, 'float32');
  b.write(params, P0);
  optimizer.attach(b, [{ key: {}, shape: [N] }]);
  for (let t = 0; t < steps; t++) {
    b.write(grads, Float32Array.from(gradient(b.read(params, N, 'float32'))));
    optimizer.apply(params, grads);
  }
  const before = (b.read(params, N, 'float32') as Float32Array).slice();
  optimizer.finalizeVariableValues();
  const finalized = (b.read(params, N, 'float32') as Float32Array).slice();
  optimizer.detach();
  b.free(params);
  b.free(grads);
  return { params: before, finalized };
}

const expectClose = (ours: ArrayLike<number>, expected: ArrayLike<number>) => Array.from(expected).forEach((v, i) => expect(ours[i]).toBeCloseTo(v, 5));

describe("useEma: Keras 3's moving average of the weights", () => {
  it('adam: the weights train unaveraged, and finalizeVariableValues writes the average into them', () => {
    const ours = run(km.optimizers.adam({ learningRate: 0.05, useEma: true, emaMomentum: 0.8 }), 7);
    const expected = reference(adamRule(), 0.05, 7, 0.8, null);
    expectClose(ours.params, expected.params);
    expectClose(ours.finalized, expected.average);
    expect(Math.max(...expected.params.map((p, i) => Math.abs(p - expected.average[i])))).toBeGreaterThan(1e-2); // the swap is visible
  });

  it('sgd with emaOverwriteFrequency 3: the weights become the average every third update', () => {
    const ours = run(km.optimizers.sgd({ learningRate: 0.05, useEma: true, emaMomentum: 0.5, emaOverwriteFrequency: 3 }), 8);
    const expected = reference(sgdRule(), 0.05, 8, 0.5, 3);
    expectClose(ours.params, expected.params);
    expectClose(ours.finalized, expected.average);
    const unaveraged = reference(sgdRule(), 0.05, 8, 0.5, null);
    expect(Math.max(...expected.params.map((p, i) => Math.abs(p - unaveraged.params[i])))).toBeGreaterThan(1e-3); // the overwrites changed the path
  });

  it('emaMomentum 1 keeps the first step’s weights; without useEma (lamb) finalize changes nothing', () => {
    const frozen = run(km.optimizers.sgd({ learningRate: 0.05, useEma: true, emaMomentum: 1 }), 4);
    expectClose(frozen.finalized, reference(sgdRule(), 0.05, 1, 1, null).params);
    const plain = run(km.optimizers.lamb({ learningRate: 0.05 }), 4);
    expect(plain.finalized).toEqual(plain.params);
  });

  it('fit ends with the average of the weights after each batch (checked from onBatchEnd snapshots)', async () => {
    const random = new Random(4);
    const x = km.tensor(Array.from({ length: 40 }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]));
    const y = km.tensor(Array.from({ length: 40 }, (_, i) => [i % 2]));
    km.utils.setRandomSeed(2);
    const model = km.sequential([km.layers.dense({ units: 3, activation: 'tanh', inputShape: [2] }), km.layers.dense({ units: 1 })]);
    model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.05, useEma: true, emaMomentum: 0.7 }), loss: 'mse' });
    const snapshots: number[][] = [];
    const record = new (class extends km.callbacks.Callback {
      override onBatchEnd(): void {
        snapshots.push(model.getWeights().flatMap((w) => Array.from(w.dataSync())));
      }
    })();
    await model.fit(x, y, { epochs: 2, batchSize: 10, shuffle: false, verbose: 0, callbacks: [record] });
    expect(snapshots.length).toBe(8);
    const average = snapshots.reduce((a, w, k) => (k === 0 ? w : a.map((v, i) => 0.7 * v + 0.3 * w[i])));
    const final = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    expectClose(final, average);
    expect(Math.max(...final.map((v, i) => Math.abs(v - snapshots[7][i])))).toBeGreaterThan(1e-3);
  });

  it("saves the average as Keras' 'average' state and resumes as if never stopped", async () => {
    const { train } = await km.datasets.mnist.load();
    const [x, y] = [train.x.slice(0, 100), train.y.slice(0, 100)];
    const make = () => {
      km.utils.setRandomSeed(6);
      const model = km.sequential([km.layers.flatten({ inputShape: [28, 28] }), km.layers.dense({ units: 10, activation: 'softmax' })]);
      model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.01, useEma: true, emaMomentum: 0.9, emaOverwriteFrequency: 3 }), loss: 'sparseCategoricalCrossentropy' });
      return model;
    };
    const args = { batchSize: 25, shuffle: false, verbose: 0 as const };
    const uninterrupted = make();
    await uninterrupted.fit(x, y, { ...args, epochs: 1 });
    await uninterrupted.fit(x, y, { ...args, epochs: 1 });
    const first = make();
    await first.fit(x, y, { ...args, epochs: 1 });
    const path = join(dir, 'ema');
    await first.save(`file://${path}`, { includeOptimizer: true });
    const resumed = await km.loadLayersModel(`file://${path}/model.json`);
    expect(resumed.optimizer?.getConfig()).toMatchObject({ useEma: true, emaMomentum: 0.9, emaOverwriteFrequency: 3 });
    await resumed.fit(x, y, { ...args, epochs: 1 });
    const weights = (m: km.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
    expect(weights(resumed)).toEqual(weights(uninterrupted));
  });
});

describe('EMA option errors', () => {
  it('names the received value', () => {
    expect(() => km.optimizers.adam({ useEma: true, emaMomentum: 1.5 })).toThrow(/^Adam: emaMomentum must be in \[0, 1\]\. Received: emaMomentum=1.5\.$/);
    expect(() => km.optimizers.lamb({ useEma: true, emaOverwriteFrequency: 0 })).toThrow(/^Lamb: emaOverwriteFrequency must be an integer ≥ 1 .*Received: emaOverwriteFrequency=0\.$/);
    expect(() => km.optimizers.sgd({ useEma: 'yes' as never })).toThrow(/^SGD: useEma must be true or false\. Received: useEma=yes\.$/);
    expect(() => km.optimizers.adafactor({ emaMomentum: 0.9 })).toThrow(/^Adafactor: emaMomentum and emaOverwriteFrequency take effect only with useEma: true\. Received: useEma=false\./);
  });
});
