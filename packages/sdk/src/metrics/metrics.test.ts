import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { MeanMetric, type MetricBatch } from './metric.js';
import { metricValues } from '../testing/identity_model.js';

beforeAll(() => km.ready());

const column = (v: number[]) => v.map((x) => [x]);

/** The fraction of (positive, negative) pairs the predictions rank right, ties counting half. */
function mannWhitney(preds: number[], labels: number[]): number {
  let wins = 0;
  let pairs = 0;
  preds.forEach((pi, i) => preds.forEach((pj, j) => {
    if (labels[i] === 1 && labels[j] === 0) {
      pairs++;
      wins += pi > pj ? 1 : pi === pj ? 0.5 : 0;
    }
  }));
  return wins / pairs;
}

describe('metrics on hand-made data with known answers', () => {
  it('precision and recall at 0.5 and at a custom threshold, accumulated over batches', async () => {
    // Positives above 0.5: samples 0, 2, 4 → TP 2 (0, 4), FP 1 (2), FN 2 (3, 5).
    const preds = column([0.9, 0.2, 0.6, 0.4, 0.7, 0.1]);
    const y = km.tensor(column([1, 0, 0, 1, 1, 1]));
    const [p, r, p3, r3] = await metricValues(preds, y, 'binaryCrossentropy', ['precision', 'recall', km.metrics.precision({ thresholds: 0.3, name: 'p3' }), km.metrics.recall({ thresholds: 0.3, name: 'r3' })]);
    expect(p).toBeCloseTo(2 / 3, 6);
    expect(r).toBeCloseTo(1 / 2, 6);
    // Above 0.3: samples 0, 2, 3, 4 → TP 3, FP 1, FN 1.
    expect(p3).toBeCloseTo(3 / 4, 6);
    expect(r3).toBeCloseTo(3 / 4, 6);
  });

  it('ROC AUC: one swapped pair of four gives 0.75; PR AUC follows Davis & Goadrich interpolation', async () => {
    const [roc] = await metricValues(column([0.1, 0.4, 0.35, 0.8]), km.tensor(column([0, 0, 1, 1])), 'binaryCrossentropy', ['auc']);
    expect(roc).toBeCloseTo(0.75, 6);
    const [perfect] = await metricValues(column([0.1, 0.2, 0.8, 0.9]), km.tensor(column([0, 0, 1, 1])), 'binaryCrossentropy', [km.metrics.auc({ curve: 'PR' })]);
    expect(perfect).toBeCloseTo(1, 6);
    // Ranked 1, 0, 1, 0: recall 0 → ½ at precision 1, then ½ → 1 while TP = P − 1, so ∫ (P − 1)/P dP / 2 over [2, 3].
    const [pr] = await metricValues(column([0.9, 0.8, 0.3, 0.1]), km.tensor(column([1, 0, 1, 0])), 'binaryCrossentropy', [km.metrics.auc({ curve: 'PR' })]);
    expect(pr).toBeCloseTo(0.5 + (1 - Math.log(1.5)) / 2, 6);
  });

  it('AUC clips outputs to [0, 1] first, as Keras: a linear output\'s curve still runs from (1, 1) to (0, 0)', async () => {
    // Clipped: [0, 0, 0, 0.2, 0.4, 0.7, 1, 1]; the rank AUC of those values (ties count ½) is 0.75. Unclipped, the
    // curve stopped short of its ends and gave 0.3125.
    const x = column([-2, -1, -0.5, 0.2, 0.4, 0.7, 1.5, 3]);
    const y = km.tensor(column([0, 0, 1, 0, 1, 0, 1, 1]));
    const [roc, pr] = await metricValues(x, y, 'meanSquaredError', ['auc', km.metrics.auc({ curve: 'PR', name: 'pr' })], 3);
    expect(roc).toBeCloseTo(0.75, 6);
    const [clippedPr] = await metricValues(x.map(([v]) => [Math.min(Math.max(v, 0), 1)]), y, 'meanSquaredError', [km.metrics.auc({ curve: 'PR' })], 3);
    expect(pr).toBeCloseTo(clippedPr, 6);
  });

  it('precision and recall compare outputs with the threshold in float32, as Keras: 0.05 is not above 0.05', async () => {
    // float32 rounds 0.05 up (0.0500000007): an output of 0.05 equals the threshold, so it is a negative.
    const [p, r, fp] = await metricValues(column([0.05, 0.9, 0.05]), km.tensor(column([0, 1, 1])), 'meanSquaredError', [
      km.metrics.precision({ thresholds: 0.05 }), km.metrics.recall({ thresholds: 0.05 }), km.metrics.falsePositives({ thresholds: 0.05 }),
    ]);
    expect([p, r, fp]).toEqual([1, 0.5, 0]);
  });

  it('ROC AUC equals the Mann-Whitney statistic when each bucket between thresholds holds one distinct prediction', async () => {
    const random = new Random(3);
    const n = 60;
    const preds = Array.from({ length: n }, () => (Math.floor(random.next() * 199) + 0.5) / 199);
    const labels = preds.map((p) => (random.next() < p ? 1 : 0));
    const [roc] = await metricValues(column(preds), km.tensor(column(labels)), 'binaryCrossentropy', ['auc'], 7);
    expect(roc).toBeCloseTo(mannWhitney(preds, labels), 5);
    // Each of 1/4, 1/2, 3/4, 1 sits on a threshold, so it falls in the bucket below it: (0, 1/4], (1/4, 1/2], ...
    const onThresholds = Array.from({ length: 50 }, () => (1 + Math.floor(random.next() * 4)) / 4);
    const onLabels = onThresholds.map((p) => (random.next() < 0.2 + 0.6 * p ? 1 : 0));
    const [coarse] = await metricValues(column(onThresholds), km.tensor(column(onLabels)), 'binaryCrossentropy', [km.metrics.auc({ numThresholds: 5 })], 6);
    expect(coarse).toBeCloseTo(mannWhitney(onThresholds, onLabels), 6);
  });

  it('accuracy variants: binary (threshold), categorical, sparse; top-k with labels and one-hot rows', async () => {
    const preds = [[0.1, 0.6, 0.3], [0.5, 0.2, 0.3], [0.2, 0.3, 0.5], [0.4, 0.35, 0.25]];
    const labels = [1, 2, 2, 1];
    const sparse = km.tensor(labels, undefined, 'int32');
    const oneHot = km.utils.toCategorical(sparse, 3);
    // argmax: 1, 0, 2, 0 → 2 of 4 right; top-2: sample 1's class 2 (0.3) is second, sample 3's class 1 (0.35) second → all 4.
    const [acc, sacc, top2, top1] = await metricValues(preds, sparse, 'sparseCategoricalCrossentropy', ['accuracy', 'sparse_categorical_accuracy', km.metrics.topKCategoricalAccuracy({ k: 2, name: 'top2' }), km.metrics.topKCategoricalAccuracy({ k: 1, name: 'top1' })], 3);
    expect([acc, sacc, top2, top1]).toEqual([0.5, 0.5, 1, 0.5]);
    const [cacc, ctop2] = await metricValues(preds, oneHot, 'categoricalCrossentropy', ['categoricalAccuracy', km.metrics.topKCategoricalAccuracy({ k: 2 })]);
    expect([cacc, ctop2]).toEqual([0.5, 1]);
    // Binary: element-wise p > threshold against 0/1 targets.
    const [bacc, bacc7] = await metricValues(preds, oneHot, 'binaryCrossentropy', ['binaryAccuracy', km.metrics.binaryAccuracy({ threshold: 0.28, name: 'b28' })]);
    const direct = (t: number) => preds.flat().filter((p, i) => (p > t ? 1 : 0) === oneHot.dataSync()[i]).length / 12;
    expect(bacc).toBeCloseTo(direct(0.5), 6);
    expect(bacc7).toBeCloseTo(direct(0.28), 6);
    expect([direct(0.5), direct(0.28)]).toEqual([9 / 12, 8 / 12]);
  });

  it('MAE, MSE and RMSE match a direct computation over the epoch (RMSE is the root of the epoch mean)', async () => {
    const random = new Random(8);
    const preds = Array.from({ length: 7 }, () => [random.uniform(-2, 2), random.uniform(-2, 2)]);
    const ys = Array.from({ length: 7 }, () => [random.uniform(-2, 2), random.uniform(-2, 2)]);
    const diffs = preds.flat().map((p, i) => p - ys.flat()[i]);
    const mse = diffs.reduce((s, d) => s + d * d, 0) / diffs.length;
    const values = await metricValues(preds, km.tensor(ys), 'meanSquaredError', ['mae', 'mse', 'rmse', km.metrics.rootMeanSquaredError()], 3);
    expect(values[0]).toBeCloseTo(diffs.reduce((s, d) => s + Math.abs(d), 0) / diffs.length, 5);
    expect(values[1]).toBeCloseTo(mse, 5);
    expect(values[2]).toBeCloseTo(Math.sqrt(mse), 5);
    expect(values[3]).toBeCloseTo(Math.sqrt(mse), 5);
  });

  it('confusionMatrix counts labels (rows) against predictions (columns)', () => {
    const m = km.metrics.confusionMatrix(km.tensor([0, 1, 2, 2, 1], undefined, 'int32'), [0, 2, 2, 1, 1], 3);
    expect(m.shape).toEqual([3, 3]);
    expect(m.arraySync()).toEqual([[1, 0, 0], [0, 1, 1], [0, 1, 1]]);
  });
});

