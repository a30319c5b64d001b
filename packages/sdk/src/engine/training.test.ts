import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

let train: { x: km.Tensor; y: km.Tensor };
let test: { x: km.Tensor; y: km.Tensor };

beforeAll(async () => {
  await km.ready();
  const data = await km.datasets.mnist.load();
  train = { x: data.train.x.slice(0, 4000), y: data.train.y.slice(0, 4000) };
  test = { x: data.test.x.slice(0, 1000), y: data.test.y.slice(0, 1000) };
});

function mlp(seed: number): km.Sequential {
  km.utils.setRandomSeed(seed);
  const model = km.sequential([
    km.layers.flatten({ inputShape: [28, 28] }),
    km.layers.dense({ units: 32, activation: 'relu' }),
    km.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

describe('fit on MNIST', () => {
  it('learns: loss falls every epoch and held-out accuracy beats 0.85', async () => {
    const model = mlp(1);
    const history = await model.fit(train.x, train.y, { epochs: 3, batchSize: 32, verbose: 0 });
    const losses = history.history.loss;
    expect(losses).toHaveLength(3);
    expect(losses[1]).toBeLessThan(losses[0]);
    expect(losses[2]).toBeLessThan(losses[1]);
    const [loss, accuracy] = await model.evaluate(test.x, test.y, { verbose: 0 });
    expect(accuracy).toBeGreaterThan(0.85);
    expect(loss).toBeLessThan(0.6);
  });

  it('gives the same losses bit for bit with the same seed, and different ones with another', async () => {
    const run = async (seed: number) => (await mlp(seed).fit(train.x, train.y, { epochs: 2, batchSize: 64, verbose: 0 })).history.loss;
    const a = await run(5);
    const b = await run(5);
    const c = await run(6);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('draws a model\'s weights when it is built, as Keras does: the seed set before it decides them, whatever is built in between', async () => {
    const a = mlp(7);
    const b = mlp(7);
    // Another seed and model between building and training must change neither.
    mlp(8);
    const c = mlp(7);
    const weights = (model: km.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(weights(b)).toEqual(weights(a));
    expect(weights(c)).toEqual(weights(a));
    const losses = async (model: km.LayersModel) => (await model.fit(train.x.slice(0, 256), train.y.slice(0, 256), { epochs: 1, batchSize: 64, verbose: 0, seed: 3 })).history.loss;
    expect(await losses(b)).toEqual(await losses(a));
  });

  it('stops growing wasm memory after the first epoch, validation and a partial batch included', async () => {
    const model = mlp(2);
    const sizes: number[] = [];
    // 4000 * 0.9 = 3600 training samples: 56 batches of 64 and one of 16.
    await model.fit(train.x, train.y, {
      epochs: 4, batchSize: 64, validationSplit: 0.1, verbose: 0,
      callbacks: { onEpochEnd: () => void sizes.push(model.memoryBytes()) },
    });
    expect(sizes[0]).toBeGreaterThan(0);
    expect(new Set(sizes).size).toBe(1);
  });

  it('holds out the last samples for validationSplit and reports val_ metrics', async () => {
    const model = mlp(3);
    const history = await model.fit(train.x, train.y, { epochs: 1, batchSize: 50, validationSplit: 0.25, verbose: 0 });
    expect(history.params.samples).toBe(3000);
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    const [valLoss, valAcc] = await model.evaluate(train.x.slice(3000), train.y.slice(3000), { batchSize: 50, verbose: 0 });
    expect(history.history.val_loss[0]).toBeCloseTo(valLoss, 6);
    expect(history.history.val_accuracy[0]).toBeCloseTo(valAcc, 6);
  });

  it('calls callbacks in Keras order and lets onBatchEnd stop training', async () => {
    const model = mlp(4);
    const events: string[] = [];
    const history = await model.fit(train.x.slice(0, 640), train.y.slice(0, 640), {
      epochs: 3, batchSize: 64, verbose: 0,
      callbacks: {
        onTrainBegin: () => void events.push('trainBegin'),
        onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
        onBatchEnd: (b, logs) => {
          events.push(`batchEnd ${b}`);
          expect(logs.size).toBe(64);
          if (b === 2) model.stopTraining = true;
        },
        onEpochEnd: (e, logs) => void events.push(`epochEnd ${e} ${typeof logs.loss}`),
        onTrainEnd: () => void events.push('trainEnd'),
      },
    });
    expect(events).toEqual(['trainBegin', 'epochBegin 0', 'batchEnd 0', 'batchEnd 1', 'batchEnd 2', 'epochEnd 0 number', 'trainEnd']);
    expect(history.epoch).toEqual([0]);
  });

  it('evaluates categorical cross-entropy on one-hot targets like the sparse loss on labels', async () => {
    const model = mlp(8);
    await model.fit(train.x, train.y, { epochs: 1, batchSize: 64, verbose: 0 });
    const sparse = await model.evaluate(test.x, test.y, { verbose: 0 });
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const dense = await model.evaluate(test.x, km.utils.toCategorical(test.y, 10), { verbose: 0 });
    expect(dense[0]).toBeCloseTo(sparse[0], 5);
    expect(dense[1]).toBe(sparse[1]);
  });

  it('predicts probabilities that match evaluate accuracy, for any batch size', async () => {
    const model = mlp(9);
    await model.fit(train.x, train.y, { epochs: 1, batchSize: 64, verbose: 0 });
    const probs = model.predict(test.x, { batchSize: 7 });
    expect(probs.shape).toEqual([1000, 10]);
    const p = probs.dataSync();
    const labels = test.y.dataSync();
    let correct = 0;
    for (let i = 0; i < 1000; i++) {
      const row = Array.from(p.subarray(i * 10, i * 10 + 10));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      if (row.indexOf(Math.max(...row)) === labels[i]) correct++;
    }
    const [, accuracy] = await model.evaluate(test.x, test.y, { batchSize: 100, verbose: 0 });
    expect(correct / 1000).toBe(accuracy);
    expect(model.predict(test.x.slice(0, 5), { batchSize: 64 }).dataSync()).toEqual(p.slice(0, 50));
  });

  it('keeps the plans of the most recent batch sizes only, so predicting on inputs of many sizes stops allocating', () => {
    const model = mlp(4);
    const x = test.x.slice(0, 64);
    model.getWeights(); // the weights, no plan yet
    const base = model.memoryBytes();
    const first = model.predict(x, { batchSize: 64 }).dataSync();
    const largestPlan = model.memoryBytes() - base;
    for (let n = 1; n < 64; n++) model.predict(x.slice(0, n), { batchSize: n });
    // Without a limit this keeps 64 plans, about 32 times the largest; with it, eight at most.
    expect(largestPlan).toBeGreaterThan(0);
    expect(model.memoryBytes() - base).toBeLessThanOrEqual(8 * largestPlan);
    expect(model.predict(x, { batchSize: 64 }).dataSync()).toEqual(first);
  });
});
