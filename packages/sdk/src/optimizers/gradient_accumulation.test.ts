import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { optimizerConfig, optimizerFromConfig } from '../io/optimizer_config.js';
import { Random } from '../utils/random.js';

const random = new Random(5);
const [batch, features, units] = [4, 6, 2];
const rows = (n: number) => Array.from({ length: n * batch }, () => Array.from({ length: features }, () => random.uniform(-1, 1)));
const xs = rows(8);
const ys = xs.map((r) => [r[0] - r[1], r[2] * r[3]]);
const slice = (from: number, to: number) => [km.tensor(xs.slice(from * batch, to * batch)), km.tensor(ys.slice(from * batch, to * batch))] as const;

function model(optimizer: km.optimizers.Optimizer): km.Sequential {
  km.utils.setRandomSeed(9);
  const m = km.sequential([km.layers.dense({ units: 5, activation: 'tanh', inputShape: [features], name: 'hidden' }), km.layers.dense({ units, name: 'out' })]);
  m.compile({ optimizer, loss: 'mse' });
  return m;
}
const fitArgs = { batchSize: batch, epochs: 1, shuffle: false, verbose: 0 as const };
const weightsOf = (m: km.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

describe('gradientAccumulationSteps: bad values', () => {
  it.each([0, 1, 2.5, -3, Number.NaN, '4'])('refuses %s, naming the value and what it must be', (value) => {
    expect(() => km.optimizers.adam({ gradientAccumulationSteps: value as number })).toThrow(
      new RegExp(`Adam: gradientAccumulationSteps must be an integer ≥ 2 .*Received: gradientAccumulationSteps=${String(value)}\\.`),
    );
  });

  it('refuses it in a saved config too, saying which config is invalid', () => {
    expect(optimizerFromConfig({ class_name: 'SGD', config: { learning_rate: 0.1, gradient_accumulation_steps: 1.5 } })).toMatch(/its SGD config is invalid: SGD: gradientAccumulationSteps must be an integer ≥ 2/);
  });
});

describe('gradientAccumulationSteps: config', () => {
  it('is in getConfig and round-trips through the saved optimizer config', () => {
    const optimizer = km.optimizers.rmsprop({ learningRate: 0.01, gradientAccumulationSteps: 4 });
    expect(optimizer.getConfig().gradientAccumulationSteps).toBe(4);
    const loaded = optimizerFromConfig(optimizerConfig(optimizer)) as km.optimizers.Optimizer;
    expect(loaded.gradientAccumulationSteps).toBe(4);
    expect(loaded.getConfig()).toEqual(optimizer.getConfig());
    expect(km.optimizers.sgd().getConfig()).not.toHaveProperty('gradientAccumulationSteps');
  });

  it("reads Keras 3's snake_case key, and its null as no accumulation", () => {
    const keras = optimizerFromConfig({ class_name: 'Adam', config: { learning_rate: 0.01, gradient_accumulation_steps: 3 } }) as km.optimizers.Optimizer;
    expect(keras.gradientAccumulationSteps).toBe(3);
    const none = optimizerFromConfig({ class_name: 'Adam', config: { learning_rate: 0.01, gradient_accumulation_steps: null } }) as km.optimizers.Optimizer;
    expect(none.gradientAccumulationSteps).toBeNull();
  });
});

describe('gradientAccumulationSteps: training state', () => {
  let dir: string;
  beforeAll(async () => {
    await km.ready();
    dir = await mkdtemp(join(tmpdir(), 'kerasm-accumulation-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('saved between updates, resumes mid-accumulation exactly as an uninterrupted run', async () => {
    const make = () => km.optimizers.adam({ learningRate: 0.02, gradientAccumulationSteps: 3 });
    const uninterrupted = model(make());
    await uninterrupted.fit(...slice(0, 8), fitArgs);

    const first = model(make());
    await first.fit(...slice(0, 5), fitArgs);
    expect([first.optimizer!.iterations, first.optimizer!.accumulatedBatches]).toEqual([1, 2]);
    const path = join(dir, 'adam');
    await first.save(`file://${path}`, { includeOptimizer: true });
    const json = JSON.parse(await readFile(join(path, 'model.json'), 'utf8')) as km.io.ModelJSON;
    const names = json.weightsManifest[0].weights.filter((w) => w.group === 'optimizer').map((w) => w.name);
    const trainable = ['hidden/kernel', 'hidden/bias', 'out/kernel', 'out/bias'];
    expect(names).toEqual(['iter', ...['m', 'v', 'gradient_accumulator'].flatMap((s) => trainable.map((w) => `${w}/${s}`))]);

    const resumed = await km.loadLayersModel(`file://${path}/model.json`);
    expect(resumed.optimizer?.getConfig()).toEqual(first.optimizer?.getConfig());
    expect([resumed.optimizer!.iterations, resumed.optimizer!.accumulatedBatches, resumed.optimizer!.batchesApplied]).toEqual([1, 2, 5]);
    await resumed.fit(...slice(5, 8), fitArgs);
    expect(weightsOf(resumed)).toEqual(weightsOf(uninterrupted));

    // Control: resuming without the accumulated gradients (a fresh optimizer) lands elsewhere.
    const restarted = await km.loadLayersModel(`file://${path}/model.json`);
    restarted.compile({ optimizer: make(), loss: 'mse' });
    await restarted.fit(...slice(5, 8), fitArgs);
    expect(weightsOf(restarted)).not.toEqual(weightsOf(uninterrupted));
  });

  it('counts updates in iterations while a schedule follows the batches, as Keras 3 does', async () => {
    const schedule = km.optimizers.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
    const optimizer = km.optimizers.sgd({ learningRate: schedule, gradientAccumulationSteps: 2 });
    await model(optimizer).fit(...slice(0, 5), fitArgs);
    expect([optimizer.iterations, optimizer.accumulatedBatches, optimizer.batchesApplied]).toEqual([2, 1, 5]);
    expect(optimizer.learningRate).toBeCloseTo(0.1 * 0.5 ** 5, 12);
  });

  it("blends the moving average after every batch, as Keras 3's useEma does", async () => {
    const plain = model(km.optimizers.sgd({ learningRate: 0.2, gradientAccumulationSteps: 2 }));
    const updates: number[][][] = [];
    for (let u = 0; u < 3; u++) {
      await plain.fit(...slice(2 * u, 2 * u + 2), fitArgs);
      updates.push(weightsOf(plain));
    }
    const averaged = model(km.optimizers.sgd({ learningRate: 0.2, gradientAccumulationSteps: 2, useEma: true, emaMomentum: 0.5 }));
    await averaged.fit(...slice(0, 6), fitArgs);
    // Batches 1-2 copy w1; batch 3 blends w1 into itself; batch 4 gives w2 and a = (w1 + w2)/2;
    // batch 5 blends w2 in again (a = w1/4 + 3·w2/4); batch 6 gives w3 and a = a/2 + w3/2.
    const [w1, w2, w3] = updates;
    const expected = w1.map((w, i) => w.map((v, j) => v / 8 + (3 * w2[i][j]) / 8 + w3[i][j] / 2));
    weightsOf(averaged).forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 6)));
  });
});
