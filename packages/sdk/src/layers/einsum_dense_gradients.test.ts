import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';
import { EINSUM_CASES, einsumDenseReference, type EinsumCase } from '../testing/einsum_reference.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// EinsumDense's gradients (kernel, bias, and its input's, seen through a Dense before it) against
// float64 central differences of the mean squared error of a naive forward pass; then a model with
// it trains in fit.
beforeAll(() => km.ready());

const [BATCH, FEATURES] = [3, 2];

/** Dense(units = the case's last input axis) on [..., FEATURES] samples, then the case's EinsumDense. */
function sandwich(c: EinsumCase, trainable = true): { model: km.LayersModel; xShape: number[]; xs: number[]; ys: number[] } {
  km.utils.setRandomSeed(13);
  const units = c.input[c.input.length - 1];
  const inner = [...c.input.slice(0, -1), FEATURES];
  const einsum = km.layers.einsumDense({ equation: c.equation, outputShape: c.outputShape, biasAxes: c.biasAxes, activation: c.activation, trainable });
  const model = km.sequential([km.layers.dense({ units, inputShape: inner, biasInitializer: 'glorotUniform' }), einsum]);
  const random = new Random(29);
  const weights = model.getWeights();
  if (c.bias) weights[3] = km.tensor(Array.from({ length: weights[3].size }, () => random.uniform(-1, 1)), weights[3].shape);
  model.setWeights(weights);
  const xShape = [BATCH, ...inner];
  const xs = Array.from({ length: xShape.reduce((a, b) => a * b, 1) }, () => random.uniform(-1.5, 1.5));
  const ys = Array.from({ length: BATCH * c.output.reduce((a, b) => a * b, 1) }, () => random.uniform(-1, 1));
  return { model, xShape, xs, ys };
}

/** The mean squared error of the sandwich in float64, from its weights [denseKernel, denseBias, kernel, bias?]. */
function lossOf(c: EinsumCase, weights: number[][], xs: readonly number[], xShape: readonly number[], ys: readonly number[]): number {
  const [dk, db, kernel, bias] = weights;
  const units = db.length;
  const rows = xs.length / FEATURES;
  const hidden: number[] = [];
  for (let r = 0; r < rows; r++) for (let u = 0; u < units; u++) hidden.push(Array.from({ length: FEATURES }, (_, f) => xs[r * FEATURES + f] * dk[f * units + u]).reduce((a, b) => a + b, db[u]));
  const hShape = [...xShape.slice(0, -1), units];
  const { values } = einsumDenseReference(c.equation, hidden, hShape, kernel, c.kernel, bias ?? null, c.bias, c.activation);
  return values.reduce((s, v, i) => s + (v - ys[i]) ** 2, 0) / values.length;
}

async function expectCaseGradients(c: EinsumCase): Promise<void> {
  const { model, xShape, xs, ys } = sandwich(c);
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  const expected = finiteDifferences(weights, () => lossOf(c, weights, xs, xShape, ys));
  const actual = await kerasmGradients(model, 'meanSquaredError', km.tensor(xs, xShape), km.tensor(ys, [BATCH, ...c.output]));
  expectGradientsClose(actual, expected, ['dense kernel', 'dense bias', 'kernel', 'bias']);
}

describe('EinsumDense gradients against float64 finite differences', () => {
  it.each(EINSUM_CASES)('$equation, biasAxes $biasAxes, $activation', async (c) => {
    await expectCaseGradients(c);
  });

  it('a frozen EinsumDense keeps its weights and still passes the gradient to the layer before it', async () => {
    const c = EINSUM_CASES.find((e) => e.equation === 'abcd,cbe->aebc')!;
    const { model, xShape, xs, ys } = sandwich(c, false);
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const expected = finiteDifferences(weights, () => lossOf(c, weights, xs, xShape, ys));
    const actual = await kerasmGradients(model, 'meanSquaredError', km.tensor(xs, xShape), km.tensor(ys, [BATCH, ...c.output]));
    expectGradientsClose(actual.slice(0, 2), expected.slice(0, 2), ['dense kernel', 'dense bias']);
    expect(actual.slice(2).every((g) => g.every((v) => v === 0))).toBe(true);
  });
});

describe.each(BACKENDS_HERE.filter((name) => name !== 'wasm'))('EinsumDense gradients on %s', (backendName) => {
  beforeAll(() => useBackend(backendName));
  afterAll(() => useBackend('wasm'));

  // Batched axes (grouped products), a summed axis, reordered kernel and output, a bias spread over an axis.
  it.each(EINSUM_CASES.filter((c) => ['abc,bcd->abd', 'abcd,cbe->aebc', 'ab...,bc->ac...'].includes(c.equation)))('$equation', async (c) => {
    await expectCaseGradients(c);
  });
});

describe('EinsumDense in fit', () => {
  it("learns a teacher's multi-head projection: the loss falls to a small fraction of where it started", async () => {
    km.utils.setRandomSeed(3);
    const equation = 'abc,cde->abde';
    const teacher = km.sequential([km.layers.einsumDense({ equation, outputShape: [null, 2, 3], biasAxes: 'de', biasInitializer: 'randomNormal', inputShape: [4, 5] })]);
    const random = new Random(8);
    const x = km.tensor(Array.from({ length: 64 * 4 * 5 }, () => random.uniform(-1, 1)), [64, 4, 5]);
    const y = teacher.predict(x);
    const student = km.sequential([km.layers.einsumDense({ equation, outputShape: [null, 2, 3], biasAxes: 'de', inputShape: [4, 5] })]);
    student.compile({ optimizer: km.optimizers.adam({ learningRate: 0.05 }), loss: 'meanSquaredError' });
    const history = await student.fit(x, y, { epochs: 40, batchSize: 16, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan(0.02 * losses[0]);
  });
});
