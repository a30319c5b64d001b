import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { savedArtifacts } from '../testing/saved_artifacts.js';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';

// compile's weightedMetrics (Keras' weighted_metrics): each sample counts with its weight. Integer
// weights must give what the unweighted metrics give on the data with each sample repeated that
// many times, which checks every metric against an independent computation; accuracy and a
// masked per-step tagger are also checked against float64 loops.
const random = new Random(71);
const N = 21;
const x = km.tensor(Array.from({ length: N }, () => Array.from({ length: 5 }, () => random.uniform(-1, 1))));
const labels = Array.from({ length: N }, (_, i) => (i * 5) % 3);
const repeats = Array.from({ length: N }, (_, i) => [2, 0, 1, 3][i % 4]);

/** The rows of `t`, row i repeated `repeats[i]` times. */
function repeated(t: km.Tensor): km.Tensor {
  const rows = t.arraySync() as unknown[];
  return km.tensor(rows.flatMap((row, i) => new Array(repeats[i]).fill(row)) as number[][], undefined, t.dtype);
}

interface Case {
  title: string;
  units: number;
  activation: 'softmax' | 'sigmoid' | 'linear';
  loss: string;
  y: km.Tensor;
  metrics: () => (string | km.metrics.Metric)[];
}

const labelTargets = km.tensor(labels, undefined, 'int32');
const multiLabel = km.tensor(Array.from({ length: N }, (_, i) => [i % 2, (i * 3) % 5 > 1 ? 1 : 0, i % 3 === 0 ? 1 : 0]));
const realTargets = km.tensor(Array.from({ length: N }, () => [random.uniform(-1, 1), random.uniform(0, 2)]));

const cases: Case[] = [
  {
    title: 'class labels: accuracy, top-k, cross-entropy, F1 and IoU', units: 3, activation: 'softmax', loss: 'sparseCategoricalCrossentropy', y: labelTargets,
    metrics: () => ['accuracy', km.metrics.topKCategoricalAccuracy({ k: 2 }), 'sparse_categorical_crossentropy', 'f1_score', km.metrics.meanIoU({ numClasses: 3, sparseYPred: false })],
  },
  {
    title: 'multi-label outputs: binary accuracy, precision, recall and AUC', units: 3, activation: 'sigmoid', loss: 'binaryCrossentropy', y: multiLabel,
    metrics: () => ['binary_accuracy', 'precision', 'recall', 'auc', km.metrics.auc({ curve: 'PR', name: 'pr_auc' })],
  },
  {
    title: 'a regression: errors, R² and correlations', units: 2, activation: 'linear', loss: 'mse', y: realTargets,
    metrics: () => ['mse', 'mae', 'rmse', 'r2_score', 'pearson_correlation', 'concordance_correlation'],
  },
];

function modelFor(c: Case, weighted: boolean): km.LayersModel {
  km.utils.setRandomSeed(23);
  const model = km.sequential([km.layers.dense({ units: 4, activation: 'tanh', inputShape: [5] }), km.layers.dense({ units: c.units, activation: c.activation })]);
  model.compile({ optimizer: 'sgd', loss: c.loss, ...(weighted ? { weightedMetrics: c.metrics() } : { metrics: c.metrics() }) });
  return model;
}

beforeAll(() => km.ready());

