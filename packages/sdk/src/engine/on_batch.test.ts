import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

const random = new Random(31);
const batches = [8, 8, 5, 8].map((n) => ({
  x: Array.from({ length: n }, () => Array.from({ length: 4 }, () => random.uniform(-1, 1))),
  y: Array.from({ length: n }, () => {
    const row = [0, 0, 0];
    row[Math.floor(random.uniform(0, 3))] = 1;
    return row;
  }),
}));

function kerasmModel(metrics: string[] = ['accuracy']): km.LayersModel {
  km.utils.setRandomSeed(3);
  const model = km.sequential([
    km.layers.dense({ units: 6, activation: 'relu', inputShape: [4], name: 'hidden' }),
    km.layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
  ]);
  model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }), loss: 'categoricalCrossentropy', metrics });
  return model;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

describe('trainOnBatch, testOnBatch, predictOnBatch', () => {
  it('steps like tfjs-layers 4.22 trainOnBatch: same losses, accuracies and weights', async () => {
    const ours = kerasmModel();
    const theirs = tfl.sequential({
      layers: [tfl.layers.dense({ units: 6, activation: 'relu', inputShape: [4] }), tfl.layers.dense({ units: 3, activation: 'softmax' })],
    });
    theirs.setWeights(await Promise.all(ours.getWeights().map(async (w) => tf.tensor(await w.data(), [...w.shape]))));
    theirs.compile({ optimizer: tf.train.momentum(0.1, 0.9), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    for (const { x, y } of batches) {
      const [loss, accuracy] = (await ours.trainOnBatch(km.tensor(x), km.tensor(y))) as number[];
      const [tfLoss, tfAccuracy] = (await theirs.trainOnBatch(tf.tensor(x), tf.tensor(y))) as number[];
      expect(loss).toBeCloseTo(tfLoss, 5);
      expect(accuracy).toBeCloseTo(tfAccuracy, 6);
    }
    const tfWeights = theirs.getWeights().map((w) => w.dataSync());
    ours.getWeights().forEach((w, i) => w.dataSync().forEach((v, j) => expect(v).toBeCloseTo(tfWeights[i][j], 5)));
  });

  it('returns the loss alone without metrics; testOnBatch equals evaluate on one batch and trains nothing', async () => {
    const model = kerasmModel([]);
    const { x, y } = batches[0];
    const [xs, ys] = [km.tensor(x), km.tensor(y)];
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    const tested = await model.testOnBatch(xs, ys);
    expect(typeof tested).toBe('number');
    expect(tested).toBe((await model.evaluate(xs, ys, { batchSize: x.length, verbose: 0 }))[0]);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    const trained = await model.trainOnBatch(xs, ys);
    expect(trained).toBe(tested);
    expect(await model.testOnBatch(xs, ys)).toBeLessThan(tested as number);
  });

  it('sample weights scale the step like fit: weight 0 on every sample changes nothing', async () => {
    const model = kerasmModel();
    const { x, y } = batches[1];
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    await model.trainOnBatch(km.tensor(x), km.tensor(y), { sampleWeight: new Array(x.length).fill(0) });
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
  });

  it('predictOnBatch equals predict', () => {
    const model = kerasmModel();
    const xs = km.tensor(batches[2].x);
    expect(Array.from(model.predictOnBatch(xs).dataSync())).toEqual(Array.from(model.predict(xs).dataSync()));
  });

  it('trainOnBatch before compile names the fix', async () => {
    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [4] })]);
    await expect(model.trainOnBatch(km.tensor(batches[0].x), km.tensor(batches[0].x))).rejects.toThrow(/must be compiled before training.*model\.compile/);
  });
});

describe('getLayer', () => {
  const model = kerasmModel();

  it('finds a layer by name or by index', () => {
    expect(model.getLayer('out')).toBe(model.layers[1]);
    expect(model.getLayer(undefined, 0)).toBe(model.layers[0]);
  });

  it('names the layers it has when the name is unknown, and the range when the index is out of it', () => {
    expect(() => model.getLayer('dense')).toThrow(/has no layer named 'dense'\. Its layers are: 'hidden', 'out'\./);
    expect(() => model.getLayer(undefined, 2)).toThrow(/getLayer index 2 is out of range: model '.*' has 2 layers \(indices 0 to 1\)\./);
    expect(() => model.getLayer()).toThrow(/getLayer needs a layer name or an index/);
  });
});

describe('training a model whose weights are all frozen', () => {
  it('warns once that nothing changes, naming the model and why', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => void warnings.push(message);
    try {
      const frozen = km.sequential({ name: 'discriminator', layers: [km.layers.dense({ units: 1, inputShape: [2] })] });
      frozen.compile({ optimizer: 'sgd', loss: 'mse' });
      frozen.trainable = false;
      const x = km.tensor([1, 2, 3, 4], [2, 2]);
      const y = km.tensor([[1], [0]]);
      const before = Array.from(frozen.getWeights()[0].dataSync());
      await frozen.trainOnBatch(x, y);
      await frozen.fit(x, y, { epochs: 1, verbose: 0 });
      expect(Array.from(frozen.getWeights()[0].dataSync())).toEqual(before);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^kerasm: model 'discriminator' has no trainable weights \(its layers have trainable = false\), so training it changes none of them\. kerasm reads trainable when a step runs, as Keras 3 does/);
      // Evaluating a frozen model is no mistake.
      frozen.trainable = true;
      const other = km.sequential([km.layers.dense({ units: 1, inputShape: [2], trainable: false })]);
      other.compile({ optimizer: 'sgd', loss: 'mse' });
      await other.evaluate(x, y, { verbose: 0 });
      expect(warnings).toHaveLength(1);
    } finally {
      console.warn = warn;
    }
  });
});
