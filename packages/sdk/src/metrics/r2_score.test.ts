import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs' r2Score calls chained tensor methods, which the union package registers and tfjs-core alone does not.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { metricValues } from '../testing/identity_model.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

/** R² of each column in float64, then combined as Keras 3 does. */
function referenceR2(preds: number[][], ys: number[][], aggregation: 'uniform_average' | 'variance_weighted_average', regressors = 0): number {
  const cols = ys[0].length;
  const scores: number[] = [];
  const totals: number[] = [];
  for (let j = 0; j < cols; j++) {
    const mean = ys.reduce((a, row) => a + row[j], 0) / ys.length;
    const total = ys.reduce((a, row) => a + (row[j] - mean) ** 2, 0);
    const residual = ys.reduce((a, row, i) => a + (row[j] - preds[i][j]) ** 2, 0);
    scores.push(1 - residual / total);
    totals.push(total);
  }
  const r2 = aggregation === 'uniform_average' ? scores.reduce((a, b) => a + b, 0) / cols : scores.reduce((a, s, j) => a + s * totals[j], 0) / totals.reduce((a, b) => a + b, 0);
  const n = ys.length * cols;
  return regressors === 0 ? r2 : 1 - ((1 - r2) * (n - 1)) / (n - regressors - 1);
}

describe('r2Score', () => {
  it("Keras 3's documented example: 0.5714", async () => {
    const [r2] = await metricValues([[2], [4], [4]], km.tensor([[1], [4], [3]]), 'mse', ['r2_score']);
    expect(r2).toBeCloseTo(0.57142854, 6);
  });

  it('is taken over the epoch, not averaged per batch: equals tfjs.metrics.r2Score on all the data, batched 3 at a time', async () => {
    const random = new Random(6);
    const ys = Array.from({ length: 17 }, () => [random.uniform(-3, 3)]);
    const preds = ys.map(([y]) => [y + random.uniform(-1, 1)]);
    const reference = tfl.metrics.r2Score(tf.tensor(ys), tf.tensor(preds)).dataSync()[0];
    const [r2, camel] = await metricValues(preds, km.tensor(ys), 'mse', ['r2_score', 'r2Score'], 3);
    expect(r2).toBeCloseTo(reference, 5);
    expect(camel).toBe(r2);
    // A mean of per-batch scores would differ: the first batch alone scores otherwise.
    const [firstBatch] = await metricValues(preds.slice(0, 3), km.tensor(ys.slice(0, 3)), 'mse', ['r2_score'], 3);
    expect(Math.abs(firstBatch - r2)).toBeGreaterThan(1e-3);
  });

  it('combines columns uniformly or by variance, and adjusts for regressors, as a float64 loop does', async () => {
    const random = new Random(7);
    const ys = Array.from({ length: 11 }, () => [random.uniform(-1, 1), random.uniform(-5, 5), random.uniform(0, 2)]);
    const preds = ys.map((row) => row.map((y, j) => y + random.uniform(-1, 1) * (j + 1) * 0.4));
    const metrics = [km.metrics.r2Score(), km.metrics.r2Score({ classAggregation: 'variance_weighted_average', name: 'vw' }), km.metrics.r2Score({ numRegressors: 4, name: 'adjusted' })];
    const [uniform, weighted, adjusted] = await metricValues(preds, km.tensor(ys), 'mse', metrics, 4);
    expect(uniform).toBeCloseTo(referenceR2(preds, ys, 'uniform_average'), 6);
    expect(weighted).toBeCloseTo(referenceR2(preds, ys, 'variance_weighted_average'), 6);
    expect(adjusted).toBeCloseTo(referenceR2(preds, ys, 'uniform_average', 4), 6);
    expect(new Set([uniform, weighted, adjusted]).size).toBe(3);
  });

  it('as a weighted metric, the adjusted score\'s n counts every target value, zero-weight samples included, as Keras', async () => {
    const random = new Random(8);
    const ys = Array.from({ length: 10 }, () => [random.uniform(-2, 2), random.uniform(0, 3)]);
    const preds = ys.map((row) => row.map((y) => y + random.uniform(-0.8, 0.8)));
    const weights = ys.map((_, i) => (i % 3 === 0 ? 0 : 0.5 + i / 4));
    // Keras 3's R2Score: weighted sums per column, n += size(y_true) on every update whatever the weights.
    const cols = 2;
    const scores = Array.from({ length: cols }, (_, j) => {
      const [sw, swy, swyy, swd] = ys.reduce(([a, b, c, d], row, i) => [a + weights[i], b + weights[i] * row[j], c + weights[i] * row[j] ** 2, d + weights[i] * (row[j] - preds[i][j]) ** 2], [0, 0, 0, 0]);
      return 1 - swd / (swyy - (swy * swy) / sw);
    });
    const r2 = (scores[0] + scores[1]) / cols;
    const [n, p] = [ys.length * cols, 5];
    const model = km.sequential([km.layers.identity({ inputShape: [cols] })]);
    model.compile({ optimizer: 'sgd', loss: 'mse', weightedMetrics: [km.metrics.r2Score({ numRegressors: p, name: 'adjusted' }), km.metrics.r2Score({ name: 'plain' })] });
    const logs = (await model.evaluate(km.tensor(preds), km.tensor(ys), { batchSize: 4, sampleWeight: km.tensor(weights), verbose: 0, returnDict: true })) as Record<string, number>;
    expect(logs.plain).toBeCloseTo(r2, 5);
    expect(logs.adjusted).toBeCloseTo(1 - ((1 - r2) * (n - 1)) / (n - p - 1), 5);
  });

  it('bad options and label targets get errors that say what to do', async () => {
    expect(() => km.metrics.r2Score({ classAggregation: null as never })).toThrow(/classAggregation null \(one score per output column\) is not supported.*Received: classAggregation=null/);
    expect(() => km.metrics.r2Score({ classAggregation: 'mean' as never })).toThrow(/classAggregation must be 'uniform_average' or 'variance_weighted_average'. Received: classAggregation="mean"/);
    expect(() => km.metrics.r2Score({ numRegressors: -1 })).toThrow(/numRegressors must be an integer >= 0. Received: numRegressors=-1/);
    await expect(metricValues([[0.2, 0.8]], km.tensor([1], undefined, 'int32'), 'sparseCategoricalCrossentropy', ['r2_score'])).rejects.toThrow(
      /Metric 'r2_score' scores real-valued predictions.*integer class labels. R² is for regression: compile with a regression loss such as 'meanSquaredError'/,
    );
  });
});
