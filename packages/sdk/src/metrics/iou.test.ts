import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { metricValues } from '../testing/identity_model.js';

beforeAll(() => km.ready());

const column = (v: number[]) => v.map((x) => [x]);
const argmax = (row: number[]) => row.indexOf(Math.max(...row));

/** IoU from sets, in float64: per listed class |true ∩ predicted| / |true ∪ predicted|, averaged over the classes present in either. */
function referenceIoU(truth: number[], predicted: number[], classes: number[], ignoreClass?: number): number {
  let sum = 0;
  let present = 0;
  for (const c of classes) {
    let intersection = 0;
    let union = 0;
    truth.forEach((t, i) => {
      if (t === ignoreClass) return;
      if (t === c && predicted[i] === c) intersection++;
      if (t === c || predicted[i] === c) union++;
    });
    if (union > 0) {
      present++;
      sum += intersection / union;
    }
  }
  return present === 0 ? 0 : sum / present;
}

/** n samples of `steps` positions over 3 classes: softmax-like rows, labels that mostly follow the argmax. */
function segmentation(seed: number, n: number, steps: number) {
  const random = new Random(seed);
  const preds = Array.from({ length: n }, () => Array.from({ length: steps }, () => [random.next(), random.next(), random.next()]));
  const labels = preds.map((sample) => sample.map((row) => (random.next() < 0.6 ? argmax(row) : Math.floor(random.next() * 3))));
  const oneHot = labels.map((sample) => sample.map((l) => [0, 1, 2].map((j) => (j === l ? 1 : 0))));
  return { preds, labels, oneHot, flatTruth: labels.flat(), flatPredicted: preds.flat().map(argmax) };
}

