import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { expectSameSgdFit } from '../testing/tfjs_fit_parity.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const EPSILON = 1e-3;
const uniform = (random: Random, n: number, lo: number, hi: number) => Array.from({ length: n }, () => random.uniform(lo, hi));

/** Index of each value of a `[batch, ...shape]` batch on the channel axis `axis` (1-based from the batch). */
function channelOf(shape: readonly number[], axis: number): (i: number) => number {
  const inner = shape.slice(axis).reduce((a, b) => a * b, 1);
  return (i) => Math.floor(i / inner) % shape[axis - 1];
}

/**
 * Float64 batch normalization of a flat `[batch, ...shape]` batch over `axis`: with the batch's
 * statistics, or with `moving` ones when given.
 */
function normalize(values: readonly number[], shape: readonly number[], axis: number, gamma: readonly number[], beta: readonly number[], moving?: { mean: readonly number[]; variance: readonly number[] }): number[] {
  const channel = channelOf(shape, axis);
  const channels = gamma.length;
  let { mean, variance } = moving ?? { mean: [] as number[], variance: [] as number[] };
  if (!moving) {
    const sums = new Array<number>(channels).fill(0);
    const counts = new Array<number>(channels).fill(0);
    values.forEach((v, i) => ((sums[channel(i)] += v), counts[channel(i)]++));
    mean = sums.map((s, c) => s / counts[c]);
    const squares = new Array<number>(channels).fill(0);
    values.forEach((v, i) => (squares[channel(i)] += (v - mean[channel(i)]) ** 2));
    variance = squares.map((s, c) => s / counts[c]);
  }
  return values.map((v, i) => (gamma[channel(i)] * (v - mean[channel(i)])) / Math.sqrt(variance[channel(i)] + EPSILON) + beta[channel(i)]);
}

