import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { metricValues } from '../testing/identity_model.js';

beforeAll(() => km.ready());

// Keras 3's F1Score docstring example: per-class scores [0.5, 0.8, 0.6666667] at threshold 0.5.
const KERAS_TRUE = [[1, 1, 1], [1, 0, 0], [1, 1, 0]];
const KERAS_PRED = [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]];

/** F-beta per class from a float64 count of 0/1 predictions against 0/1 truths. */
function referenceScores(predicted: number[][], truth: number[][], beta = 1): { perClass: number[]; support: number[]; micro: number } {
  const cols = truth[0].length;
  const f = (tp: number, fp: number, fn: number) => {
    const p = tp / (tp + fp + 1e-7);
    const r = tp / (tp + fn + 1e-7);
    return ((1 + beta * beta) * p * r) / (beta * beta * p + r + 1e-7);
  };
  const counts = Array.from({ length: cols }, (_, j) => {
    let tp = 0, fp = 0, fn = 0;
    truth.forEach((row, i) => {
      if (predicted[i][j] && row[j]) tp++;
      else if (predicted[i][j]) fp++;
      else if (row[j]) fn++;
    });
    return [tp, fp, fn];
  });
  const total = counts.reduce((a, c) => a.map((v, k) => v + c[k]), [0, 0, 0]);
  return { perClass: counts.map(([tp, fp, fn]) => f(tp, fp, fn)), support: Array.from({ length: cols }, (_, j) => truth.reduce((a, row) => a + row[j], 0)), micro: f(total[0], total[1], total[2]) };
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe('f1Score and fBetaScore', () => {
  it("reproduce Keras 3's documented example, averaged macro, micro and weighted", async () => {
    const metrics = [km.metrics.f1Score({ threshold: 0.5 }), km.metrics.f1Score({ threshold: 0.5, average: 'micro', name: 'micro' }), km.metrics.f1Score({ threshold: 0.5, average: 'weighted', name: 'weighted' })];
    const [macro, micro, weighted] = await metricValues(KERAS_PRED, km.tensor(KERAS_TRUE), 'binaryCrossentropy', metrics);
    expect(macro).toBeCloseTo(mean([0.5, 0.8, 0.6666667]), 5);
    // Summed over classes: TP 4, FP 2, FN 2; supports 3, 2, 1.
    expect(micro).toBeCloseTo(2 / 3, 5);
    expect(weighted).toBeCloseTo((3 * 0.5 + 2 * 0.8 + 0.6666667) / 6, 5);
  });

  it('without a threshold predict the argmax, the same from integer labels as from one-hot rows, whatever the batching', async () => {
    const random = new Random(12);
    const classes = 4;
    const preds = Array.from({ length: 23 }, () => Array.from({ length: classes }, () => random.next()));
    const labels = preds.map((row, i) => (i % 3 === 0 ? Math.floor(random.next() * classes) : row.indexOf(Math.max(...row))));
    const oneHot = labels.map((l) => Array.from({ length: classes }, (_, j) => (j === l ? 1 : 0)));
    const predicted = preds.map((row) => row.map((v) => (v === Math.max(...row) ? 1 : 0)));
    const reference = referenceScores(predicted, oneHot);
    const named = ['f1_score', km.metrics.f1Score({ average: 'micro', name: 'micro' }), km.metrics.f1Score({ average: 'weighted', name: 'weighted' })];
    const fromLabels = await metricValues(preds, km.tensor(labels, undefined, 'int32'), 'sparseCategoricalCrossentropy', named, 5);
    const fromRows = await metricValues(preds, km.tensor(oneHot), 'categoricalCrossentropy', ['f1Score', km.metrics.f1Score({ average: 'micro', name: 'micro' }), km.metrics.f1Score({ average: 'weighted', name: 'weighted' })], 23);
    const weighted = reference.perClass.reduce((a, s, j) => a + s * reference.support[j], 0) / (23 + 1e-7);
    for (const values of [fromLabels, fromRows]) {
      expect(values[0]).toBeCloseTo(mean(reference.perClass), 6);
      expect(values[1]).toBeCloseTo(reference.micro, 6);
      expect(values[2]).toBeCloseTo(weighted, 6);
    }
  });

  it('compares outputs with the threshold in float32, as Keras: an output of 0.05 is not above a threshold of 0.05', async () => {
    const preds = [[0.05, 0.9], [0.9, 0.05], [0.3, 0.04]];
    const truth = [[0, 1], [1, 0], [1, 0]];
    const values = await metricValues(preds, km.tensor(truth), 'binaryCrossentropy', [
      km.metrics.f1Score({ threshold: 0.05, average: 'micro' }),
      km.metrics.fBetaScore({ beta: 2, threshold: 0.05, name: 'f2' }),
    ]);
    // Keras: y_pred > threshold with both float32 (f32(0.05) = 0.0500000007).
    const predicted = preds.map((row) => row.map((p) => (p > Math.fround(0.05) ? 1 : 0)));
    expect(predicted.flat()).toEqual([0, 1, 1, 0, 1, 0]);
    expect(values[0]).toBeCloseTo(referenceScores(predicted, truth).micro, 6);
    expect(values[1]).toBeCloseTo(mean(referenceScores(predicted, truth, 2).perClass), 6);
    expect(values[0]).toBeCloseTo(1, 6);
  });

  it('fBetaScore weighs recall by beta, on multi-label rows at a threshold', async () => {
    const random = new Random(13);
    const preds = Array.from({ length: 19 }, () => Array.from({ length: 3 }, () => random.next()));
    const truth = preds.map((row) => row.map((p) => (random.next() < p ? 1 : 0)));
    const predicted = preds.map((row) => row.map((p) => (p > 0.3 ? 1 : 0)));
    const [f2, f2micro, fHalf, f1] = await metricValues(preds, km.tensor(truth), 'binaryCrossentropy', [
      km.metrics.fBetaScore({ beta: 2, threshold: 0.3 }),
      km.metrics.fBetaScore({ beta: 2, threshold: 0.3, average: 'micro', name: 'f2_micro' }),
      km.metrics.fBetaScore({ beta: 0.5, threshold: 0.3, name: 'f_half' }),
      km.metrics.f1Score({ threshold: 0.3 }),
    ], 4);
    expect(f2).toBeCloseTo(mean(referenceScores(predicted, truth, 2).perClass), 6);
    expect(f2micro).toBeCloseTo(referenceScores(predicted, truth, 2).micro, 6);
    expect(fHalf).toBeCloseTo(mean(referenceScores(predicted, truth, 0.5).perClass), 6);
    expect(f1).toBeCloseTo(mean(referenceScores(predicted, truth, 1).perClass), 6);
    expect(new Set([f2, fHalf, f1]).size).toBe(3);
  });

  it('bad options, a regressor and a single output column without a threshold get errors that name the fix', async () => {
    expect(() => km.metrics.f1Score({ average: null as never })).toThrow(/average null \(one score per class\) is not supported: logs and History hold one number per metric. Received: average=null. Use 'macro', 'micro' or 'weighted'/);
    expect(() => km.metrics.fBetaScore({ average: 'samples' as never })).toThrow(/average must be 'micro', 'macro' or 'weighted'. Received: average="samples"/);
    expect(() => km.metrics.fBetaScore({ beta: 0 })).toThrow(/beta must be a number > 0. Received: beta=0/);
    expect(() => km.metrics.f1Score({ threshold: 0 })).toThrow(/threshold must verify 0 < threshold <= 1. Received: threshold=0/);
    expect(() => km.metrics.f1Score({ threshold: 1.5 })).toThrow(/Received: threshold=1.5/);
    expect(() => km.metrics.f1Score({ beta: 2 } as never)).toThrow(/km.metrics.f1Score has no option 'beta'/);
    await expect(metricValues([[0.3, 2.1]], km.tensor([[0.5, 2.5]]), 'mse', ['f1_score'])).rejects.toThrow(
      /Metric 'f1_score' counts 0\/1 targets \(one-hot or multi-label rows\), but received the target value 0.5 at position 0, column 0. It scores classifiers; for a regressor use 'r2Score'/,
    );
    await expect(metricValues([[0.3]], km.tensor([[1]]), 'binaryCrossentropy', ['f1_score'])).rejects.toThrow(/single column.*Give a threshold for a sigmoid output, e.g. km.metrics.f1Score\(\{ threshold: 0.5 \}\)/);
  });
});
