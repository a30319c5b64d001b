import { describe, expect, it } from 'vitest';
import type { Backend } from './backend.js';
import { BACKENDS_HERE, deviceIO, runsOn } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';
import { bruteForceCtc } from '../testing/ctc_reference.js';
import { finiteDifferenceGradient } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';
import * as km from '../index.js';
import { backend } from './registry.js';
import { expectWasmTrajectory } from '../testing/wasm_trajectory.js';

// Keras 3's CTC loss kernel on every backend that runs here: the loss against the sum over every
// alignment (brute force, float64), the gradient against finite differences of that sum; then a
// small model trained with loss 'ctc' on each backend against the wasm backend's loss trajectory.
const random = new Random(57);
const uniform = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => random.uniform(lo, hi));

/** Label rows padded with the blank 0 to `cap`. */
function padded(labels: readonly (readonly number[])[], cap: number): Int32Array {
  return Int32Array.from(labels.flatMap((row) => [...row, ...new Array<number>(cap - row.length).fill(0)]));
}

const cases: [string, number, number, number[][]][] = [
  ['distinct labels, an empty sequence and one label', 4, 3, [[1, 2], [], [2]]],
  ['a repeated label (needs a blank between) and a full-length sequence', 5, 3, [[1, 1], [2, 1, 2], [2, 2, 2]]],
  ['more classes than steps', 3, 5, [[4, 1], [3], [1, 4]]],
];

describe.each(BACKENDS_HERE)('CTC loss on backend %s', (name) => {
  let b: Backend;
  const { upload, download } = deviceIO(() => b);
  runsOn(name, (current) => (b = current));

  it.each(cases)('%s: loss matches every alignment summed, gradient its finite differences', async (_label, steps, classes, labels) => {
    const batch = labels.length;
    const cap = steps;
    const size = steps * classes;
    const logits = uniform(batch * size, -2, 2);
    const perSample = (v: number[], s: number) => bruteForceCtc(v.slice(s * size, (s + 1) * size), steps, classes, labels[s]);
    const total = (v: number[], w?: number[]) => labels.reduce((sum, _, s) => sum + (w ? w[s] : 1) * perSample(v, s), 0);
    const [px, pl, pg] = [Float32Array.from(logits), padded(labels, cap), new Float32Array(batch * size)].map(upload);
    expect(await b.ctcLoss(px, pl, pg, batch, steps, classes, cap, 0, 0.5)).toBeCloseTo(total(logits), 4);
    expectClose(await download(pg, batch * size), finiteDifferenceGradient(logits, (v) => 0.5 * total(v)), 2e-4);
    // Weights come one per step and are summed into each sample's weight.
    const stepWeights = Float32Array.from({ length: batch * steps }, (_, i) => 0.1 * (1 + Math.floor(i / steps)) + 0.05 * (i % 2));
    const sampleWeights = labels.map((_, s) => stepWeights.subarray(s * steps, (s + 1) * steps).reduce((a, c) => a + c, 0));
    const pw = upload(stepWeights);
    expect(await b.ctcLoss(px, pl, pg, batch, steps, classes, cap, 0, 1, pw)).toBeCloseTo(total(logits, sampleWeights), 4);
    expectClose(await download(pg, batch * size), finiteDifferenceGradient(logits, (v) => total(v, sampleWeights)), 2e-4);
    [px, pl, pg, pw].forEach((id) => b.free(id));
  });

  it('labels that cannot fit in the steps give +∞ and a zero gradient, without touching the other samples', async () => {
    const [steps, classes] = [3, 3];
    const labels = [[1, 1, 1], [1, 2]];
    const logits = uniform(2 * steps * classes, -1, 1);
    const [px, pl, pg] = [Float32Array.from(logits), padded(labels, steps), new Float32Array(2 * steps * classes).fill(7)].map(upload);
    expect(await b.ctcLoss(px, pl, pg, 1, steps, classes, steps, 0, 1)).toBe(Infinity);
    const grad = await download(pg, 2 * steps * classes);
    expect(grad.subarray(0, steps * classes).every((g) => g === 0)).toBe(true);
    expect(Array.from(grad.subarray(steps * classes))).toEqual(new Array(steps * classes).fill(7));
    [px, pl, pg].forEach((id) => b.free(id));
  });

  it('stays finite and exact on 60 steps of confident logits, where probabilities underflow float32', async () => {
    const [steps, classes] = [60, 4];
    const labels = [1, 2, 2, 3, 1];
    // Each step strongly favours one class, spelling the labels with blanks in between.
    const path = Array.from({ length: steps }, (_, t) => (t % 12 === 5 ? labels[Math.floor(t / 12)] : 0));
    const logits = path.flatMap((c, t) => Array.from({ length: classes }, (_, k) => (k === c ? 30 : -30 + (t % 3))));
    const [px, pl, pg] = [Float32Array.from(logits), padded([labels], steps), new Float32Array(steps * classes)].map(upload);
    const loss = await b.ctcLoss(px, pl, pg, 1, steps, classes, steps, 0, 1);
    expect(Math.abs(loss)).toBeLessThan(1e-6);
    const grad = await download(pg, steps * classes);
    expect(grad.every((g) => Number.isFinite(g) && Math.abs(g) < 1e-5)).toBe(true);
    // The gradient of each step sums to 0 (softmax minus a distribution over the classes).
    const wrong = [...labels.slice(0, 4), 2];
    const pw = upload(padded([wrong], steps));
    expect(await b.ctcLoss(px, pw, pg, 1, steps, classes, steps, 0, 1)).toBeGreaterThan(50);
    const wrongGrad = await download(pg, steps * classes);
    for (let t = 0; t < steps; t++) expect(Math.abs(Array.from(wrongGrad.subarray(t * classes, (t + 1) * classes)).reduce((a, c) => a + c, 0))).toBeLessThan(1e-5);
    [px, pl, pg, pw].forEach((id) => b.free(id));
  });

  it('a small Conv1D model trained with loss ctc follows the wasm loss trajectory', async () => {
    const trajectoryRandom = new Random(31);
    const x = Float32Array.from({ length: 12 * 8 * 3 }, () => trajectoryRandom.uniform(-1, 1));
    const y = padded(Array.from({ length: 12 }, (_, s) => [1 + (s % 3), 1 + ((s * 7) % 3), 2].slice(0, 1 + (s % 3))), 3);
    await expectWasmTrajectory(name, () => ({
      model: km.sequential([km.layers.conv1d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'tanh', inputShape: [8, 3] }), km.layers.dense({ units: 4 })]),
      x: km.tensor(x, [12, 8, 3]),
      y: km.tensor(y, [12, 3], 'int32'),
    }), 'ctc', 4);
    b = backend();
  });
});