describe('BatchNormalization over an axis that is not the last', () => {
  it.each([
    { axis: 1, trainable: true },
    { axis: 2, trainable: true },
    { axis: -2, trainable: true },
    { axis: 1, trainable: false },
    { axis: 2, trainable: false },
  ])('gradients against float64 finite differences: axis $axis, trainable $trainable', async ({ axis, trainable }) => {
    const shape = [3, 2, 4];
    const size = 24;
    const batch = 3;
    const resolved = axis < 0 ? axis + 4 : axis;
    km.utils.setRandomSeed(5);
    const model = km.sequential([
      km.layers.dense({ units: size, inputShape: [5], biasInitializer: 'glorotUniform' }),
      km.layers.reshape({ targetShape: shape }),
      km.layers.batchNormalization({ axis, trainable, gammaInitializer: 'glorotUniform', betaInitializer: 'glorotUniform', movingMeanInitializer: 'glorotUniform' }),
      km.layers.activation({ activation: 'tanh' }),
      km.layers.flatten(),
      km.layers.dense({ units: 2 }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const random = new Random(8);
    const xs = uniform(random, batch * 5, -1, 1);
    const ys = uniform(random, batch * 2, -1, 1);
    // getWeights order: dense kernel and bias, [gamma, beta,] dense kernel and bias, [gamma, beta,] moving mean and variance.
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const [k1, b1, gamma, beta, k2, b2, movingMean, movingVariance] = trainable
      ? [0, 1, 2, 3, 4, 5, 6, 7].map((i) => weights[i])
      : [0, 1, 4, 5, 2, 3, 6, 7].map((i) => weights[i]);
    const loss = (): number => {
      const h = Array.from({ length: batch * size }, (_, i) => {
        const [s, j] = [Math.floor(i / size), i % size];
        return xs.slice(s * 5, s * 5 + 5).reduce((t, v, k) => t + v * k1[k * size + j], b1[j]);
      });
      const normalized = normalize(h, shape, resolved, gamma, beta, trainable ? undefined : { mean: movingMean, variance: movingVariance });
      let total = 0;
      for (let s = 0; s < batch; s++) {
        for (let j = 0; j < 2; j++) {
          const out = normalized.slice(s * size, (s + 1) * size).reduce((t, v, k) => t + Math.tanh(v) * k2[k * 2 + j], b2[j]);
          total += (out - ys[s * 2 + j]) ** 2 / 2;
        }
      }
      return total / batch;
    };
    const expected = finiteDifferences(weights, loss);
    const actual = await kerasmGradients(model, 'meanSquaredError', km.tensor(xs, [batch, 5]), km.tensor(ys, [batch, 2]));
    const names = trainable ? ['kernel', 'bias', 'gamma', 'beta', 'dense kernel', 'dense bias'] : ['kernel', 'bias', 'dense kernel', 'dense bias'];
    expectGradientsClose(actual.slice(0, names.length), expected.slice(0, names.length), names);
    if (!trainable) actual.slice(4).forEach((step) => expect(Array.from(step)).toEqual(new Array(step.length).fill(0)));
  });

  // tfjs-layers 4.22 cannot be the reference here: over a non-last axis its inference output is
  // wrong (tfjs-core's batchNorm kernel broadcasts the statistics along the last axis) and its
  // gradient throws. A permutation to the axis and back around the layer is the same model as
  // tfjs' layer over the last axis, weight for weight.
  it.each([
    { axis: 1, there: [3, 1, 2], back: [2, 3, 1] },
    { axis: -3, there: [3, 1, 2], back: [2, 3, 1] },
    { axis: 2, there: [1, 3, 2], back: [1, 3, 2] },
  ])('axis $axis between permutations trains like tfjs-layers 4.22 over the last axis: losses, weights, moving statistics, predictions', async ({ axis, there, back }) => {
    km.utils.setRandomSeed(7);
    const ours = km.sequential([
      km.layers.conv2d({ filters: 4, kernelSize: 3, inputShape: [6, 5, 2] }),
      km.layers.permute({ dims: there }),
      km.layers.batchNormalization({ axis, momentum: 0.9 }),
      km.layers.permute({ dims: back }),
      km.layers.flatten(),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
    const theirs = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ filters: 4, kernelSize: 3, inputShape: [6, 5, 2] }),
        tfl.layers.batchNormalization({ momentum: 0.9 }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const random = new Random(9);
    const x = Float32Array.from({ length: 12 * 60 }, () => random.uniform(0, 2));
    const y = Int32Array.from({ length: 12 }, (_, i) => i % 3);
    const ourLoss = await expectSameSgdFit(ours, theirs, x, [12, 6, 5, 2], y, { learningRate: 0.1, epochs: 2, batchSize: 4, weightDigits: 5 });
    expect(ourLoss[1]).not.toBeCloseTo(ourLoss[0], 2);
  });

  it('saves its axis in the LayersModel format, which kerasm and tfjs-layers read back', async () => {
    const shape = [3, 4, 2];
    km.utils.setRandomSeed(4);
    const model = km.sequential([
      km.layers.batchNormalization({ axis: 1, inputShape: shape, gammaInitializer: 'glorotUniform', movingMeanInitializer: 'glorotUniform' }),
      km.layers.batchNormalization({ axis: -2, trainable: false, betaInitializer: 'glorotUniform', movingMeanInitializer: 'glorotUniform' }),
    ]);
    const values = uniform(new Random(2), 2 * 24, -2, 2);
    const x = km.tensor(values, [2, ...shape]);
    const expected = Array.from(model.predict(x).dataSync());
    const w = model.getWeights().map((t) => Array.from(t.dataSync()));
    // getWeights order: the first layer's gamma and beta, then the non-trainable weights layer by layer.
    const first = normalize(values, shape, 1, w[0], w[1], { mean: w[2], variance: w[3] });
    const reference = normalize(first, shape, 2, w[4], w[5], { mean: w[6], variance: w[7] });
    expected.forEach((v, i) => expect(v).toBeCloseTo(reference[i], 5));

    const artifacts = await kerasmArtifacts(model);
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    expect(Array.from(reloaded.predict(x).dataSync())).toEqual(expected);
    const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expect(inTfjs.layers.map((l) => l.getConfig().axis)).toEqual([1, -2]);
    inTfjs.getWeights().forEach((t, i) => expect(Array.from(t.dataSync())).toEqual(Array.from(model.getWeights()[i].dataSync())));
  });

  it("loads tf.keras 2's one-element axis list and saves it back as the integer", async () => {
    km.utils.setRandomSeed(3);
    const model = km.sequential([km.layers.batchNormalization({ axis: 1, inputShape: [3, 4], movingMeanInitializer: 'glorotUniform' })]);
    const artifacts = await kerasmArtifacts(model);
    const layer = (artifacts.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers[0];
    expect(layer.config.axis).toBe(1);
    layer.config.axis = [1];
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(loaded.layers[0].getConfig().axis).toBe(1);
    const x = km.tensor(uniform(new Random(2), 24, -2, 2), [2, 3, 4]);
    expect(Array.from(loaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));

    layer.config.axis = [1, 2];
    await expect(km.loadLayersModel(km.io.fromMemory(artifacts))).rejects.toThrow(/axis must be an integer.*Received: axis=\[1,2\]. kerasm normalises over one channel axis; several axes/);
  });

  it('rejects an axis that is not a channel axis of the input, naming the shape and the fix', () => {
    expect(() => km.layers.batchNormalization({ axis: 1.5 })).toThrow(/axis must be an integer, the channel axis counting the batch as 0 .* Received: axis=1.5/);
    expect(() => km.sequential([km.layers.batchNormalization({ axis: 0, inputShape: [3, 4] })])).toThrow(/axis=0 is not a channel axis of inputs of shape \(None, 3, 4\) \(axes 1 to 2, or -1 to -2; axis 0 is the batch\)\. Use -1 for channels-last inputs, 1 for channels-first/);
    expect(() => km.sequential([km.layers.batchNormalization({ axis: 3, inputShape: [3, 4] })])).toThrow(/axis=3 is not a channel axis/);
    expect(() => km.sequential([km.layers.batchNormalization({ axis: -3, inputShape: [3, 4] })])).toThrow(/axis=-3 is not a channel axis/);
  });
});
