import { afterAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';

// Losses as metrics, R², F-scores, IoUs, threshold-curve metrics, correlations and weighted metrics on every backend
// that runs here (Node, or Chromium in browser mode): each backend's values follow the wasm
// backend's, which metrics/ checks against tfjs-layers 4.22 and float64 loops.
const random = new Random(303);
const N = 30;
const features = km.tensor(Array.from({ length: N }, () => Array.from({ length: 6 }, () => random.uniform(-1, 1))));
const labels = Array.from({ length: N }, (_, i) => (i * 7) % 3);
const labelTargets = km.tensor(labels, undefined, 'int32');
const softTargets = km.tensor(labels.map((l) => [0, 1, 2].map((j) => (j === l ? 0.8 : 0.1))));
const oneHotTargets = km.utils.toCategorical(labelTargets, 3);
const realTargets = km.tensor(Array.from({ length: N }, () => [random.uniform(-1, 1), random.uniform(0, 3)]));

const LOSS_METRICS = ['categorical_crossentropy', 'binary_crossentropy', 'kld', 'categorical_hinge', 'cosine_similarity', 'mape', 'msle', 'poisson', 'logcosh', 'hinge', 'squared_hinge', 'huber'];

interface Case {
  title: string;
  units: number;
  activation: 'softmax' | 'linear';
  loss: string;
  y: km.Tensor;
  metrics: () => (string | km.metrics.Metric)[];
  /** Also compiles the metrics as weightedMetrics, and fits and evaluates with these sample weights. */
  sampleWeight?: number[];
}

const cases: Case[] = [
  { title: 'every loss-metric on a softmax output', units: 3, activation: 'softmax', loss: 'categoricalCrossentropy', y: softTargets, metrics: () => LOSS_METRICS },
  {
    title: 'F-scores and the sparse cross-entropy on integer labels', units: 3, activation: 'softmax', loss: 'sparseCategoricalCrossentropy', y: labelTargets,
    metrics: () => ['sparse_categorical_crossentropy', 'f1_score', km.metrics.f1Score({ average: 'micro', name: 'f1_micro' })],
  },
  { title: 'F-beta on one-hot rows at a threshold', units: 3, activation: 'softmax', loss: 'categoricalCrossentropy', y: oneHotTargets, metrics: () => [km.metrics.fBetaScore({ beta: 2, threshold: 0.3, average: 'weighted' })] },
  {
    title: 'IoUs of integer labels', units: 3, activation: 'softmax', loss: 'sparseCategoricalCrossentropy', y: labelTargets,
    metrics: () => [km.metrics.meanIoU({ numClasses: 3, sparseYPred: false }), km.metrics.iou({ numClasses: 3, targetClassIds: [0, 2], sparseYPred: false, ignoreClass: 1 })],
  },
  {
    title: 'one-hot and binary IoUs and the threshold-curve metrics', units: 3, activation: 'softmax', loss: 'binaryCrossentropy', y: oneHotTargets,
    metrics: () => [
      km.metrics.oneHotMeanIoU({ numClasses: 3 }), km.metrics.oneHotIoU({ numClasses: 3, targetClassIds: [1] }), km.metrics.binaryIoU({ threshold: 0.35 }),
      km.metrics.precisionAtRecall({ recall: 0.5 }), km.metrics.recallAtPrecision({ precision: 0.4 }),
      km.metrics.sensitivityAtSpecificity({ specificity: 0.6, classId: 1 }), km.metrics.specificityAtSensitivity({ sensitivity: 0.6 }),
    ],
  },
  { title: 'correlations of a regression', units: 2, activation: 'linear', loss: 'mse', y: realTargets, metrics: () => ['pearson_correlation', 'concordance_correlation'] },
  { title: 'R² of a regression', units: 2, activation: 'linear', loss: 'mse', y: realTargets, metrics: () => ['r2_score', km.metrics.r2Score({ classAggregation: 'variance_weighted_average', name: 'r2_vw' })] },
  {
    title: 'weighted metrics with sample weights', units: 3, activation: 'softmax', loss: 'sparseCategoricalCrossentropy', y: labelTargets,
    metrics: () => ['accuracy', 'sparse_categorical_crossentropy', 'f1_score', km.metrics.meanIoU({ numClasses: 3, sparseYPred: false })],
    sampleWeight: Array.from({ length: N }, (_, i) => [0.5, 2, 0, 1.25][i % 4]),
  },
];

async function run(backendName: string, c: Case): Promise<{ history: Record<string, number[]>; evaluated: number[] }> {
  await useBackend(backendName);
  km.utils.setRandomSeed(17);
  const model = km.sequential([km.layers.dense({ units: 4, activation: 'tanh', inputShape: [6] }), km.layers.dense({ units: c.units, activation: c.activation })]);
  model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.2 }), loss: c.loss, metrics: c.metrics(), weightedMetrics: c.sampleWeight ? c.metrics() : undefined });
  const { sampleWeight } = c;
  const history = await model.fit(features, c.y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0, sampleWeight });
  const evaluated = await model.evaluate(features, c.y, { batchSize: 7, verbose: 0, sampleWeight });
  return { history: history.history, evaluated };
}

describe('the new metrics on every backend', () => {
  afterAll(() => useBackend('wasm'));
  for (const name of BACKENDS_HERE.filter((b) => b !== 'wasm')) {
    it.each(cases)(`${name}: $title follow the wasm backend`, async (c) => {
      const reference = await run('wasm', c);
      const ours = await run(name, c);
      expect(Object.keys(ours.history)).toEqual(Object.keys(reference.history));
      for (const key of Object.keys(reference.history)) ours.history[key].forEach((v, i) => expect(Math.abs(v - reference.history[key][i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(v))));
      ours.evaluated.forEach((v, i) => expect(Math.abs(v - reference.evaluated[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(v))));
    });
  }
});
