import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

// An output compiled without a loss (Keras' None) but with 'accuracy' takes integer class labels,
// as Keras 3 resolves 'accuracy' by the shapes of the targets and predictions: the logged value is
// the share of positions whose highest prediction is the label.

beforeAll(() => km.ready());

const [N, IN, CLASSES] = [20, 4, 3];
const random = new Random(21);
const x = km.tensor(Float32Array.from({ length: N * IN }, () => random.uniform(-2, 2)), [N, IN]);
const labels = Array.from({ length: N }, (_, i) => (i * 5) % CLASSES);
const values = km.tensor(Float32Array.from({ length: N }, () => random.uniform(-1, 1)), [N, 1]);

function model(metrics: string[], weightedMetrics: string[] = []): km.LayersModel {
  km.utils.setRandomSeed(6);
  const input = km.input({ shape: [IN] });
  const cls = km.layers.dense({ units: CLASSES, activation: 'softmax', name: 'cls' }).apply(input) as km.SymbolicTensor;
  const value = km.layers.dense({ units: 1, name: 'value' }).apply(input) as km.SymbolicTensor;
  const m = km.model({ inputs: input, outputs: [cls, value] });
  m.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: { cls: null, value: 'meanSquaredError' }, metrics: { cls: metrics }, weightedMetrics: { cls: weightedMetrics } });
  return m;
}

/** Naive reference: the share of samples whose top-k predictions hold the label, weighted. */
function topKAccuracy(probabilities: Float32Array, k: number, weights: number[] = labels.map(() => 1)): number {
  let hits = 0;
  labels.forEach((label, i) => {
    const row = Array.from(probabilities.subarray(i * CLASSES, (i + 1) * CLASSES));
    if (row.filter((p) => p > row[label]).length < k) hits += weights[i];
  });
  return hits / weights.reduce((a, b) => a + b, 0);
}

