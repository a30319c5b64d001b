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

const N = 13;
const FEATURES = 5;
const UNITS = 4;
const random = new Random(21);
const features = Array.from({ length: N }, () => Array.from({ length: FEATURES }, () => random.uniform(-1, 1)));
const oneHotRows = Array.from({ length: N }, (_, i) => Array.from({ length: UNITS }, (_, j) => (j === (i * 7) % UNITS ? 1 : 0)));
const labels = oneHotRows.map((row) => row.indexOf(1));
const binaryRows = Array.from({ length: N }, () => Array.from({ length: UNITS }, () => (random.next() < 0.5 ? 0 : 1)));
const signRows = binaryRows.map((row) => row.map((t) => 2 * t - 1));
const positiveRows = Array.from({ length: N }, () => Array.from({ length: UNITS }, () => random.uniform(0.2, 3)));
const realRows = Array.from({ length: N }, () => Array.from({ length: UNITS }, () => random.uniform(-2, 2)));
const distributionRows = positiveRows.map((row) => row.map((v) => v / row.reduce((a, b) => a + b, 0)));

type Activation = 'linear' | 'sigmoid' | 'softmax' | 'softplus' | 'tanh';

/** A Dense layer with the same weights in kerasm and tfjs-layers. */
function twinModels(activation: Activation): [km.LayersModel, tfl.LayersModel] {
  km.utils.setRandomSeed(5);
  const ours = km.sequential([km.layers.dense({ units: UNITS, activation, inputShape: [FEATURES] })]);
  const theirs = tfl.sequential({ layers: [tfl.layers.dense({ units: UNITS, activation, inputShape: [FEATURES] })] });
  theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
  return [ours, theirs];
}

interface ParityCase {
  metric: string;
  /** The tfjs-layers 4.22 loss (or metric) with the same per-sample formula, evaluated with the same weights. */
  tfjs: string;
  activation: Activation;
  targets: number[][] | number[];
  /** The loss kerasm trains with: any loss whose targets have the same form. */
  loss: string;
  sign?: 1 | -1;
}

const parityCases: ParityCase[] = [
  { metric: 'binary_crossentropy', tfjs: 'binaryCrossentropy', activation: 'sigmoid', targets: binaryRows, loss: 'mse' },
  { metric: 'categorical_crossentropy', tfjs: 'categoricalCrossentropy', activation: 'softmax', targets: oneHotRows, loss: 'categoricalCrossentropy' },
  { metric: 'sparseCategoricalCrossentropy', tfjs: 'sparseCategoricalCrossentropy', activation: 'softmax', targets: labels, loss: 'sparseCategoricalCrossentropy' },
  { metric: 'mape', tfjs: 'meanAbsolutePercentageError', activation: 'linear', targets: positiveRows, loss: 'mse' },
  { metric: 'msle', tfjs: 'meanSquaredLogarithmicError', activation: 'softplus', targets: positiveRows, loss: 'mse' },
  { metric: 'kld', tfjs: 'kullbackLeiblerDivergence', activation: 'softmax', targets: distributionRows, loss: 'categoricalCrossentropy' },
  { metric: 'poisson', tfjs: 'poisson', activation: 'softplus', targets: positiveRows, loss: 'poisson' },
  { metric: 'logcosh', tfjs: 'logcosh', activation: 'linear', targets: realRows, loss: 'mae' },
  { metric: 'hinge', tfjs: 'hinge', activation: 'tanh', targets: signRows, loss: 'mse' },
  { metric: 'squared_hinge', tfjs: 'squaredHinge', activation: 'tanh', targets: signRows, loss: 'mse' },
  { metric: 'categorical_hinge', tfjs: 'categoricalHinge', activation: 'linear', targets: oneHotRows, loss: 'mse' },
  { metric: 'cosine', tfjs: 'cosineProximity', activation: 'linear', targets: realRows, loss: 'mse' },
  // Keras 3's metric is +cos, where tfjs' cosineProximity (and the loss) is −cos.
  { metric: 'cosine_similarity', tfjs: 'cosineProximity', activation: 'linear', targets: realRows, loss: 'mse', sign: -1 },
];

