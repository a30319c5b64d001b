import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const n = 24;
const random = new Random(4);
const images = Float32Array.from({ length: n * 9 * 9 * 2 }, () => random.uniform(0, 1));
const classes = Float32Array.from({ length: n * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));

const cases = [
  {
    name: 'conv autoencoder: Conv2D stride 2 → Conv2DTranspose stride 2 (same) → Conv2D → Conv2DTranspose (valid)',
    loss: 'meanSquaredError' as const,
    x: [n, 9, 9, 1], y: { values: images.subarray(0, n * 81), shape: [n, 9, 9, 1] },
    kerasm: () => [
      km.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', inputShape: [9, 9, 1] }),
      km.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      km.layers.conv2d({ filters: 2, kernelSize: 3 }),
      km.layers.conv2dTranspose({ filters: 1, kernelSize: 2, activation: 'sigmoid', biasInitializer: 'glorotUniform' }),
    ],
    tfjs: () => [
      tfl.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', inputShape: [9, 9, 1] }),
      tfl.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
      tfl.layers.conv2d({ filters: 2, kernelSize: 3 }),
      tfl.layers.conv2dTranspose({ filters: 1, kernelSize: 2, activation: 'sigmoid' }),
    ],
  },
  {
    name: 'separable-conv classifier: SeparableConv2D (multiplier 2) → SeparableConv2D (stride 2, same) → Flatten → Dense softmax',
    loss: 'categoricalCrossentropy' as const,
    x: [n, 9, 9, 2], y: { values: classes, shape: [n, 3] },
    kerasm: () => [
      km.layers.separableConv2d({ filters: 6, kernelSize: 3, depthMultiplier: 2, activation: 'relu', biasInitializer: 'glorotUniform', inputShape: [9, 9, 2] }),
      km.layers.separableConv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }),
      km.layers.flatten(),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ],
    tfjs: () => [
      tfl.layers.separableConv2d({ filters: 6, kernelSize: 3, depthMultiplier: 2, activation: 'relu', inputShape: [9, 9, 2] }),
      tfl.layers.separableConv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  },
];

describe('Conv2DTranspose and SeparableConv2D: parity with tfjs-layers 4.22 (cpu backend)', () => {
  it.each(cases)('$name: same weights give the same predictions, then the same losses and weights over 9 SGD steps', async (c) => {
    km.utils.setRandomSeed(12);
    const model = km.sequential(c.kerasm());
    const reference = tfl.sequential({ layers: c.tfjs() });
    reference.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const xValues = images.subarray(0, c.x.reduce((a, b) => a * b, 1));

    const predicted = model.predict(km.tensor(xValues, c.x)).dataSync();
    const expected = (reference.predict(tf.tensor(xValues, c.x)) as tf.Tensor).dataSync();
    expect(predicted.length).toBe(expected.length);
    predicted.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));

    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.3, momentum: 0.9 }), loss: c.loss });
    reference.compile({ optimizer: tf.train.momentum(0.3, 0.9), loss: c.loss });
    const args = { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 as const };
    const ours = await model.fit(km.tensor(xValues, c.x), km.tensor(c.y.values, c.y.shape), args);
    const theirs = await reference.fit(tf.tensor(xValues, c.x), tf.tensor(c.y.values, c.y.shape), args);
    ours.history.loss.forEach((loss, i) => expect(Math.abs(loss - (theirs.history.loss[i] as number))).toBeLessThan(1e-4));
    expect(ours.history.loss[2]).not.toBeCloseTo(ours.history.loss[0], 3);
    const theirWeights = reference.getWeights();
    model.getWeights().forEach((w, i) => {
      const want = theirWeights[i].dataSync();
      w.dataSync().forEach((v, j) => expect(Math.abs(v - want[j])).toBeLessThan(1e-4));
    });
  });
});
