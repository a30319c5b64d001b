import { describe, expect, it } from 'vitest';
import type { Backend, BinaryFocalOptions, CategoricalFocalOptions } from './backend.js';
import * as km from '../index.js';
import { backend } from './registry.js';
import { BACKENDS_HERE, deviceIO, runsOn } from '../testing/backends_here.js';
import { expectWasmTrajectory } from '../testing/wasm_trajectory.js';
import { expectClose } from '../testing/expect_close.js';
import { binaryFocalTerms, categoricalFocalRows, overlapCoefficientsOf, overlapReference } from '../testing/focal_reference.js';
import { finiteDifferenceGradient } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// Keras 3's focal cross-entropies, Dice and Tversky on every backend that runs here: sums against
// float64 loops on odd sizes, gradients against finite differences of those loops.
const random = new Random(91);
const uniform = (n: number, lo: number, hi: number) => Float32Array.from({ length: n }, () => random.uniform(lo, hi));
const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);

const binaryCases: [string, BinaryFocalOptions][] = [
  ['probabilities', { gamma: 2, alpha: 0.25, applyClassBalancing: false, labelSmoothing: 0, fromLogits: false }],
  ['logits, class balancing and label smoothing', { gamma: 1.5, alpha: 0.7, applyClassBalancing: true, labelSmoothing: 0.2, fromLogits: true }],
  ['probabilities, class balancing and label smoothing', { gamma: 2, alpha: 0.6, applyClassBalancing: true, labelSmoothing: 0.15, fromLogits: false }],
];
const categoricalCases: [string, CategoricalFocalOptions][] = [
  ['probabilities', { alpha: 0.25, gamma: 2, labelSmoothing: 0, fromLogits: false }],
  ['logits and label smoothing', { alpha: 0.5, gamma: 3, labelSmoothing: 0.1, fromLogits: true }],
];