describe('the IoU metrics', () => {
  it("reproduce Keras 3's documented examples: IoU, MeanIoU and BinaryIoU of [0, 0, 1, 1] against [0, 1, 0, 1]", async () => {
    const truth = km.tensor(column([0, 0, 1, 1]));
    const [iou0, mean] = await metricValues(column([0, 1, 0, 1]), truth, 'mse', [km.metrics.iou({ numClasses: 2, targetClassIds: [0] }), km.metrics.meanIoU({ numClasses: 2 })]);
    expect(iou0).toBeCloseTo(1 / 3, 6);
    expect(mean).toBeCloseTo(1 / 3, 6);
    const [binary] = await metricValues(column([0.1, 0.2, 0.4, 0.7]), km.tensor(column([0, 1, 0, 1])), 'binaryCrossentropy', [km.metrics.binaryIoU({ threshold: 0.3 })]);
    expect(binary).toBeCloseTo(1 / 3, 6);
  });

  it('accumulate a confusion matrix over every position of every batch, from labels or one-hot rows alike', async () => {
    const { preds, labels, oneHot, flatTruth, flatPredicted } = segmentation(21, 13, 4);
    const expected = [referenceIoU(flatTruth, flatPredicted, [0, 1, 2]), referenceIoU(flatTruth, flatPredicted, [0, 2]), referenceIoU(flatTruth, flatPredicted, [0, 2], 1)];
    const fromLabels = await metricValues(preds, km.tensor(labels, undefined, 'int32'), 'sparseCategoricalCrossentropy', [
      km.metrics.meanIoU({ numClasses: 3, sparseYPred: false }),
      km.metrics.iou({ numClasses: 3, targetClassIds: [0, 2], sparseYPred: false }),
      km.metrics.iou({ numClasses: 3, targetClassIds: [0, 2], sparseYPred: false, ignoreClass: 1, name: 'iou_ignoring_1' }),
    ], 5);
    const fromRows = await metricValues(preds, km.tensor(oneHot), 'categoricalCrossentropy', [
      km.metrics.oneHotMeanIoU({ numClasses: 3 }),
      km.metrics.oneHotIoU({ numClasses: 3, targetClassIds: [0, 2] }),
      km.metrics.oneHotIoU({ numClasses: 3, targetClassIds: [0, 2], ignoreClass: 1, name: 'iou_ignoring_1' }),
      km.metrics.meanIoU({ numClasses: 3, sparseYTrue: false, sparseYPred: false, name: 'dense_mean_iou' }),
    ], 3);
    for (const values of [fromLabels, fromRows]) values.slice(0, 3).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    expect(fromRows[3]).toBeCloseTo(expected[0], 5);
    expect(new Set(expected.map((v) => v.toFixed(4))).size).toBe(3);
    // An epoch metric, not a mean of per-batch values: the first batch alone scores otherwise.
    const firstBatch = referenceIoU(flatTruth.slice(0, 20), flatPredicted.slice(0, 20), [0, 1, 2]);
    expect(Math.abs(firstBatch - expected[0])).toBeGreaterThan(1e-3);
  });

  it('leave out masked positions (a Masking layer before the identity model)', async () => {
    const { preds, labels } = segmentation(24, 9, 5);
    // Rows of zeros are padding, which Masking hides from the metric; counted, they would score as class 0 against label 2.
    preds.forEach((sample, i) => sample.forEach((row, t) => {
      if ((i + t) % 3 !== 0) return;
      row.fill(0);
      labels[i][t] = 2;
    }));
    const flatTruth = labels.flat();
    const model = km.sequential([km.layers.masking({ maskValue: 0, inputShape: [5, 3] }), km.layers.dense({ units: 3, useBias: false })]);
    model.setWeights([km.tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1]])]);
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: [km.metrics.meanIoU({ numClasses: 3, sparseYPred: false })] });
    const [, masked] = await model.evaluate(km.tensor(preds), km.tensor(labels, undefined, 'int32'), { batchSize: 4, verbose: 0 });
    const kept = preds.flat().map((row) => row.some((v) => v !== 0));
    const keptTruth = flatTruth.filter((_, i) => kept[i]);
    const keptPredicted = preds.flat().filter((_, i) => kept[i]).map(argmax);
    expect(masked).toBeCloseTo(referenceIoU(keptTruth, keptPredicted, [0, 1, 2]), 5);
    expect(Math.abs(masked - referenceIoU(flatTruth, preds.flat().map(argmax), [0, 1, 2]))).toBeGreaterThan(1e-3);
  });

  it('binaryIoU thresholds each output (>= threshold is class 1) against its 0/1 target, for either class or both', async () => {
    const random = new Random(22);
    const preds = Array.from({ length: 17 }, () => [random.next(), random.next(), random.next()]);
    const truth = preds.map((row) => row.map((p) => (random.next() < p ? 1 : 0)));
    const predicted = preds.flat().map((p) => (p >= 0.4 ? 1 : 0));
    const values = await metricValues(preds, km.tensor(truth), 'binaryCrossentropy', [
      km.metrics.binaryIoU({ threshold: 0.4 }),
      km.metrics.binaryIoU({ threshold: 0.4, targetClassIds: [1], name: 'iou_1' }),
      km.metrics.binaryIoU({ threshold: 0.4, targetClassIds: [0], name: 'iou_0' }),
      km.metrics.binaryIoU({ name: 'at_half' }),
    ], 4);
    expect(values[0]).toBeCloseTo(referenceIoU(truth.flat(), predicted, [0, 1]), 5);
    expect(values[1]).toBeCloseTo(referenceIoU(truth.flat(), predicted, [1]), 5);
    expect(values[2]).toBeCloseTo(referenceIoU(truth.flat(), predicted, [0]), 5);
    expect(values[3]).toBeCloseTo(referenceIoU(truth.flat(), preds.flat().map((p) => (p >= 0.5 ? 1 : 0)), [0, 1]), 5);
  });

  it('binaryIoU compares outputs with the threshold in float32, as Keras: 0.7 is at or above 0.7', async () => {
    // float32 rounds 0.7 down (0.699999988): the output 0.7 equals the threshold, so it predicts class 1.
    const [both] = await metricValues(column([0.7, 0.1]), km.tensor(column([1, 0])), 'binaryCrossentropy', [km.metrics.binaryIoU({ threshold: 0.7 })]);
    expect(both).toBeCloseTo(referenceIoU([1, 0], [1, 0], [0, 1]), 6);
    expect(both).toBeCloseTo(1, 6);
  });

  it('rise while a per-position classifier learns, and evaluate matches the IoU of its predictions', async () => {
    km.utils.setRandomSeed(5);
    const random = new Random(23);
    const n = 96;
    const steps = 6;
    const xs = Array.from({ length: n }, () => Array.from({ length: steps }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]));
    const labels = xs.map((sample) => sample.map(([a, b]) => (a > 0.3 ? 2 : b > 0 ? 1 : 0)));
    const y = km.tensor(labels, undefined, 'int32');
    const model = km.sequential([km.layers.dense({ units: 16, activation: 'tanh', inputShape: [steps, 2] }), km.layers.dense({ units: 3, activation: 'softmax' })]);
    model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.03 }), loss: 'sparseCategoricalCrossentropy', metrics: [km.metrics.meanIoU({ numClasses: 3, sparseYPred: false })] });
    const history = await model.fit(km.tensor(xs), y, { epochs: 8, batchSize: 16, verbose: 0 });
    const curve = history.history.mean_io_u;
    expect(curve[curve.length - 1]).toBeGreaterThan(curve[0] + 0.15);
    expect(curve[curve.length - 1]).toBeGreaterThan(0.7);
    const [, evaluated] = await model.evaluate(km.tensor(xs), y, { batchSize: 20, verbose: 0 });
    const predicted = (model.predict(km.tensor(xs)) as km.Tensor).arraySync() as number[][][];
    expect(evaluated).toBeCloseTo(referenceIoU(labels.flat(), predicted.flat().map(argmax), [0, 1, 2]), 5);
  });

  it('bad options and inputs the options do not fit get errors that name the fix', async () => {
    expect(() => km.metrics.meanIoU({} as never)).toThrow(/meanIoU: numClasses is required: the number of classes the model predicts.*km.metrics.meanIoU\(\{ numClasses: 3 \}\)/);
    expect(() => km.metrics.iou({ numClasses: 3 } as never)).toThrow(/iou: targetClassIds is required.*targetClassIds: \[0\]/);
    expect(() => km.metrics.iou({ numClasses: 3, targetClassIds: [0, 3] })).toThrow(/iou: target class id 3 is out of range, which is \[0, 3\). Received: targetClassIds=\[0,3\]/);
    expect(() => km.metrics.oneHotIoU({ numClasses: 3, targetClassIds: [] })).toThrow(/targetClassIds must be a non-empty list/);
    expect(() => km.metrics.binaryIoU({ targetClassIds: [2] })).toThrow(/binaryIoU: target class id 2 is out of range, which is \[0, 2\)/);
    expect(() => km.metrics.meanIoU({ numClasses: 2.5 })).toThrow(/numClasses must be a positive integer. Received: numClasses=2.5/);
    expect(() => km.metrics.meanIoU({ numClasses: 3, axis: 1 })).toThrow(/axis must be -1: kerasm's outputs keep their classes on the last axis. Received: axis=1/);
    expect(() => km.metrics.meanIoU({ numClasses: 3, sparseYPred: 'no' as never })).toThrow(/sparseYPred must be true or false. Received: sparseYPred="no"/);
    expect(() => km.metrics.oneHotMeanIoU({ numClasses: 3, sparseYTrue: true } as never)).toThrow(/km.metrics.oneHotMeanIoU has no option 'sparseYTrue'/);
    expect(() => km.metrics.binaryIoU({ threshold: NaN })).toThrow(/threshold must be a finite number/);
    const probabilities = [[0.2, 0.7, 0.1], [0.5, 0.3, 0.2]];
    const labels = km.tensor([1, 0], undefined, 'int32');
    await expect(metricValues(probabilities, labels, 'sparseCategoricalCrossentropy', [km.metrics.meanIoU({ numClasses: 3 })])).rejects.toThrow(
      /Metric 'mean_io_u' reads outputs as class indices \(sparseYPred true\) and targets as class indices.*3 predicted and 1 true classes per sample, which must match. For a softmax output pass sparseYPred: false/,
    );
    await expect(metricValues(probabilities, labels, 'sparseCategoricalCrossentropy', [km.metrics.oneHotMeanIoU({ numClasses: 3 })])).rejects.toThrow(
      /takes the argmax of one-hot target rows \(sparseYTrue false\), but the loss takes integer labels. Use km.metrics.meanIoU/,
    );
    await expect(metricValues([[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]], labels, 'sparseCategoricalCrossentropy', [km.metrics.meanIoU({ numClasses: 2, sparseYPred: false })])).rejects.toThrow(
      /Metric 'mean_io_u': the predicted class at position 0 of the batch is 2, outside \[0, 1\]. Pass numClasses above every class index/,
    );
  });
});
