import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { tfd } from '../data/testing/tfjs_data.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const [n, steps, features] = [12, 3, 2];
const xValues = Array.from({ length: n * steps * features }, (_, i) => Math.sin(i));
const yValues = Array.from({ length: n }, (_, i) => Math.cos(i));
const sample = (i: number) => ({
  xs: km.tensor(xValues.slice(i * steps * features, (i + 1) * steps * features), [steps, features]),
  ys: km.tensor([yValues[i]], [1]),
});

function regressor(): km.Sequential {
  const model = km.sequential([km.layers.flatten({ inputShape: [steps, features] }), km.layers.dense({ units: 1 })]);
  model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
  return model;
}

describe('fit(dataset) on a dataset of samples that was never batched (jena-weather, a generator of windows)', () => {
  it('names .batch(batchSize); batched, it trains as tfjs\' fitDataset does on the same batches', async () => {
    const samples = () => km.data.generator(function* () { for (let i = 0; i < n; i++) yield sample(i); });
    const model = regressor();
    await expect(model.fit(samples(), { epochs: 1, verbose: 0 })).rejects.toThrow(
      "fit(dataset): batch 0 xs has shape [3, 2], one sample of the model's input (None, 3, 2), so the dataset yields samples, not batches. Call .batch(batchSize) on the dataset (tfjs' fitDataset needs batches too).",
    );
    await expect(model.evaluate(samples(), { verbose: 0 })).rejects.toThrow(/yields samples, not batches\. Call \.batch\(batchSize\)/);
    const theirs = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [steps, features] }), tfl.layers.dense({ units: 1 })] });
    theirs.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    theirs.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const theirSamples = tfd.generator(function* () {
      for (let i = 0; i < n; i++) yield { xs: tf.tensor(xValues.slice(i * steps * features, (i + 1) * steps * features), [steps, features]), ys: tf.tensor([yValues[i]], [1]) };
    });
    const ours = await model.fit(samples().batch(4), { epochs: 2, verbose: 0 });
    const reference = await theirs.fitDataset(theirSamples.batch(4), { epochs: 2, verbose: 0 });
    ours.history.loss.forEach((loss, e) => expect(loss).toBeCloseTo(reference.history.loss[e] as number, 5));
  });

  it('takes a batch of one sample for a model whose input is [1], where a sample and a batch look alike', async () => {
    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [1] })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const ds = km.data.array([{ xs: km.tensor([0.5], [1]), ys: km.tensor([1], [1]) }]);
    const history = await model.fit(ds, { epochs: 1, verbose: 0 });
    expect(history.history.loss).toHaveLength(1);
  });
});

describe('fit given what a tfjs port passes for a dataset', () => {
  it('a tf.data dataset is named, with km.data as the fix', async () => {
    const model = regressor();
    const tfjsDataset = tfd.array([{ xs: [[0, 0], [0, 0], [0, 0]], ys: [0] }]).batch(1);
    await expect(model.fit(tfjsDataset as never, { epochs: 1, verbose: 0 } as never)).rejects.toThrow(
      'x must be a km.Tensor; received a TensorFlow.js dataset (tf.data), which kerasm cannot read. Build it with km.data instead',
    );
  });

  it('a generator function not wrapped in km.data.generator names km.data.generator', async () => {
    const model = regressor();
    await expect(model.fit((function* () { yield sample(0); }) as never, { epochs: 1, verbose: 0 } as never)).rejects.toThrow(
      'x must be a km.Tensor; received a function. For batches made by a generator function, make a dataset of it, km.data.generator(fn), and pass that',
    );
  });
});