describe.each(BACKENDS_HERE)('focal and overlap losses on backend %s', (name) => {
  let b: Backend;
  const { upload, download } = deviceIO(() => b);
  runsOn(name, (current) => (b = current));

  it.each(binaryCases)('binary focal cross-entropy from %s, plain and weighted', async (_label, o) => {
    const n = 21;
    const y = o.fromLogits ? uniform(n, -3, 3) : uniform(n, 0.03, 0.97);
    const t = Float32Array.from({ length: n }, (_, i) => (i % 7 === 3 ? 0.4 : i % 3 === 0 ? 1 : 0));
    const weights = Float32Array.from({ length: 7 }, (_, g) => 0.2 * g);
    const f = (v: number[], w?: Float32Array) => sum(binaryFocalTerms(v, Array.from(t), o).map((term, i) => (w ? w[Math.floor(i / 3)] : 1) * term));
    const [py, pt, pg, pw] = [y, t, new Float32Array(n), weights].map(upload);
    expect(await b.binaryFocalCrossEntropy(py, pt, pg, n, 0.5, o)).toBeCloseTo(f(Array.from(y)), 4);
    expectClose(await download(pg, n), finiteDifferenceGradient(Array.from(y), (v) => 0.5 * f(v)), 2e-4);
    expect(await b.binaryFocalCrossEntropy(py, pt, pg, n, 1, o, pw, 3)).toBeCloseTo(f(Array.from(y), weights), 4);
    expectClose(await download(pg, n), finiteDifferenceGradient(Array.from(y), (v) => f(v, weights)), 2e-4);
    [py, pt, pg, pw].forEach((id) => b.free(id));
  });

  it.each(categoricalCases)('categorical focal cross-entropy from %s, rows of an odd width', async (_label, o) => {
    const [rows, cols] = [5, 7];
    const y = o.fromLogits ? uniform(rows * cols, -2, 2) : uniform(rows * cols, 0.02, 0.5);
    const t = Float32Array.from({ length: rows * cols }, (_, i) => (i % cols === (2 * Math.floor(i / cols) + 1) % cols ? 1 : 0));
    const weights = Float32Array.from({ length: rows }, (_, r) => 1 + r);
    const f = (v: number[], w?: Float32Array) => sum(categoricalFocalRows(v, Array.from(t), cols, o).map((row, r) => (w ? w[r] : 1) * row));
    const [py, pt, pprobs, pg, pw] = [y, t, new Float32Array(rows * cols), new Float32Array(rows * cols), weights].map(upload);
    expect(await b.categoricalFocalCrossEntropy(py, pt, pprobs, pg, rows, cols, 0.5, o)).toBeCloseTo(f(Array.from(y)), 4);
    expectClose(await download(pg, rows * cols), finiteDifferenceGradient(Array.from(y), (v) => 0.5 * f(v)), 2e-4);
    expect(await b.categoricalFocalCrossEntropy(py, pt, pprobs, pg, rows, cols, 1, o, pw)).toBeCloseTo(f(Array.from(y), weights), 4);
    expectClose(await download(pg, rows * cols), finiteDifferenceGradient(Array.from(y), (v) => f(v, weights)), 2e-4);
    if (o.fromLogits) {
      const e = Array.from(y.subarray(0, cols), Math.exp);
      expectClose(Array.from(await download(pprobs, cols)), e.map((v) => v / sum(e)), 1e-5);
    }
    [py, pt, pprobs, pg, pw].forEach((id) => b.free(id));
  });

  it.each([
    ['dice', undefined],
    ['tversky α=0.3, β=0.7', { alpha: 0.3, beta: 0.7 }],
  ] as const)('%s over 3 groups of 19 values', async (_label, tversky) => {
    const [groups, size] = [3, 19];
    const y = uniform(groups * size, 0, 1);
    const t = Float32Array.from({ length: groups * size }, (_, i) => ((i * 5) % 7 < 3 ? 1 : 0));
    const f = (v: number[]) => sum(Array.from({ length: groups }, (_, g) => overlapReference(v.slice(g * size, (g + 1) * size), Array.from(t.subarray(g * size, (g + 1) * size)), tversky)));
    const [py, pt, pg] = [y, t, new Float32Array(groups * size)].map(upload);
    const loss = await b.overlapLoss(py, pt, pg, groups, size, 0.5, overlapCoefficientsOf(tversky));
    expect(loss).toBeCloseTo(f(Array.from(y)), 5);
    expectClose(await download(pg, groups * size), finiteDifferenceGradient(Array.from(y), (v) => 0.5 * f(v)), 1e-4);
    [py, pt, pg].forEach((id) => b.free(id));
  });

  it.each([
    ['dice, 3 groups of 12, a weight per 4 values', 3, 4, undefined],
    ['tversky α=0.3, β=0.7, 6 groups of 6, a weight per 12 values', 6, 12, { alpha: 0.3, beta: 0.7 }],
  ] as const)('weighted %s: each group times the sum of its values\' weights', async (_label, groups, repeat, tversky) => {
    const n = 36;
    const size = n / groups;
    const y = uniform(n, 0, 1);
    const t = Float32Array.from({ length: n }, (_, i) => ((i * 5) % 7 < 3 ? 1 : 0));
    const weights = Float32Array.from({ length: n / repeat }, (_, i) => 0.05 + 0.1 * i);
    const groupWeight = (g: number) => sum(Array.from({ length: size }, (_, i) => weights[Math.floor((g * size + i) / repeat)]));
    const f = (v: number[]) => sum(Array.from({ length: groups }, (_, g) => groupWeight(g) * overlapReference(v.slice(g * size, (g + 1) * size), Array.from(t.subarray(g * size, (g + 1) * size)), tversky)));
    const [py, pt, pg, pw] = [y, t, new Float32Array(n), weights].map(upload);
    expect(await b.overlapLoss(py, pt, pg, groups, size, 0.5, overlapCoefficientsOf(tversky), pw, repeat)).toBeCloseTo(f(Array.from(y)), 4);
    expectClose(await download(pg, n), finiteDifferenceGradient(Array.from(y), (v) => 0.5 * f(v)), 1e-4);
    [py, pt, pg, pw].forEach((id) => b.free(id));
  });

  it.each([
    ['binaryFocalCrossentropy (sigmoid output', 'binaryFocalCrossentropy', 'sigmoid'],
    ['categoricalFocalCrossentropy (softmax output', 'categoricalFocalCrossentropy', 'softmax'],
    ['dice (sigmoid output', 'dice', 'sigmoid'],
    ['tversky (sigmoid output', 'tversky', 'sigmoid'],
    ['dice per sample and channel, axis 1, transposed (sigmoid output', km.losses.dice({ axis: 1 }), 'sigmoid'],
  ] as const)('a small model trained with %s, 2 positions per sample) follows the wasm loss trajectory', async (_label, loss, activation) => {
    const random = new Random(23);
    const x = Float32Array.from({ length: 10 * 2 * 4 }, () => random.uniform(-1, 1));
    const y = Float32Array.from({ length: 10 * 2 * 3 }, (_, i) => (activation === 'softmax' ? (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0) : (i * 7) % 5 < 2 ? 1 : 0));
    await expectWasmTrajectory(name, () => ({
      model: km.sequential([km.layers.dense({ units: 5, activation: 'tanh', inputShape: [2, 4] }), km.layers.dense({ units: 3, activation })]),
      x: km.tensor(x, [10, 2, 4]),
      y: km.tensor(y, [10, 2, 3]),
    }), loss, 4);
    b = backend();
  });
});