describe('a no-loss output with label metrics takes integer class labels', () => {
  it.each([
    ['[n] int32', () => km.tensor(labels, [N], 'int32')],
    ['[n, 1] float32', () => km.tensor(labels, [N, 1])],
  ])('%s labels: evaluate and fit log the accuracy of the predictions against them', async (_, y) => {
    const m = model(['accuracy', 'sparseTopKCategoricalAccuracy']);
    const probabilities = (m.predict(x) as km.Tensor[])[0].dataSync() as Float32Array;
    const logs = (await m.evaluate(x, { cls: y(), value: values }, { verbose: 0, returnDict: true })) as Record<string, number>;
    expect(logs.cls_accuracy).toBeCloseTo(topKAccuracy(probabilities, 1), 6);
    expect(logs.cls_sparseTopKCategoricalAccuracy).toBeCloseTo(topKAccuracy(probabilities, 5), 6);
    // Not trivially 0 or 1, so a wrong comparison would show.
    expect(logs.cls_accuracy).toBeGreaterThan(0);
    expect(logs.cls_accuracy).toBeLessThan(1);

    // One-hot rows give the same values.
    const oneHot = km.utils.toCategorical(km.tensor(labels, [N], 'int32'), CLASSES);
    expect(await m.evaluate(x, { cls: oneHot, value: values }, { verbose: 0, returnDict: true })).toEqual(logs);

    // fit logs the batch's accuracy before its step: one batch of all samples sees these predictions.
    const history = await m.fit(x, { cls: y(), value: values }, { epochs: 1, batchSize: N, verbose: 0 });
    expect(history.history.cls_accuracy[0]).toBeCloseTo(topKAccuracy(probabilities, 1), 6);
  });

  it('weightedMetrics count sampleWeight with the labels', async () => {
    const m = model(['accuracy'], ['accuracy']);
    const probabilities = (m.predict(x) as km.Tensor[])[0].dataSync() as Float32Array;
    const weights = labels.map((_, i) => (i % 3 === 0 ? 4 : 1));
    const logs = (await m.evaluate(x, { cls: km.tensor(labels, [N], 'int32'), value: values }, { verbose: 0, returnDict: true, sampleWeight: weights })) as Record<string, number>;
    expect(logs.cls_weighted_accuracy).toBeCloseTo(topKAccuracy(probabilities, 1, weights), 6);
    expect(logs.cls_accuracy).toBeCloseTo(topKAccuracy(probabilities, 1), 6);
    expect(Math.abs(logs.cls_weighted_accuracy - logs.cls_accuracy)).toBeGreaterThan(0.01);
  });

  it('a per-step output takes one label per step', async () => {
    const steps = 2;
    const input = km.input({ shape: [steps, IN] });
    const tags = km.layers.dense({ units: CLASSES, activation: 'softmax', name: 'tags' }).apply(input) as km.SymbolicTensor;
    const score = km.layers.dense({ units: 1, name: 'score' }).apply(km.layers.flatten().apply(input) as km.SymbolicTensor) as km.SymbolicTensor;
    const m = km.model({ inputs: input, outputs: [tags, score] });
    m.compile({ optimizer: 'sgd', loss: [null, 'meanSquaredError'], metrics: [['accuracy'], []] });
    const seq = km.tensor(Float32Array.from({ length: 10 * steps * IN }, () => random.uniform(-2, 2)), [10, steps, IN]);
    const stepLabels = Array.from({ length: 10 * steps }, (_, i) => i % CLASSES);
    const p = (m.predict(seq) as km.Tensor[])[0].dataSync();
    let hits = 0;
    stepLabels.forEach((label, i) => {
      const row = Array.from(p.subarray(i * CLASSES, (i + 1) * CLASSES));
      if (row.indexOf(Math.max(...row)) === label) hits++;
    });
    const logs = (await m.evaluate(seq, [km.tensor(stepLabels, [10, steps], 'int32'), km.zeros([10, 1])], { verbose: 0, returnDict: true })) as Record<string, number>;
    expect(logs.tags_accuracy).toBeCloseTo(hits / stepLabels.length, 6);
  });

  it('refuses labels for a metric that reads rows, labels out of range, and other shapes, naming the fix', async () => {
    const y = (cls: km.Tensor) => ({ cls, value: values });
    await expect(model(['accuracy', 'auc']).evaluate(x, y(km.tensor(labels, [N], 'int32')), { verbose: 0 })).rejects.toThrow(
      `y['cls'], the targets of output 'cls' (which has no loss, only metrics): received class labels, shape [${N}], but its metrics 'auc' compare the predictions with targets shaped like the output, [${N}, 3]. One-hot encode the labels with km.utils.toCategorical(labels, 3), or give the output only label metrics ('accuracy', 'sparseCategoricalAccuracy', 'sparseTopKCategoricalAccuracy').`,
    );
    const outOfRange = labels.map((l, i) => (i === 7 ? 3 : l));
    await expect(model(['accuracy']).fit(x, y(km.tensor(outOfRange, [N], 'int32')), { verbose: 0 })).rejects.toThrow("y['cls'], the targets of output 'cls' (which has no loss, only metrics): class labels must be integers in 0..2, one of the output's 3 classes; received 3 at flat index 7.");
    await expect(model(['accuracy']).fit(x, y(km.tensor(labels.map((l) => l + 0.5), [N])), { verbose: 0 })).rejects.toThrow(/class labels must be integers in 0\.\.2.*received 0\.5 at flat index 0/);
    await expect(model(['accuracy']).fit(x, y(km.zeros([N, 2])), { verbose: 0 })).rejects.toThrow(
      `y['cls'], the targets of output 'cls' (which has no loss, only metrics): its metrics compare the predictions with targets shaped like the output, [${N}, 3], or with one class label per position, [${N}], but received shape [${N}, 2] (float32).`,
    );
  });
});