describe('compile weightedMetrics', () => {
  it.each(cases)('$title: integer sample weights equal repeating each sample that many times', async (c) => {
    const weighted = await modelFor(c, true).evaluate(x, c.y, { sampleWeight: repeats, batchSize: 4, verbose: 0 });
    const onRepeats = await modelFor(c, false).evaluate(repeated(x), repeated(c.y), { batchSize: 6, verbose: 0 });
    // The loss is Keras' "sum over batch size" (Σ w·L / samples), not a weighted mean, so only the metrics compare.
    expect(weighted.length).toBe(onRepeats.length);
    weighted.slice(1).forEach((v, i) => expect(v).toBeCloseTo(onRepeats[i + 1], 5));
    // Without weights they equal their unweighted forms.
    const plain = await modelFor(c, false).evaluate(x, c.y, { batchSize: 4, verbose: 0 });
    const unweighted = await modelFor(c, true).evaluate(x, c.y, { batchSize: 4, verbose: 0 });
    expect(unweighted).toEqual(plain);
    expect(plain.slice(1)).not.toEqual(weighted.slice(1));
  });

  it('weighted accuracy is Σ w·hit / Σ w over uneven batches, with fractional weights (float64 loop)', async () => {
    const model = modelFor(cases[0], true);
    const weights = Array.from({ length: N }, (_, i) => 0.1 + ((i * 7) % 5) * 0.35);
    const [, accuracy] = await model.evaluate(x, labelTargets, { sampleWeight: weights, batchSize: 8, verbose: 0 });
    const p = model.predict(x).arraySync() as number[][];
    let hits = 0;
    let total = 0;
    p.forEach((row, i) => {
      total += weights[i];
      if (row.indexOf(Math.max(...row)) === labels[i]) hits += weights[i];
    });
    expect(accuracy).toBeCloseTo(hits / total, 6);
  });

  it('logs a weighted metric that shares a name as weighted_<name>, in fit, validation and evaluate, and classWeight weighs it', async () => {
    km.utils.setRandomSeed(5);
    const model = km.sequential([km.layers.dense({ units: 3, activation: 'softmax', inputShape: [5] })]);
    // A learning rate far below float32 resolution keeps the weights, so evaluate can recompute the metrics fit logs.
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 1e-30 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy', 'accuracy'], weightedMetrics: ['accuracy', 'sparse_categorical_crossentropy'] });
    expect(model.metricsNames).toEqual(['loss', 'accuracy', 'accuracy_1', 'weighted_accuracy', 'sparse_categorical_crossentropy']);
    const classWeight = { 0: 1, 1: 4, 2: 0.5 };
    const asSampleWeights = labels.map((l) => classWeight[l as 0 | 1 | 2]);
    const history = await model.fit(x, labelTargets, { epochs: 1, batchSize: 5, classWeight, validationData: [x, labelTargets, asSampleWeights], verbose: 0 });
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'accuracy_1', 'loss', 'sparse_categorical_crossentropy', 'val_accuracy', 'val_accuracy_1', 'val_loss', 'val_sparse_categorical_crossentropy', 'val_weighted_accuracy', 'weighted_accuracy']);
    const [, accuracy, , weightedAccuracy] = await model.evaluate(x, labelTargets, { sampleWeight: asSampleWeights, verbose: 0 });
    expect(history.history.accuracy[0]).toBeCloseTo(accuracy, 6);
    expect(history.history.weighted_accuracy[0]).toBeCloseTo(weightedAccuracy, 6);
    expect(history.history.val_weighted_accuracy[0]).toBeCloseTo(weightedAccuracy, 6);
    expect(weightedAccuracy).not.toBeCloseTo(accuracy, 3);
  });

  it('a masked per-step tagger counts each unmasked step with its sample weight (float64 loop)', async () => {
    km.utils.setRandomSeed(3);
    const [n, steps] = [6, 5];
    const tokens = Array.from({ length: n }, (_, i) => Array.from({ length: steps }, (_, t) => (t < steps - (i % 3) ? 1 + ((i + t) % 6) : 0)));
    const tags = tokens.map((row) => row.map((v) => v % 3));
    const model = km.sequential([
      km.layers.embedding({ inputDim: 7, outputDim: 4, inputShape: [steps], maskZero: true }),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', weightedMetrics: ['accuracy'] });
    const weights = [1, 3, 0.5, 2, 0, 1.5];
    const xTokens = km.tensor(tokens, undefined, 'int32');
    const [, accuracy] = await model.evaluate(xTokens, km.tensor(tags, undefined, 'int32'), { sampleWeight: weights, batchSize: 4, verbose: 0 });
    const p = model.predict(xTokens).arraySync() as number[][][];
    let hits = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < steps; t++) {
        if (tokens[i][t] === 0) continue;
        total += weights[i];
        if (p[i][t].indexOf(Math.max(...p[i][t])) === tags[i][t]) hits += weights[i];
      }
    }
    expect(accuracy).toBeCloseTo(hits / total, 6);
  });

  it('saves as Keras weighted_metrics and loads back, which tfjs-layers 4.22 refuses', async () => {
    const model = modelFor(cases[2], true);
    const artifacts = await savedArtifacts(model);
    const { trainingConfig } = artifacts;
    expect(trainingConfig?.weighted_metrics).toEqual(['mse', 'mae', 'rmse', 'r2_score', 'pearson_correlation', 'concordance_correlation']);
    expect(trainingConfig?.metrics).toEqual([]);
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(loaded.metricsNames).toEqual(model.metricsNames);
    const sampleWeight = repeats;
    expect(await loaded.evaluate(x, realTargets, { sampleWeight, verbose: 0 })).toEqual(await model.evaluate(x, realTargets, { sampleWeight, verbose: 0 }));
    await expect(tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts))).rejects.toThrow(/weight_metrics is not supported/);
  });

  it('takes one weighted metric alone as a list of one, and refuses an unknown name and a metric object in both lists, naming the fix', () => {
    const model = km.sequential([km.layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })]);
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: 'accuracy', weightedMetrics: 'accuracy' });
    expect(model.metricsNames).toEqual(['loss', 'accuracy', 'weighted_accuracy']);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', weightedMetrics: ['acuracy'] })).toThrow(/Unknown metric 'acuracy'. Valid metrics: 'accuracy'/);
    const shared = km.metrics.auc();
    expect(() => model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: [shared], weightedMetrics: [shared] })).toThrow(/both hold the metric object 'auc'. Give each list its own object/);
  });
});
