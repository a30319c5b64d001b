import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { sevenBeforeThreeTask } from '../testing/sequence_data.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const [n, length, vocabulary] = [96, 12, 20];
const { tokens, labels } = sevenBeforeThreeTask(n, length, vocabulary, 3);

// Keras' two classic text classifiers, built the same way in both libraries.
const architectures = [
  {
    name: 'Embedding → GlobalAveragePooling1D → Dense ("basic text classification")',
    kerasm: () => [km.layers.embedding({ inputDim: vocabulary, outputDim: 8, inputShape: [length] }), km.layers.globalAveragePooling1d(), km.layers.dense({ units: 1, activation: 'sigmoid' })],
    tfjs: () => [tfl.layers.embedding({ inputDim: vocabulary, outputDim: 8, inputShape: [length] }), tfl.layers.globalAveragePooling1d(), tfl.layers.dense({ units: 1, activation: 'sigmoid' })],
  },
  {
    name: 'Embedding → Conv1D → MaxPooling1D → Conv1D → GlobalMaxPooling1D → Dense ("text classification from scratch")',
    kerasm: () => [
      km.layers.embedding({ inputDim: vocabulary, outputDim: 8, inputShape: [length] }),
      km.layers.conv1d({ filters: 6, kernelSize: 3, activation: 'relu' }),
      km.layers.maxPooling1d({ poolSize: 2 }),
      km.layers.conv1d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      km.layers.globalMaxPooling1d(),
      km.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
    tfjs: () => [
      tfl.layers.embedding({ inputDim: vocabulary, outputDim: 8, inputShape: [length] }),
      tfl.layers.conv1d({ filters: 6, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling1d({ poolSize: 2 }),
      tfl.layers.conv1d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tfl.layers.globalMaxPooling1d(),
      tfl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  },
];

describe('text classifiers: training parity with tfjs-layers 4.22 (cpu backend)', () => {
  it.each(architectures)('$name: same weights and batches give the same losses and weights over 18 SGD steps', async ({ kerasm, tfjs }) => {
    km.utils.setRandomSeed(8);
    const model = km.sequential(kerasm());
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5, momentum: 0.9 }), loss: 'binaryCrossentropy' });
    const reference = tfl.sequential({ layers: tfjs() });
    reference.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    reference.compile({ optimizer: tf.train.momentum(0.5, 0.9), loss: 'binaryCrossentropy' });

    const args = { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 as const };
    const ours = await model.fit(km.tensor(tokens, [n, length], 'int32'), km.tensor(labels, [n, 1]), args);
    const theirs = await reference.fit(tf.tensor(tokens, [n, length], 'int32'), tf.tensor(labels, [n, 1]), args);
    ours.history.loss.forEach((loss, i) => expect(Math.abs(loss - (theirs.history.loss[i] as number))).toBeLessThan(1e-4));
    expect(ours.history.loss[2]).not.toBeCloseTo(ours.history.loss[0], 3);
    const theirWeights = reference.getWeights();
    model.getWeights().forEach((w, i) => {
      const expected = theirWeights[i].dataSync();
      w.dataSync().forEach((v, j) => expect(Math.abs(v - expected[j])).toBeLessThan(1e-4));
    });
  });
});