describe('metrics during fit', () => {
  it('are stateful per epoch, reset between epochs, and reported as val_ for validation data', async () => {
    const random = new Random(4);
    const xs = Array.from({ length: 40 }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]);
    const ys = xs.map(([a, b]) => [a + 0.5 * b + 0.3 * random.uniform(-1, 1) > 0 ? 1 : 0]);
    km.utils.setRandomSeed(2);
    const model = km.sequential([km.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })]);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: 'binaryCrossentropy', metrics: ['auc', km.metrics.auc({ curve: 'PR', name: 'pr_auc' }), 'precision'] });
    const x = km.tensor(xs.slice(0, 30));
    const y = km.tensor(ys.slice(0, 30));
    const xv = km.tensor(xs.slice(30));
    const yv = km.tensor(ys.slice(30));
    const history = await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, validationData: [xv, yv] });
    expect(Object.keys(history.history).sort()).toEqual(['auc', 'loss', 'pr_auc', 'precision', 'val_auc', 'val_loss', 'val_pr_auc', 'val_precision']);
    // The last epoch's validation values are those of evaluate on the same weights, whatever the batching.
    const [, valAuc, valPr, valPrecision] = await model.evaluate(xv, yv, { verbose: 0, batchSize: 3 });
    expect(history.history.val_auc[2]).toBeCloseTo(valAuc, 6);
    expect(history.history.val_pr_auc[2]).toBeCloseTo(valPr, 6);
    expect(history.history.val_precision[2]).toBeCloseTo(valPrecision, 6);
    const [, fullAuc] = await model.evaluate(xv, yv, { verbose: 0, batchSize: 10 });
    expect(fullAuc).toBeCloseTo(valAuc, 6);
    expect(model.metricsNames).toEqual(['loss', 'auc', 'pr_auc', 'precision']);
  });
});