describe('losses as metrics against tfjs-layers 4.22 (same weights, tfjs cpu)', () => {
  it.each(parityCases)('$metric equals tfjs\' $tfjs over the data, batched 5 at a time', async ({ metric, tfjs, activation, targets, loss, sign }) => {
    const [ours, theirs] = twinModels(activation);
    const sparse = !Array.isArray(targets[0]);
    ours.compile({ optimizer: 'sgd', loss, metrics: [metric] });
    theirs.compile({ optimizer: 'sgd', loss: tfjs });
    const y = sparse ? km.tensor(targets as number[], undefined, 'int32') : km.tensor(targets as number[][]);
    const [, value] = await ours.evaluate(km.tensor(features), y, { batchSize: 5, verbose: 0 });
    const reference = (theirs.evaluate(tf.tensor(features), tf.tensor(targets as number[][]), { batchSize: N }) as tf.Scalar).dataSync()[0] * (sign ?? 1);
    expect(Math.abs(value - reference)).toBeLessThan(1e-5 * Math.max(1, Math.abs(reference)));
  });

  it("tfjs' named metrics give the same values in tfjs' compile: categoricalCrossentropy, mape and cosine", async () => {
    const [ours, theirs] = twinModels('softmax');
    ours.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['categoricalCrossentropy', 'MAPE', 'cosine', 'binaryCrossentropy'] });
    theirs.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['categoricalCrossentropy', 'MAPE', 'cosine', tfl.metrics.binaryCrossentropy] });
    const y = oneHotRows.map((row) => row.map((t) => 0.1 + 0.8 * t));
    const ourValues = await ours.evaluate(km.tensor(features), km.tensor(y), { batchSize: 4, verbose: 0 });
    const theirValues = (theirs.evaluate(tf.tensor(features), tf.tensor(y), { batchSize: 4 }) as tf.Scalar[]).map((s) => s.dataSync()[0]);
    ourValues.forEach((v, i) => expect(Math.abs(v - theirValues[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(theirValues[i]))));
  });
});

describe('losses as metrics', () => {
  it('huber (which tfjs lacks as a metric) matches a float64 loop, and km.metrics factories name their logs as Keras does', async () => {
    const [ours] = twinModels('linear');
    ours.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['huber', km.metrics.kullbackLeiblerDivergence(), km.metrics.cosineSimilarity({ name: 'cos' }), km.metrics.logCosh()] });
    const p = ours.predict(km.tensor(features)).arraySync() as number[][];
    let huber = 0;
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < UNITS; j++) {
        const d = Math.abs(p[i][j] - realRows[i][j]);
        huber += (d <= 1 ? 0.5 * d * d : d - 0.5) / (N * UNITS);
      }
    }
    const history = await ours.fit(km.tensor(features), km.tensor(realRows), { epochs: 1, batchSize: 4, verbose: 0 });
    expect(Object.keys(history.history)).toEqual(['loss', 'huber', 'kl_divergence', 'cos', 'logcosh']);
    ours.setWeights(twinModels('linear')[0].getWeights());
    const [, value] = await ours.evaluate(km.tensor(features), km.tensor(realRows), { batchSize: 6, verbose: 0 });
    expect(value).toBeCloseTo(huber, 6);
  });

  it('change nothing in training: the same losses and weights, bit for bit, with or without them', async () => {
    const run = async (metrics: string[]) => {
      const [model] = twinModels('softmax');
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.3 }), loss: 'categoricalCrossentropy', metrics });
      const history = await model.fit(km.tensor(features), km.tensor(oneHotRows), { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
      return { loss: history.history.loss, weights: model.getWeights().map((w) => Array.from(w.dataSync())), history: history.history };
    };
    const plain = await run([]);
    const measured = await run(['categorical_crossentropy', 'kld', 'categorical_hinge', 'cosine_similarity']);
    expect(measured.loss).toEqual(plain.loss);
    expect(measured.weights).toEqual(plain.weights);
    // The epoch's metric is the mean over its batches of the loss at the weights each batch saw, as the loss is.
    measured.history.categorical_crossentropy.forEach((v, i) => expect(v).toBeCloseTo(plain.loss[i], 5));
  });

  it('need targets of the kind their loss takes, and say which metric or loss to use', async () => {
    const [labelModel] = twinModels('softmax');
    labelModel.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['categorical_crossentropy'] });
    await expect(labelModel.evaluate(km.tensor(features), km.tensor(labels, undefined, 'int32'), { verbose: 0 })).rejects.toThrow(
      /Metric 'categorical_crossentropy' compares outputs with targets shaped like the output, but the compiled loss takes integer labels. Use 'sparse_categorical_crossentropy' as the metric/,
    );
    labelModel.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['kld'] });
    await expect(labelModel.evaluate(km.tensor(features), km.tensor(labels, undefined, 'int32'), { verbose: 0 })).rejects.toThrow(/km.utils.toCategorical\(y, 4\)/);
    const [rowModel] = twinModels('softmax');
    rowModel.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['sparse_categorical_crossentropy'] });
    await expect(rowModel.evaluate(km.tensor(features), km.tensor(oneHotRows), { verbose: 0 })).rejects.toThrow(
      /Metric 'sparse_categorical_crossentropy' takes one integer label per sample, but the compiled loss takes targets shaped like the output \(one-hot rows\). Use 'categorical_crossentropy'/,
    );
    expect(() => km.metrics.poisson({ nme: 'p' } as never)).toThrow(/km.metrics.poisson has no option 'nme'; did you mean 'name'\?/);
  });
});
