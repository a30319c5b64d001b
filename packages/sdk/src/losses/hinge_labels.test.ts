import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';
import { expectSgdStepMatchesLoss } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// Keras' hinge losses and metrics (keras/src/losses/losses.py, convert_binary_labels_to_hinge)
// turn 0/1 labels into −1/1 only when every label of the batch is 0 or 1; a batch that mixes in
// other values (−1, 0 and 1) is taken as it is, its 0s as 0.

const [N, IN, OUT, BATCH] = [8, 4, 3, 4];
const random = new Random(31);
const xs = Array.from({ length: N }, () => Array.from({ length: IN }, () => random.uniform(-1, 1)));
// The first batch holds only 0s and 1s; the second mixes in −1.
const ys = Array.from({ length: N }, (_, s) => Array.from({ length: OUT }, (_, j) => (s < BATCH ? (s + j) % 2 : ((s + j) % 3) - 1)));

/** Keras' batch loss in float64: labels converted or not as a whole, then the mean of the terms. */
function kerasBatchLoss(predictions: number[][], labels: number[][], squared: boolean): number {
  const binary = labels.every((row) => row.every((t) => t === 0 || t === 1));
  const terms = predictions.flatMap((row, s) => row.map((p, j) => {
    const t = binary ? 2 * labels[s][j] - 1 : labels[s][j];
    const margin = Math.max(1 - t * p, 0);
    return squared ? margin * margin : margin;
  }));
  return terms.reduce((a, b) => a + b, 0) / terms.length;
}

/** The Dense layer's outputs for samples `from`..`to` under flat parameters (kernel, then bias). */
function dense(params: number[], from: number, to: number): number[][] {
  return xs.slice(from, to).map((row) => Array.from({ length: OUT }, (_, j) => params[IN * OUT + j] + row.reduce((acc, v, i) => acc + v * params[i * OUT + j], 0)));
}

describe.each(BACKENDS_HERE)('hinge and squared hinge label conversion, per batch as Keras (%s)', (backendName) => {
  beforeAll(() => useBackend(backendName));
  afterAll(() => useBackend('wasm'));

  it.each([
    ['hinge', false],
    ['squared_hinge', true],
  ] as const)('%s: the loss and its metric convert the 0/1 batch and not the mixed one; the gradient follows', async (loss, squared) => {
    km.utils.setRandomSeed(6);
    const model = km.sequential([km.layers.dense({ units: OUT, inputShape: [IN], biasInitializer: 'glorotUniform' })]);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 1 }), loss, metrics: [loss] });
    const params = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    const batchLoss = (p: number[], from: number, to: number) => kerasBatchLoss(dense(p, from, to), ys.slice(from, to), squared);

    const expected = (batchLoss(params, 0, BATCH) + batchLoss(params, BATCH, N)) / 2;
    const [value, metric] = await model.evaluate(km.tensor(xs), km.tensor(ys), { batchSize: BATCH, verbose: 0 });
    expect(value).toBeCloseTo(expected, 5);
    expect(metric).toBeCloseTo(expected, 5);
    // Taking each 0 as −1 everywhere, as kerasm did, gives another value.
    const zerosAsMinusOne = (batchLoss(params, 0, BATCH) + kerasBatchLoss(dense(params, BATCH, N), ys.slice(BATCH, N).map((r) => r.map((t) => t || -1)), squared)) / 2;
    expect(Math.abs(zerosAsMinusOne - expected)).toBeGreaterThan(0.05);

    // One SGD step (lr 1) on the mixed batch, then on the 0/1 batch: each moves by its own gradient.
    for (const [from, to] of [[BATCH, N], [0, BATCH]]) {
      const before = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
      await model.fit(km.tensor(xs.slice(from, to)), km.tensor(ys.slice(from, to)), { epochs: 1, batchSize: to - from, shuffle: false, verbose: 0 });
      const after = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
      const gradient = expectSgdStepMatchesLoss(before, after, (p) => batchLoss(p, from, to));
      expect(gradient.some((g) => Math.abs(g) > 1e-3)).toBe(true);
    }
  });
});
