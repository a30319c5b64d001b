import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// Outputs with a class (or value) axis at several positions per sample: a segmentation map
// [height, width, classes], or a Dense layer applied to every step of [steps, features]. Keras and
// tfjs reduce the loss over the last axis at each position and average over the positions; the
// same weights and batches must give tfjs-layers 4.22's losses and metrics.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const N = 6;
const wave = (n: number, f: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * f + 0.3));

interface Case {
  name: string;
  inputShape: number[];
  layers: (lib: typeof km.layers | typeof tfl.layers) => unknown[];
  loss: string;
  metric: string;
  /** tfjs wants sparse labels with a trailing axis of 1; kerasm takes them with or without. */
  targets: () => { values: Float32Array; shape: number[]; tfShape?: number[] };
}

const labelsFor = (count: number, classes: number) => Float32Array.from({ length: count }, (_, i) => (i * 7 + (i >> 2)) % classes);
const oneHot = (labels: Float32Array, classes: number) => {
  const rows = new Float32Array(labels.length * classes);
  labels.forEach((c, i) => (rows[i * classes + c] = 1));
  return rows;
};

const cases: Case[] = [
  {
    name: 'segmentation map, one-hot targets', inputShape: [4, 5, 2], loss: 'categoricalCrossentropy', metric: 'accuracy',
    layers: (l) => [l.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'softmax', inputShape: [4, 5, 2] })],
    targets: () => ({ values: oneHot(labelsFor(N * 20, 3), 3), shape: [N, 4, 5, 3] }),
  },
  {
    name: 'segmentation map, a label per pixel', inputShape: [4, 5, 2], loss: 'sparseCategoricalCrossentropy', metric: 'accuracy',
    layers: (l) => [l.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [4, 5, 2] }), l.dense({ units: 3, activation: 'softmax' })],
    targets: () => ({ values: labelsFor(N * 20, 3), shape: [N, 4, 5], tfShape: [N, 4, 5, 1] }),
  },
  {
    name: 'Dense on every step, a label per step', inputShape: [7, 3], loss: 'sparseCategoricalCrossentropy', metric: 'accuracy',
    layers: (l) => [l.dense({ units: 5, activation: 'tanh', inputShape: [7, 3] }), l.dense({ units: 4, activation: 'softmax' })],
    targets: () => ({ values: labelsFor(N * 7, 4), shape: [N, 7, 1], tfShape: [N, 7, 1] }),
  },
  {
    name: 'Dense on every step, regression', inputShape: [7, 3], loss: 'meanSquaredError', metric: 'mae',
    layers: (l) => [l.dense({ units: 2, inputShape: [7, 3] })],
    targets: () => ({ values: wave(N * 14, 0.7), shape: [N, 7, 2] }),
  },
  {
    name: 'categorical hinge at every step', inputShape: [7, 3], loss: 'categoricalHinge', metric: 'categoricalAccuracy',
    layers: (l) => [l.dense({ units: 4, activation: 'softmax', inputShape: [7, 3] })],
    targets: () => ({ values: oneHot(labelsFor(N * 7, 4), 4), shape: [N, 7, 4] }),
  },
];

describe('losses and metrics over outputs with several positions per sample match tfjs-layers 4.22', () => {
  it.each(cases)('$name', async ({ inputShape, layers, loss, metric, targets }) => {
    const x = wave(N * inputShape.reduce((a, b) => a * b, 1), 1.3);
    const y = targets();
    const ours = km.sequential(layers(km.layers) as km.layers.Layer[]);
    const theirs = tfl.sequential({ layers: layers(tfl.layers) as tfl.layers.Layer[] });
    ours.layers.forEach((layer, i) => theirs.layers[i].setWeights(layer.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape]))));
    ours.compile({ optimizer: km.optimizers.sgd(0.5), loss, metrics: [metric] });
    theirs.compile({ optimizer: tf.train.sgd(0.5), loss, metrics: [metric] });
    const xs = { ours: km.tensor(x, [N, ...inputShape]), theirs: tf.tensor(x, [N, ...inputShape]) };
    const ys = { ours: km.tensor(y.values, y.shape), theirs: tf.tensor(y.values, y.tfShape ?? y.shape) };

    const [loss0, metric0] = await ours.evaluate(xs.ours, ys.ours, { verbose: 0 });
    const [tfLoss0, tfMetric0] = (theirs.evaluate(xs.theirs, ys.theirs) as tf.Scalar[]).map((t) => t.dataSync()[0]);
    expect(loss0).toBeCloseTo(tfLoss0, 5);
    expect(metric0).toBeCloseTo(tfMetric0, 5);

    const fitArgs = { epochs: 4, batchSize: 3, shuffle: false, verbose: 0 as const };
    const history = await ours.fit(xs.ours, ys.ours, fitArgs);
    const tfHistory = await theirs.fit(xs.theirs, ys.theirs, fitArgs);
    const tfLosses = tfHistory.history.loss as number[];
    expect(tfLosses[3]).not.toBeCloseTo(tfLosses[0], 3); // training moved
    history.history.loss.forEach((l, e) => expect(l).toBeCloseTo(tfLosses[e], 4));
  });

  it('classWeight, one class per sample, is refused for per-position outputs as Keras refuses it', async () => {
    const model = km.sequential(cases[2].layers(km.layers) as km.layers.Layer[]);
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const y = cases[2].targets();
    await expect(model.fit(km.tensor(wave(N * 21, 1.3), [N, 7, 3]), km.tensor(y.values, y.shape), { classWeight: { 0: 2 }, verbose: 0 })).rejects.toThrow(
      /^classWeight weighs each sample by its one class, but this model's output \(None, 7, 4\) has a class at each of 7 positions per sample/,
    );
  });
});
