import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';
import { spectralStep } from '../testing/spectral_reference.js';

// SpectralNormalization's training step against a float64 reference written from Keras 3's
// spectral_normalization.py: one power iteration from vector_u, kernel / σ assigned before the Dense
// runs, then the Dense's MSE gradient and an SGD step on the normalized kernel.
beforeAll(() => km.ready());

const KERNEL = [1.5, -0.4, 0.3, 2.2, -1.1, 0.7]; // [3, 2]
const BIAS = [0.1, -0.2];
const U = [0.013, -0.027];
const X = [0.5, -1, 2, 1.5, 0.2, -0.3, -0.7, 0.9, 1.1, 0, -2, 0.4]; // [4, 3]
const T = [1, 0, -1, 2, 0.5, 0.5, 0, -1]; // [4, 2]
const LR = 0.1;

function referenceStep(): { u: number[]; kernel: number[]; bias: number[]; loss: number } {
  const { u, kernel } = spectralStep(KERNEL, U, 3, 2, 1);
  const batch = 4;
  const y = Array.from({ length: batch * 2 }, (_, k) => {
    const [r, j] = [Math.floor(k / 2), k % 2];
    return BIAS[j] + [0, 1, 2].reduce((s, i) => s + X[r * 3 + i] * kernel[i * 2 + j], 0);
  });
  const loss = y.reduce((s, v, k) => s + (v - T[k]) ** 2, 0) / y.length;
  const dy = y.map((v, k) => (2 * (v - T[k])) / y.length);
  const dKernel = kernel.map((_, k) => {
    const [i, j] = [Math.floor(k / 2), k % 2];
    return Array.from({ length: batch }, (_, r) => X[r * 3 + i] * dy[r * 2 + j]).reduce((a, b) => a + b, 0);
  });
  const dBias = [0, 1].map((j) => Array.from({ length: batch }, (_, r) => dy[r * 2 + j]).reduce((a, b) => a + b, 0));
  return { u, kernel: kernel.map((v, k) => v - LR * dKernel[k]), bias: BIAS.map((v, j) => v - LR * dBias[j]), loss };
}

function modelWithWeights(): km.LayersModel {
  const model = km.sequential([km.input({ shape: [3] }), km.layers.spectralNormalization({ layer: km.layers.dense({ units: 2 }), name: 'sn' })]);
  model.setWeights([km.tensor(KERNEL, [3, 2]), km.tensor(BIAS, [2]), km.tensor(U, [1, 2])]);
  model.compile({ optimizer: km.optimizers.sgd({ learningRate: LR }), loss: 'meanSquaredError' });
  return model;
}

async function weightValues(model: km.LayersModel): Promise<number[][]> {
  return (await Promise.all(model.getWeights().map((w) => w.data()))).map((d) => Array.from(d));
}

function expectClose(actual: readonly number[], expected: readonly number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  expected.forEach((v, i) => expect(Math.abs(actual[i] - v), `${what}[${i}]: ${actual[i]} vs ${v}`).toBeLessThan(1e-5 + 1e-5 * Math.abs(v)));
}

describe.each(BACKENDS_HERE)('SpectralNormalization training on %s', (backendName) => {
  beforeAll(() => useBackend(backendName));
  afterAll(() => useBackend('wasm'));

  it('normalizes the kernel by the power iteration, then the optimizer updates the normalized kernel', async () => {
    const model = modelWithWeights();
    const loss = (await model.trainOnBatch(km.tensor(X, [4, 3]), km.tensor(T, [4, 2]))) as number;
    const expected = referenceStep();
    const [kernel, bias, u] = await weightValues(model);
    expectClose(u, expected.u, 'vector_u');
    expectClose(kernel, expected.kernel, 'kernel');
    expectClose(bias, expected.bias, 'bias');
    expect(Math.abs(loss - expected.loss)).toBeLessThan(1e-5 * expected.loss);
  });

  it('changes no weight in predict and evaluate, and predicts with the kernel as it is', async () => {
    const model = modelWithWeights();
    const y = await model.predict(km.tensor(X, [4, 3])).data();
    await model.evaluate(km.tensor(X, [4, 3]), km.tensor(T, [4, 2]), { verbose: 0 });
    expect(await weightValues(model)).toEqual([KERNEL, BIAS, U].map((w) => Array.from(new Float32Array(w))));
    const plain = Array.from({ length: 8 }, (_, k) => BIAS[k % 2] + [0, 1, 2].reduce((s, i) => s + X[Math.floor(k / 2) * 3 + i] * KERNEL[i * 2 + (k % 2)], 0));
    expectClose(Array.from(y), plain, 'prediction');
  });

  it('leaves an all-zero kernel and vector_u as they are, as Keras does', async () => {
    const model = modelWithWeights();
    model.setWeights([km.zeros([3, 2]), km.tensor(BIAS, [2]), km.tensor(U, [1, 2])]);
    await model.trainOnBatch(km.tensor(X, [4, 3]), km.tensor(T, [4, 2]));
    const [kernel, , u] = await weightValues(model);
    expect(kernel.every(Number.isFinite)).toBe(true);
    expectClose(u, U, 'vector_u');
  });
});
