import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { conv2d, finiteDifferences, type Image, type WindowSpec } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';
import { normalizeWithMoving, randomStatistics } from '../testing/batch_norm_reference.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const values = (t: km.Tensor) => Array.from(t.dataSync());
const uniform = (random: Random, n: number, lo: number, hi: number) => Array.from({ length: n }, () => random.uniform(lo, hi));

/** Replaces the last four weights (a BatchNormalization's gamma, beta, moving mean and variance) with values far from their defaults. */
function setStatistics(model: km.LayersModel, random: Random): void {
  const weights = model.getWeights();
  const n = weights.length;
  model.setWeights([...weights.slice(0, n - 4), ...randomStatistics(random, weights[n - 1].size)]);
}

function trainableCounts(model: km.LayersModel): string[] {
  const lines: string[] = [];
  model.summary(undefined, undefined, (line) => lines.push(line));
  return lines.filter((l) => /params:/.test(l));
}

describe('a frozen BatchNormalization (trainable: false) follows Keras', () => {
  it('keeps gamma, beta and the moving statistics bit-identical through fit while the other layers train', async () => {
    km.utils.setRandomSeed(11);
    const model = km.sequential([
      km.layers.dense({ units: 4, inputShape: [3], activation: 'relu' }),
      km.layers.batchNormalization({ trainable: false }),
      km.layers.dense({ units: 2 }),
    ]);
    model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.05 }), loss: 'meanSquaredError' });
    // Trainable weights first (both Dense layers), then the frozen layer's four, as Keras and tfjs list them.
    expect(model.getWeights().map((w) => w.shape)).toEqual([[3, 4], [4], [4, 2], [2], [4], [4], [4], [4]]);
    setStatistics(model, new Random(1));
    const random = new Random(2);
    const before = model.getWeights().map(values);
    await model.fit(km.tensor(uniform(random, 24 * 3, -2, 2), [24, 3]), km.tensor(uniform(random, 24 * 2, -1, 1), [24, 2]), { epochs: 3, batchSize: 8, verbose: 0 });
    const after = model.getWeights().map(values);
    after.slice(4).forEach((w, i) => expect(w).toEqual(before[4 + i]));
    after.slice(0, 4).forEach((w, i) => expect(w).not.toEqual(before[i]));
  });

  it('normalizes with the moving statistics in fit: the training loss equals the inference loss and a float64 reference', async () => {
    km.utils.setRandomSeed(12);
    const model = km.sequential([km.layers.batchNormalization({ inputShape: [2, 3], trainable: false }), km.layers.flatten()]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    setStatistics(model, new Random(3));
    const [gamma, beta, mean, variance] = model.getWeights().map(values);
    const random = new Random(4);
    const x = uniform(random, 4 * 6, 1, 5);
    const y = uniform(random, 4 * 6, -1, 1);
    const predicted = values(model.predict(km.tensor(x, [4, 2, 3])));
    const reference = normalizeWithMoving(x, gamma, beta, mean, variance);
    predicted.forEach((v, i) => expect(v).toBeCloseTo(reference[i], 5));

    const history = await model.fit(km.tensor(x, [4, 2, 3]), km.tensor(y, [4, 6]), { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    const expectedLoss = reference.reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / reference.length;
    expect(history.history.loss[0]).toBeCloseTo(expectedLoss, 5);
    const [evaluated] = await model.evaluate(km.tensor(x, [4, 2, 3]), km.tensor(y, [4, 6]), { verbose: 0 });
    expect(history.history.loss[0]).toBeCloseTo(evaluated, 5);
    // The same layer, not frozen, sees batch statistics in fit and so a different loss.
    const unfrozen = km.sequential([km.layers.batchNormalization({ inputShape: [2, 3] }), km.layers.flatten()]);
    unfrozen.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    unfrozen.setWeights(model.getWeights());
    const batchLoss = (await unfrozen.fit(km.tensor(x, [4, 2, 3]), km.tensor(y, [4, 6]), { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 })).history.loss[0];
    expect(Math.abs(batchLoss - expectedLoss)).toBeGreaterThan(0.05);
  });

  it('passes back dy·gamma/√(movingVariance + ε): gradients against float64 finite differences', async () => {
    const spec: WindowSpec = { kernel: [2, 2], strides: [1, 1], dilation: [1, 1], padding: 'valid' };
    const input = [4, 3, 2];
    const batch = 3;
    km.utils.setRandomSeed(13);
    const model = km.sequential([
      km.layers.conv2d({ filters: 3, kernelSize: 2, inputShape: input, biasInitializer: 'glorotUniform' }),
      km.layers.batchNormalization({ trainable: false }),
      km.layers.activation({ activation: 'tanh' }),
      km.layers.flatten(),
      km.layers.dense({ units: 2 }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    setStatistics(model, new Random(5));
    const random = new Random(6);
    const inSize = input.reduce((a, b) => a * b, 1);
    const xs = Array.from({ length: batch }, () => uniform(random, inSize, -1, 1));
    const ys = Array.from({ length: batch }, () => uniform(random, 2, -1, 1));
    // getWeights order: conv kernel, conv bias, dense kernel, dense bias, then gamma, beta, moving mean and variance.
    const weights = model.getWeights().map(values);
    const loss = (): number => {
      const outs = xs.map((x) => {
        const h = conv2d({ h: input[0], w: input[1], c: input[2], data: x } as Image, weights[0], weights[1], spec).data;
        const normalized = normalizeWithMoving(h, weights[4], weights[5], weights[6], weights[7]);
        return weights[3].map((b, j) => normalized.reduce((s, v, i) => s + Math.tanh(v) * weights[2][i * 2 + j], b));
      });
      return outs.reduce((s, o, i) => s + o.reduce((t, v, j) => t + (v - ys[i][j]) ** 2, 0) / 2, 0) / batch;
    };
    const expected = finiteDifferences(weights, loss);
    const actual = await kerasmGradients(model, 'meanSquaredError', km.tensor(xs.flat(), [batch, ...input]), km.tensor(ys.flat(), [batch, 2]));
    expectGradientsClose(actual.slice(0, 4), expected.slice(0, 4), ['conv kernel', 'conv bias', 'dense kernel', 'dense bias']);
    // The frozen layer's own weights take no step at all.
    actual.slice(4).forEach((step) => expect(Array.from(step)).toEqual(new Array(step.length).fill(0)));
  });

  it('takes effect on the next fit when layer.trainable is set after compile and training, and can be undone', async () => {
    km.utils.setRandomSeed(14);
    const bn = km.layers.batchNormalization();
    const head = km.layers.dense({ units: 1 });
    const model = km.sequential([km.layers.dense({ units: 3, inputShape: [2] }), bn, head]);
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const random = new Random(7);
    const x = km.tensor(uniform(random, 16 * 2, -3, 3), [16, 2]);
    const y = km.tensor(uniform(random, 16, -1, 1), [16, 1]);
    const fit = () => model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    await fit();
    // gamma and beta are trainable: they sit before the dense head's weights.
    expect(model.getWeights().map((w) => w.shape)).toEqual([[2, 3], [3], [3], [3], [3, 1], [1], [3], [3]]);
    expect(trainableCounts(model)).toEqual(['Total params: 25', 'Trainable params: 19', 'Non-trainable params: 6']);

    bn.trainable = false;
    expect(trainableCounts(model)).toEqual(['Total params: 25', 'Trainable params: 13', 'Non-trainable params: 12']);
    // Now the frozen layer's four weights come last, as in Keras and tfjs.
    expect(model.getWeights().map((w) => w.shape)).toEqual([[2, 3], [3], [3, 1], [1], [3], [3], [3], [3]]);
    const frozenBefore = model.getWeights().map(values);
    await fit();
    const frozenAfter = model.getWeights().map(values);
    frozenAfter.slice(4).forEach((w, i) => expect(w).toEqual(frozenBefore[4 + i]));
    frozenAfter.slice(0, 4).forEach((w, i) => expect(w).not.toEqual(frozenBefore[i]));

    bn.trainable = true;
    const thawedBefore = model.getWeights().map(values);
    await fit();
    const thawedAfter = model.getWeights().map(values);
    thawedAfter.forEach((w, i) => expect(w).not.toEqual(thawedBefore[i]));
  });

  it('freezes any layer set to trainable: false after compile (its weights stay, the gradient still flows through it)', async () => {
    km.utils.setRandomSeed(15);
    const first = km.layers.dense({ units: 3, inputShape: [2] });
    const middle = km.layers.dense({ units: 3, activation: 'tanh' });
    const model = km.sequential([first, middle, km.layers.dense({ units: 1 })]);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }), loss: 'meanSquaredError' });
    expect(model.getWeights()).toHaveLength(6);
    middle.trainable = false;
    const before = model.getWeights().map(values);
    const random = new Random(8);
    await model.fit(km.tensor(uniform(random, 8 * 2, -1, 1), [8, 2]), km.tensor(uniform(random, 8, -1, 1), [8, 1]), { epochs: 2, batchSize: 4, verbose: 0 });
    const after = model.getWeights().map(values);
    // first (kernel, bias), last (kernel, bias), then the frozen middle layer's kernel and bias.
    after.slice(0, 4).forEach((w, i) => expect(w).not.toEqual(before[i]));
    after.slice(4).forEach((w, i) => expect(w).toEqual(before[4 + i]));
  });

  it('rejects a trainable flag that is not a boolean, naming the value', () => {
    const layer = km.layers.batchNormalization({ name: 'bn_flag' });
    expect(() => {
      (layer as { trainable: unknown }).trainable = 'no';
    }).toThrow(/Layer 'bn_flag': trainable must be true or false. Received: trainable="no"/);
  });

  it('differs from tfjs-layers 4.22 on purpose: tfjs still moves the moving statistics of a frozen layer in fit', async () => {
    km.utils.setRandomSeed(16);
    const build = (api: typeof km | typeof tfl) => [
      api.layers.dense({ units: 3, inputShape: [2] }),
      api.layers.batchNormalization({ trainable: false, momentum: 0.5 }),
      api.layers.dense({ units: 1 }),
    ];
    const ours = km.sequential(build(km) as km.layers.Layer[]);
    const theirs = tfl.sequential({ layers: build(tfl) as tfl.layers.Layer[] });
    // Both list a frozen layer's weights after every trainable one, so the lists transfer as they are.
    expect(theirs.getWeights().map((w) => w.shape)).toEqual(ours.getWeights().map((w) => [...w.shape]));
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const random = new Random(9);
    const x = uniform(random, 8 * 2, -3, 3);
    const y = uniform(random, 8, -1, 1);
    const ourPrediction = values(ours.predict(km.tensor(x, [8, 2])));
    const theirPrediction = (theirs.predict(tf.tensor(x, [8, 2])) as tf.Tensor).dataSync();
    ourPrediction.forEach((v, i) => expect(v).toBeCloseTo(theirPrediction[i], 5));

    ours.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    theirs.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const statistics = (w: ArrayLike<number>[]) => [Array.from(w[6]), Array.from(w[7])];
    const initial = statistics(ours.getWeights().map((w) => w.dataSync()));
    await ours.fit(km.tensor(x, [8, 2]), km.tensor(y, [8, 1]), { epochs: 1, batchSize: 8, verbose: 0 });
    await theirs.fit(tf.tensor(x, [8, 2]), tf.tensor(y, [8, 1]), { epochs: 1, batchSize: 8, verbose: 0 });
    expect(statistics(ours.getWeights().map((w) => w.dataSync()))).toEqual(initial);
    const theirStatistics = statistics(theirs.getWeights().map((w) => w.dataSync()));
    expect(theirStatistics[0].some((v, i) => Math.abs(v - initial[0][i]) > 1e-3)).toBe(true);
  });
});