describe('MeanMetric', () => {
  it('adds a batch at once when the backend returned a number, and after the read when it returned a promise', async () => {
    const values: (number | Promise<number>)[] = [3, Promise.resolve(5), 1];
    const metric = new MeanMetric('m', () => [values.shift()!, 4]);
    const batch = {} as MetricBatch;
    expect(metric.update(batch)).toBeUndefined();
    expect(metric.result()).toBe(3 / 4);
    const pending = metric.update(batch);
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    expect(metric.result()).toBe(8 / 8);
    metric.update(batch);
    expect(metric.result()).toBe(9 / 12);
  });
});

describe('metric errors', () => {
  it('name what was received and how to fix it', async () => {
    const model = km.sequential([km.layers.dense({ units: 3, inputShape: [3] })]);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['f1'] })).toThrow(/Unknown metric 'f1'. Valid metrics: 'accuracy'/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [{ name: 'x' } as never] })).toThrow(/A metric must be a name .*updateState\(yTrue, yPred, sampleWeight\).*; received an object with keys \[name\], missing reset, result, update or updateState\./);
    expect(() => km.metrics.topKCategoricalAccuracy({ k: 0 })).toThrow(/k must be a positive integer. Received: k=0/);
    expect(() => km.metrics.auc({ numThresholds: 1 })).toThrow(/numThresholds must be an integer > 1. Received: numThresholds=1/);
    expect(() => km.metrics.auc({ curve: 'XY' as never })).toThrow(/curve must be 'ROC' or 'PR'. Received: curve=XY/);
    expect(() => km.metrics.precision({ thresholds: 2 })).toThrow(/thresholds must be in \[0, 1\]. Received: thresholds=2/);
    const labels = km.tensor([0, 1], undefined, 'int32');
    await expect(metricValues([[0.2, 0.3, 0.5], [0.1, 0.8, 0.1]], labels, 'sparseCategoricalCrossentropy', ['auc'])).rejects.toThrow(/Metric 'auc' compares each output with a 0\/1 target.*integer labels/);
    await expect(metricValues([[0.2, 0.3, 0.5], [0.1, 0.8, 0.1]], labels, 'sparseCategoricalCrossentropy', ['mae'])).rejects.toThrow(/Metric 'mae' compares outputs with targets shaped like the output, but the loss takes integer labels/);
    await expect(metricValues([[0.2, 0.3, 0.5]], km.tensor([[0, 1, 0]]), 'binaryCrossentropy', [km.metrics.recall({ classId: 3 })])).rejects.toThrow(/classId must be an output column in \[0, 2\]. Received: classId=3/);
    expect(() => km.metrics.confusionMatrix([0, 3], [0, 1], 3)).toThrow(/labels\[1\] = 3 is not a class index in \[0, 2\]/);
    expect(() => km.metrics.confusionMatrix([0, 1], [0], 3)).toThrow(/same length; received 2 labels and 1 predictions/);
    expect(() => km.metrics.confusionMatrix(km.tensor([[0, 1]]), [0, 1], 3)).toThrow(/labels must be a 1-D list of class indices; received shape \[1, 2\]/);
    expect(() => km.metrics.confusionMatrix([0], [0], 0)).toThrow(/numClasses must be a positive integer. Received: numClasses=0/);
  });
});
