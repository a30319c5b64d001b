import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { metricValues } from '../testing/identity_model.js';

beforeAll(() => km.ready());

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** Textbook Pearson r = Σ(t − t̄)(p − p̄) / √(Σ(t − t̄)² Σ(p − p̄)²), in float64. */
function pearsonR(t: number[], p: number[]): number {
  const [mt, mp] = [mean(t), mean(p)];
  const covariance = t.reduce((a, v, i) => a + (v - mt) * (p[i] - mp), 0);
  return covariance / Math.sqrt(t.reduce((a, v) => a + (v - mt) ** 2, 0) * p.reduce((a, v) => a + (v - mp) ** 2, 0));
}

/** Lin's concordance 2·s_tp / (s_t² + s_p² + (t̄ − p̄)²), population moments, in float64. */
function linConcordance(t: number[], p: number[]): number {
  const [mt, mp] = [mean(t), mean(p)];
  const cov = mean(t.map((v, i) => (v - mt) * (p[i] - mp)));
  return (2 * cov) / (mean(t.map((v) => (v - mt) ** 2)) + mean(p.map((v) => (v - mp) ** 2)) + (mt - mp) ** 2);
}

describe('pearsonCorrelation and concordanceCorrelation', () => {
  it("reproduce Keras 3.6's documented examples", async () => {
    const truth = km.tensor([[0, 1, 0.5], [1, 1, 0.2]]);
    const preds = [[0.1, 0.9, 0.5], [1, 0.9, 0.2]];
    const [pearson, concordance] = await metricValues(preds, truth, 'mse', ['pearson_correlation', 'concordance_correlation']);
    expect(pearson).toBeCloseTo(0.9966996338993913, 5);
    expect(concordance).toBeCloseTo(0.9816320385426076, 5);
  });

  it('average each row’s correlation over every sample and position of the epoch, as a float64 loop does', async () => {
    const random = new Random(41);
    const ys = Array.from({ length: 11 }, () => Array.from({ length: 3 }, () => Array.from({ length: 5 }, () => random.uniform(-2, 2))));
    const preds = ys.map((sample) => sample.map((row) => row.map((y) => 0.7 * y + 0.3 + random.uniform(-1, 1))));
    const rows = (a: number[][][]) => a.flat();
    const expectedPearson = mean(rows(ys).map((t, r) => pearsonR(t, rows(preds)[r])));
    const expectedConcordance = mean(rows(ys).map((t, r) => linConcordance(t, rows(preds)[r])));
    const values = await metricValues(preds, km.tensor(ys), 'mse', ['pearsonCorrelation', km.metrics.pearsonCorrelation({ name: 'pcc' }), 'concordanceCorrelation', km.metrics.concordanceCorrelation({ axis: -1, name: 'ccc' })], 4);
    expect(values[0]).toBeCloseTo(expectedPearson, 5);
    expect(values[1]).toBe(values[0]);
    expect(values[2]).toBeCloseTo(expectedConcordance, 5);
    expect(values[3]).toBe(values[2]);
    // Concordance also penalizes the offset and scale that Pearson ignores.
    expect(expectedConcordance).toBeLessThan(expectedPearson - 0.05);
  });

  it('bad options and integer labels get errors that name the fix', async () => {
    expect(() => km.metrics.pearsonCorrelation({ axis: 0 })).toThrow(/pearsonCorrelation: axis must be -1: each output row is correlated with its target row along the last axis. Received: axis=0/);
    expect(() => km.metrics.concordanceCorrelation({ axes: -1 } as never)).toThrow(/km.metrics.concordanceCorrelation has no option 'axes'; did you mean 'axis'\?/);
    await expect(metricValues([[0.2, 0.8]], km.tensor([1], undefined, 'int32'), 'sparseCategoricalCrossentropy', ['concordance_correlation'])).rejects.toThrow(
      /Metric 'concordance_correlation' correlates each output row with a real-valued target row, but the compiled loss takes integer class labels. Compile with a regression loss/,
    );
  });
});
