import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { metricValues } from '../testing/identity_model.js';

beforeAll(() => km.ready());

const column = (v: number[]) => v.map((x) => [x]);

/**
 * Keras' n thresholds over [0, 1] (0.5 alone for n = 1), and at each the rates of `p > t` against
 * non-zero truths, in float64. With n > 1 the thresholds are evenly spaced and Keras clips the
 * outputs to [0, 1] first (metrics_utils._update_confusion_matrix_variables_optimized).
 */
function referenceRates(preds: number[], truth: number[], n: number) {
  const thresholds = n === 1 ? [0.5] : Array.from({ length: n }, (_, i) => i / (n - 1));
  const scored = n === 1 ? preds : preds.map((p) => Math.min(Math.max(p, 0), 1));
  return thresholds.map((t) => {
    let tp = 0, fp = 0, tn = 0, fn = 0;
    scored.forEach((p, i) => {
      if (p > t) truth[i] ? tp++ : fp++;
      else truth[i] ? fn++ : tn++;
    });
    const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
    return { recall: ratio(tp, tp + fn), precision: ratio(tp, tp + fp), specificity: ratio(tn, tn + fp) };
  });
}

type Rates = ReturnType<typeof referenceRates>[number];
/** The largest `dependent` rate over the thresholds whose `constrained` rate reaches `value`; 0 if none does. */
function bestUnder(rates: Rates[], constrained: keyof Rates, value: number, dependent: keyof Rates): number {
  return Math.max(0, ...rates.filter((r) => r[constrained] >= value).map((r) => r[dependent]));
}

