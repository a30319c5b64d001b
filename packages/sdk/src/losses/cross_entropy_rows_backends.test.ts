import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import type { Backend, BufferId } from '../backend/backend.js';
import * as km from '../index.js';
import { BACKENDS_HERE, deviceIO, onTfjsCpu, runsOn } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';
import { expectSgdStepMatchesLoss, finiteDifferenceGradient } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// Categorical and sparse categorical cross-entropy of probabilities on outputs whose rows do not sum
// to 1 (sigmoid, linear): Keras 3 and tfjs-layers 4.22 divide each row by its sum, clip to
// [ε, 1 − ε], then take −Σ t·log q. On every backend that runs here: the kernels against a float64
// loop and finite differences of it, training with label smoothing and sample weights, and the
// losses, the metric and a few epochs of training against tfjs-layers itself.
const EPS = 1e-7;
const sum = (v: readonly number[]) => v.reduce((a, b) => a + b, 0);

/** Keras 3's per-row categorical cross-entropy on probabilities, in float64. */
function crossEntropyRows(p: readonly number[], t: readonly number[], cols: number): number[] {
  return Array.from({ length: p.length / cols }, (_, r) => {
    const row = p.slice(r * cols, (r + 1) * cols);
    const s = sum(row);
    return -sum(row.map((v, c) => t[r * cols + c] * Math.log(Math.min(Math.max(v / s, EPS), 1 - EPS))));
  });
}

const oneHot = (labels: readonly number[], cols: number, smoothing = 0) =>
  labels.flatMap((label) => Array.from({ length: cols }, (_, c) => (c === label ? 1 - smoothing : 0) + smoothing / cols));

