import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { checkLayersModelRoundTrip } from '../io/testing/round_trip.js';
import { conv2d, finiteDifferences, type Image, type WindowSpec } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { expectSameSgdFit } from '../testing/tfjs_fit_parity.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

/** Float64 batch normalization with batch statistics over every row of `rows` (all samples, all positions). */
function batchNorm(rows: number[][], channels: number, gamma: number[], beta: number[], epsilon: number): number[][] {
  const all = rows.flat();
  const count = all.length / channels;
  const mean = gamma.map((_, c) => all.filter((_, i) => i % channels === c).reduce((a, b) => a + b, 0) / count);
  const variance = mean.map((m, c) => all.filter((_, i) => i % channels === c).reduce((a, b) => a + (b - m) ** 2, 0) / count);
  return rows.map((row) => row.map((v, i) => (gamma[i % channels] * (v - mean[i % channels])) / Math.sqrt(variance[i % channels] + epsilon) + beta[i % channels]));
}

const spec = (kernel: number, stride: number, padding: 'valid' | 'same'): WindowSpec => ({ kernel: [kernel, kernel], strides: [stride, stride], dilation: [1, 1], padding });

describe('BatchNormalization', () => {
  it.each([
    { name: 'batch 1, odd image, valid', input: [5, 3, 2] as [number, number, number], batch: 1, first: spec(2, 1, 'valid') },
    { name: 'batch 3, same padding, stride 2', input: [7, 6, 1] as [number, number, number], batch: 3, first: spec(3, 2, 'same') },
  ])('gradients against float64 finite differences: $name', async (c) => {
    const random = new Random(6);
    km.utils.setRandomSeed(3);
    const model = km.sequential([
      km.layers.conv2d({ filters: 3, kernelSize: c.first.kernel, strides: c.first.strides, padding: c.first.padding, inputShape: c.input, biasInitializer: 'glorotUniform' }),
      km.layers.batchNormalization({ gammaInitializer: 'glorotUniform', betaInitializer: 'glorotUniform' }),
      km.layers.activation({ activation: 'tanh' }),
      km.layers.flatten(),
      km.layers.dense({ units: 2 }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const inSize = c.input.reduce((a, b) => a * b, 1);
    const xs = Array.from({ length: c.batch }, () => Array.from({ length: inSize }, () => random.uniform(-1, 1)));
    const ys = Array.from({ length: c.batch }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]);
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    // getWeights order (tfjs'): conv kernel, conv bias, gamma, beta, dense kernel, dense bias, then moving mean and variance.
    const loss = (): number => {
      const h = xs.map((x) => conv2d({ h: c.input[0], w: c.input[1], c: c.input[2], data: x } as Image, weights[0], weights[1], c.first).data);
      const normalized = batchNorm(h, 3, weights[2], weights[3], 1e-3);
      const out = normalized.map((row) => weights[5].map((b, j) => row.reduce((s, v, i) => s + Math.tanh(v) * weights[4][i * 2 + j], b)));
      return out.reduce((s, o, i) => s + o.reduce((t, v, j) => t + (v - ys[i][j]) ** 2, 0) / 2, 0) / c.batch;
    };
    const expected = finiteDifferences(weights, loss);
    const trainable = [0, 1, 2, 3, 4, 5];
    const actual = await kerasmGradients(model, 'meanSquaredError', km.tensor(xs.flat(), [c.batch, ...c.input]), km.tensor(ys.flat(), [c.batch, 2]));
    expectGradientsClose(trainable.map((i) => actual[i]), trainable.map((i) => expected[i]), ['kernel', 'bias', 'gamma', 'beta', 'dense kernel', 'dense bias']);
  });

  it('uses batch statistics and updates the moving ones in training, and the moving ones in inference', async () => {
    km.utils.setRandomSeed(2);
    const model = km.sequential([km.layers.batchNormalization({ inputShape: [2, 3] }), km.layers.flatten()]);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 1e-12 }), loss: 'meanSquaredError' });
    const random = new Random(4);
    const values = Array.from({ length: 4 * 6 }, () => random.uniform(1, 5));
    const x = km.tensor(values, [4, 2, 3]);
    // Before training the moving statistics are 0 and 1: inference is nearly the identity.
    const before = model.predict(x).dataSync();
    before.forEach((v, i) => expect(v).toBeCloseTo(values[i] / Math.sqrt(1 + 1e-3), 5));

    // A training step's loss is measured on the batch-normalized output: per channel mean 0, variance ~1.
    const rows = Array.from({ length: 8 }, (_, r) => values.slice(r * 3, r * 3 + 3));
    const normalized = batchNorm(rows, 3, [1, 1, 1], [0, 0, 0], 1e-3).flat();
    const targets = Array.from({ length: 24 }, (_, i) => i % 2);
    const history = await model.fit(x, km.tensor(targets, [4, 6]), { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    expect(history.history.loss[0]).toBeCloseTo(normalized.reduce((s, v, i) => s + (v - targets[i]) ** 2, 0) / 24, 5);

    const [, , movingMean, movingVariance] = model.getWeights().map((w) => Array.from(w.dataSync()));
    [0, 1, 2].forEach((c) => {
      const column = rows.map((r) => r[c]);
      const mean = column.reduce((a, b) => a + b, 0) / 8;
      const variance = column.reduce((a, b) => a + (b - mean) ** 2, 0) / 8;
      expect(movingMean[c]).toBeCloseTo(0.01 * mean, 6);
      expect(movingVariance[c]).toBeCloseTo(0.99 + 0.01 * variance, 6);
    });
    const after = model.predict(x).dataSync();
    after.forEach((v, i) => expect(v).toBeCloseTo((values[i] - movingMean[i % 3]) / Math.sqrt(movingVariance[i % 3] + 1e-3), 5));
    expect(Math.abs(after[0] - normalized[0])).toBeGreaterThan(0.1);
    expect(model.getWeights().length).toBe(4);
    expect(model.countParams()).toBe(12);
  });

  it('trains like tfjs-layers 4.22 from the same weights: losses, weights and moving statistics', async () => {
    km.utils.setRandomSeed(7);
    const build = (api: typeof km | typeof tfl) => [
      api.layers.conv2d({ filters: 4, kernelSize: 3, inputShape: [6, 5, 2] }),
      api.layers.batchNormalization({ momentum: 0.9 }),
      api.layers.flatten({}),
      api.layers.dense({ units: 3, activation: 'softmax' }),
    ];
    const ours = km.sequential(build(km) as km.layers.Layer[]);
    const theirs = tfl.sequential({ layers: build(tfl) as tfl.layers.Layer[] });
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const random = new Random(9);
    const x = Float32Array.from({ length: 12 * 60 }, () => random.uniform(0, 2));
    const y = Int32Array.from({ length: 12 }, (_, i) => i % 3);
    await expectSameSgdFit(ours, theirs, x, [12, 6, 5, 2], y, { learningRate: 0.1, epochs: 2, batchSize: 4, weightDigits: 5 });
  });

  it('saves and loads in the LayersModel format, both directions with tfjs', async () => {
    await checkLayersModelRoundTrip({
      inputShape: [3, 4],
      kerasm: () => [
        km.layers.batchNormalization({ inputShape: [3, 4], momentum: 0.8, epsilon: 0.01, gammaInitializer: 'glorotUniform', movingMeanInitializer: 'glorotUniform' }),
        km.layers.batchNormalization({ center: false }),
        km.layers.batchNormalization({ scale: false }),
        km.layers.batchNormalization({ trainable: false, movingMeanInitializer: 'glorotUniform' }),
      ],
      tfjs: () => [
        tfl.layers.batchNormalization({ inputShape: [3, 4], betaInitializer: 'randomNormal', movingMeanInitializer: 'randomUniform', movingVarianceInitializer: 'ones' }),
        tfl.layers.batchNormalization({ center: false, gammaInitializer: 'randomUniform' }),
        tfl.layers.batchNormalization({ trainable: false, betaInitializer: 'randomUniform' }),
      ],
    });
  });

  it('rejects bad arguments with the value received', () => {
    expect(() => km.layers.batchNormalization({ momentum: 1.5 })).toThrow(/momentum must be a number in \[0, 1\]. Received: momentum=1.5/);
    expect(() => km.layers.batchNormalization({ epsilon: 0 })).toThrow(/epsilon must be a positive number. Received: epsilon=0/);
  });
});