describe('metrics read off the confusion curve', () => {
  it("reproduce Keras 3's documented examples", async () => {
    const preds = column([0, 0.3, 0.8, 0.3, 0.8]);
    const truth = km.tensor(column([0, 0, 0, 1, 1]));
    const values = await metricValues(preds, truth, 'binaryCrossentropy', [
      km.metrics.sensitivityAtSpecificity({ specificity: 0.5 }),
      km.metrics.specificityAtSensitivity({ sensitivity: 0.5 }),
      km.metrics.precisionAtRecall({ recall: 0.5 }),
    ]);
    expect(values[0]).toBeCloseTo(0.5, 6);
    expect(values[1]).toBeCloseTo(2 / 3, 6);
    expect(values[2]).toBeCloseTo(0.5, 6);
    const [recall] = await metricValues(column([0, 0.5, 0.3, 0.9]), km.tensor(column([0, 0, 1, 1])), 'binaryCrossentropy', [km.metrics.recallAtPrecision({ precision: 0.8 })]);
    expect(recall).toBeCloseTo(0.5, 6);
  });

  it('follow a float64 loop over the thresholds, counted over several batches, for every column or one classId', async () => {
    const random = new Random(31);
    const preds = Array.from({ length: 29 }, () => [random.next(), random.next()]);
    const truth = preds.map((row) => row.map((p) => (random.next() < p ? 1 : 0)));
    for (const [numThresholds, classId] of [[200, undefined], [7, 1], [1, 0]] as const) {
      const options = { numThresholds, ...(classId === undefined ? {} : { classId }) };
      const values = await metricValues(preds, km.tensor(truth), 'binaryCrossentropy', [
        km.metrics.precisionAtRecall({ recall: 0.6, ...options }),
        km.metrics.recallAtPrecision({ precision: 0.7, ...options }),
        km.metrics.sensitivityAtSpecificity({ specificity: 0.55, ...options }),
        km.metrics.specificityAtSensitivity({ sensitivity: 0.65, ...options }),
      ], 4);
      const scored = (rows: number[][]) => (classId === undefined ? rows.flat() : rows.map((row) => row[classId]));
      const rates = referenceRates(scored(preds), scored(truth), numThresholds);
      expect(values[0]).toBeCloseTo(bestUnder(rates, 'recall', 0.6, 'precision'), 6);
      expect(values[1]).toBeCloseTo(bestUnder(rates, 'precision', 0.7, 'recall'), 6);
      expect(values[2]).toBeCloseTo(bestUnder(rates, 'specificity', 0.55, 'recall'), 6);
      expect(values[3]).toBeCloseTo(bestUnder(rates, 'recall', 0.65, 'specificity'), 6);
      expect(new Set(values).size).toBeGreaterThan(1);
    }
  });

  it('clip outputs outside [0, 1] first, as Keras: an output above 1 is not above the last threshold, 1', async () => {
    // numThresholds 3: thresholds [0, 0.5, 1]. Clipped outputs [0.8, 1, 0.3, 0.6, 0, 0.7]: at 0, TP 2 FP 3; at 0.5,
    // TP 2 FP 2; at 1, none. Recall at precision ≥ 0.5 is 1; precision at recall ≥ 0.5 is 0.5 (unclipped, 2 > 1 gave 1).
    const x = column([0.8, 2, 0.3, 0.6, -0.4, 0.7]);
    const y = km.tensor(column([0, 1, 0, 1, 0, 0]));
    const [recall, precision] = await metricValues(x, y, 'meanSquaredError', [
      km.metrics.recallAtPrecision({ precision: 0.5, numThresholds: 3 }),
      km.metrics.precisionAtRecall({ recall: 0.5, numThresholds: 3 }),
    ], 6);
    expect([recall, precision]).toEqual([1, 0.5]);
    // A linear output spread over [−1, 2], against the float64 loop on the clipped values.
    const random = new Random(41);
    const preds = Array.from({ length: 40 }, () => random.uniform(-1, 2));
    const truth = preds.map((p) => (random.next() < (p + 1) / 3 ? 1 : 0));
    const values = await metricValues(column(preds), km.tensor(column(truth)), 'meanSquaredError', [
      km.metrics.precisionAtRecall({ recall: 0.9, numThresholds: 11 }),
      km.metrics.specificityAtSensitivity({ sensitivity: 0.95, numThresholds: 11 }),
      km.metrics.sensitivityAtSpecificity({ specificity: 0.99, numThresholds: 11 }),
    ], 8);
    const rates = referenceRates(preds, truth, 11);
    expect(values[0]).toBeCloseTo(bestUnder(rates, 'recall', 0.9, 'precision'), 6);
    expect(values[1]).toBeCloseTo(bestUnder(rates, 'recall', 0.95, 'specificity'), 6);
    expect(values[2]).toBeCloseTo(bestUnder(rates, 'specificity', 0.99, 'recall'), 6);
  });

  it('bad options and integer labels get errors that name the fix', async () => {
    expect(() => km.metrics.precisionAtRecall({} as never)).toThrow(/precisionAtRecall: recall is required: the recall in \[0, 1\] that the metric is read at, e.g. km.metrics.precisionAtRecall\(\{ recall: 0.8 \}\)/);
    expect(() => km.metrics.precisionAtRecall({ recall: 1.5 })).toThrow(/precisionAtRecall: recall must be in \[0, 1\]. Received: recall=1.5/);
    expect(() => km.metrics.recallAtPrecision({ precision: -0.1 })).toThrow(/precision must be in \[0, 1\]. Received: precision=-0.1/);
    expect(() => km.metrics.sensitivityAtSpecificity({ specificity: 0.5, numThresholds: 0 })).toThrow(/numThresholds must be an integer > 0. Received: numThresholds=0/);
    expect(() => km.metrics.specificityAtSensitivity({ sensitivity: 0.5, classId: -1 })).toThrow(/classId must be an output column index, an integer >= 0. Received: classId=-1/);
    expect(() => km.metrics.specificityAtSensitivity({ specificity: 0.5 } as never)).toThrow(/km.metrics.specificityAtSensitivity has no option 'specificity'/);
    await expect(metricValues([[0.2, 0.8]], km.tensor([[0, 1]]), 'binaryCrossentropy', [km.metrics.precisionAtRecall({ recall: 0.5, classId: 2 })])).rejects.toThrow(
      /Metric 'precision_at_recall': classId must be an output column in \[0, 1\]. Received: classId=2/,
    );
    await expect(metricValues([[0.2, 0.8]], km.tensor([1], undefined, 'int32'), 'sparseCategoricalCrossentropy', [km.metrics.recallAtPrecision({ precision: 0.5 })])).rejects.toThrow(
      /Metric 'recall_at_precision' compares each output with a 0\/1 target of the same shape, but the loss takes integer labels/,
    );
  });
});