describe.each(BACKENDS_HERE)('categorical cross-entropies on rows that do not sum to 1, backend %s', (name) => {
  let b: Backend;
  const { upload, download } = deviceIO(() => b);
  runsOn(name, (current) => (b = current));

  const [rows, cols] = [5, 7];
  const random = new Random(37);
  const p = Float32Array.from({ length: rows * cols }, () => random.uniform(0.02, 0.9));
  const labels = Array.from({ length: rows }, (_, r) => (3 * r + 1) % cols);
  const weights = Float32Array.from([0.5, 0, 2, 1, 1.5]);

  /** The kernel on `p` against `targets` (labels when `sparse`; `t` their rows): loss and gradient as Keras' formula, at gradScale 0.5, then weighted. */
  async function expectKernelFollowsKeras(targets: BufferId, sparse: boolean, t: readonly number[]): Promise<void> {
    const f = (v: number[], w?: Float32Array) => sum(crossEntropyRows(v, t, cols).map((l, r) => (w ? w[r] : 1) * l));
    const [pp, pg, pw] = [p, new Float32Array(rows * cols), weights].map(upload);
    expect(await b.categoricalCrossEntropy(pp, targets, sparse, pg, rows, cols, 0.5)).toBeCloseTo(f(Array.from(p)), 4);
    expectClose(await download(pg, rows * cols), finiteDifferenceGradient(Array.from(p), (v) => 0.5 * f(v)), 2e-4);
    expect(await b.categoricalCrossEntropy(pp, targets, sparse, pg, rows, cols, 1, pw)).toBeCloseTo(f(Array.from(p), weights), 4);
    expectClose(await download(pg, rows * cols), finiteDifferenceGradient(Array.from(p), (v) => f(v, weights)), 2e-4);
    [pp, pg, pw].forEach((id) => b.free(id));
  }

  it.each([
    ['one-hot targets', oneHot(labels, cols)],
    ['targets smoothed by 0.2', oneHot(labels, cols, 0.2)],
    ['soft targets that do not sum to 1', Array.from({ length: rows * cols }, (_, i) => ((i * 5) % 9) / 10)],
  ] as const)('the dense kernel with %s: loss and gradient, plain and weighted', async (_label, t) => {
    const pt = upload(Float32Array.from(t));
    await expectKernelFollowsKeras(pt, false, t);
    b.free(pt);
  });

  it('the sparse kernel: loss and gradient, plain and weighted, as the dense one on one-hot rows', async () => {
    const pl = upload(Int32Array.from(labels));
    await expectKernelFollowsKeras(pl, true, oneHot(labels, cols));
    b.free(pl);
  });

  it('no slope through a clipped entry; the others still feel the row sum', async () => {
    const q = Float32Array.from([1e-9, 0.4, 0.6]);
    const [pp, pt, pg] = [q, Float32Array.from([0.5, 0.5, 0]), new Float32Array(3)].map(upload);
    const s = 1 + 1e-9;
    expect(await b.categoricalCrossEntropy(pp, pt, false, pg, 1, 3, 1)).toBeCloseTo(-0.5 * Math.log(EPS) - 0.5 * Math.log(0.4 / s), 4);
    expectClose(await download(pg, 3), [0.5 / s, -0.5 / 0.4 + 0.5 / s, 0.5 / s], 1e-5);
    const pl = upload(Int32Array.from([0]));
    expect(await b.categoricalCrossEntropy(pp, pl, true, pg, 1, 3, 1)).toBeCloseTo(-Math.log(EPS), 4);
    expect(Array.from(await download(pg, 3), Math.abs)).toEqual([0, 0, 0]);
    [pp, pt, pg, pl].forEach((id) => b.free(id));
  });

  it.each(['categoricalCrossentropy', 'sparseCategoricalCrossentropy'] as const)(
    'fit a sigmoid output with %s, labelSmoothing 0.2 and sample weights: loss and SGD step against finite differences',
    async (lossName) => {
      const [samples, inputs, units, smoothing] = [6, 4, 3, 0.2];
      const random = new Random(41);
      km.utils.setRandomSeed(3);
      const model = km.sequential([km.layers.dense({ units, activation: 'sigmoid', inputShape: [inputs], biasInitializer: 'glorotUniform' })]);
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 1 }), loss: km.losses[lossName]({ labelSmoothing: smoothing }) });
      const xs = Array.from({ length: samples }, () => Array.from({ length: inputs }, () => random.uniform(-1, 1)));
      const ys = Array.from({ length: samples }, (_, s) => (2 * s + 1) % units);
      const sampleWeight = [0.5, 0, 2, 1, 3, 0.25];
      const t = oneHot(ys, units, smoothing);
      const before = (await Promise.all(model.getWeights().map((w) => w.data()))).flatMap((w) => Array.from(w));
      const meanLoss = (w: number[]) => {
        const probs = xs.flatMap((row) => Array.from({ length: units }, (_, j) => 1 / (1 + Math.exp(-(w[inputs * units + j] + sum(row.map((v, i) => v * w[i * units + j])))))));
        return sum(crossEntropyRows(probs, t, units).map((l, s) => sampleWeight[s] * l)) / samples;
      };
      const x = km.tensor(xs);
      const y = lossName === 'sparseCategoricalCrossentropy' ? km.tensor(ys, undefined, 'int32') : km.tensor(oneHot(ys, units), [samples, units]);
      const { history } = await model.fit(x, y, { epochs: 1, batchSize: samples, shuffle: false, verbose: 0, sampleWeight });
      expect(history.loss[0]).toBeCloseTo(meanLoss(before), 5);
      const after = (await Promise.all(model.getWeights().map((w) => w.data()))).flatMap((w) => Array.from(w));
      const gradient = expectSgdStepMatchesLoss(before, after, meanLoss);
      expect(gradient.some((g) => Math.abs(g) > 1e-3)).toBe(true);
    },
  );

  it('the audit rows: losses and the categorical_crossentropy metric equal tfjs-layers 4.22 (1.09861, not 1.15129)', async () => {
    const x = [0.2, 0.3, 0.1, 0.5, 0.5, 0.5]; // rows summing to 0.6 and 1.5
    const y = [1, 0, 0, 0, 0, 1];
    // tfjs-layers exports no sparse metric function; its sparse loss is this one on one-hot rows.
    const expected = await onTfjsCpu(name, () => tf.mean(tfl.metrics.categoricalCrossentropy(tf.tensor2d(y, [2, 3]), tf.tensor2d(x, [2, 3]))).dataSync()[0]);
    expect(expected).toBeCloseTo(Math.log(3), 5);
    const identity = km.sequential([km.layers.identity({ inputShape: [3] })]);
    identity.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['categorical_crossentropy'] });
    const [loss, metric] = await identity.evaluate(km.tensor(x, [2, 3]), km.tensor(y, [2, 3]), { verbose: 0 });
    expect(loss).toBeCloseTo(expected, 5);
    expect(metric).toBeCloseTo(expected, 5);
    identity.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['sparse_categorical_crossentropy'] });
    const [sparseLoss, sparseMetric] = await identity.evaluate(km.tensor(x, [2, 3]), km.tensor([0, 2], [2], 'int32'), { verbose: 0 });
    expect(sparseLoss).toBeCloseTo(expected, 5);
    expect(sparseMetric).toBeCloseTo(expected, 5);
  });

  it.each(['categoricalCrossentropy', 'sparseCategoricalCrossentropy'] as const)('training a sigmoid output with %s follows tfjs-layers 4.22', async (loss) => {
    const [samples, inputs, units] = [6, 4, 3];
    const random = new Random(43);
    const xs = Float32Array.from({ length: samples * inputs }, () => random.uniform(-1, 1));
    const labels = Array.from({ length: samples }, (_, s) => (s * 2) % units);
    const sparse = loss === 'sparseCategoricalCrossentropy';
    km.utils.setRandomSeed(12);
    const ours = km.sequential([km.layers.dense({ units, activation: 'sigmoid', inputShape: [inputs], biasInitializer: 'glorotUniform' })]);
    const weights = await Promise.all(ours.getWeights().map(async (w) => ({ values: await w.data(), shape: [...w.shape] })));
    const fitArgs = { epochs: 4, batchSize: 3, shuffle: false, verbose: 0 as const };
    const expected = await onTfjsCpu(name, async () => {
      const theirs = tfl.sequential({ layers: [tfl.layers.dense({ units, activation: 'sigmoid', inputShape: [inputs] })] });
      theirs.setWeights(weights.map((w) => tf.tensor(w.values, w.shape)));
      theirs.compile({ optimizer: tf.train.sgd(0.5), loss });
      const y = sparse ? tf.tensor2d(labels, [samples, 1]) : tf.tensor2d(oneHot(labels, units), [samples, units]);
      const history = await theirs.fit(tf.tensor2d(xs, [samples, inputs]), y, fitArgs);
      return history.history.loss as number[];
    });
    ours.compile({ optimizer: km.optimizers.sgd(0.5), loss });
    const y = sparse ? km.tensor(labels, undefined, 'int32') : km.tensor(oneHot(labels, units), [samples, units]);
    const { history } = await ours.fit(km.tensor(xs, [samples, inputs]), y, fitArgs);
    expect(expected[3]).not.toBeCloseTo(expected[0], 3);
    history.loss.forEach((l, e) => expect(l).toBeCloseTo(expected[e], 4));
  });
});
