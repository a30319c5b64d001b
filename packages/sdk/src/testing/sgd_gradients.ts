import { expect } from 'vitest';
import * as km from '../index.js';

/**
 * kerasm's gradient of the mean batch loss, read back as the change of one plain SGD step with lr 1.
 * `x` and `y` may be lists for models with several inputs or outputs; `lossWeights` goes to compile.
 */
export async function kerasmGradients(
  model: km.LayersModel, loss: km.ModelCompileArgs['loss'], x: km.ModelInputs, y: km.ModelTargets, lossWeights?: km.ModelCompileArgs['lossWeights'],
): Promise<Float32Array[]> {
  // Read without blocking: tfjs-webgpu refuses synchronous reads.
  const before = await Promise.all(model.getWeights().map(async (t) => (await t.data()).slice()));
  model.compile({ optimizer: km.optimizers.sgd({ learningRate: 1 }), loss, lossWeights });
  const samples = (x instanceof km.Tensor ? x : Object.values(x)[0]).shape[0];
  await model.fit(x, y, { epochs: 1, batchSize: samples, shuffle: false, verbose: 0 });
  const after = model.getWeights();
  const afterValues = await Promise.all(after.map((t) => t.data()));
  const grads = before.map((b, i) => b.map((v, j) => v - afterValues[i][j]));
  model.setWeights(before.map((b, i) => km.tensor(b, after[i].shape)));
  return grads;
}

/** Asserts gradients agree relative to the largest entry of each weight's reference gradient. */
export function expectGradientsClose(actual: Float32Array[], expected: number[][], names: string[], tolerance = 3e-3): void {
  expected.forEach((g, i) => {
    const scale = Math.max(1e-3, ...g.map(Math.abs));
    g.forEach((v, j) => {
      const err = Math.abs(actual[i][j] - v) / scale;
      if (!(err < tolerance)) throw new Error(`gradient of ${names[i]}[${j}]: kerasm ${actual[i][j]}, finite differences ${v} (relative error ${err.toExponential(2)})`);
    });
  });
}

/** Central finite differences of a float64 loss over a flat parameter list. */
export function finiteDifferenceGradient(params: readonly number[], loss: (params: number[]) => number, h = 1e-6): number[] {
  return params.map((_, i) => {
    const up = [...params];
    up[i] += h;
    const down = [...params];
    down[i] -= h;
    return (loss(up) - loss(down)) / (2 * h);
  });
}

/**
 * Asserts that one plain SGD step with lr 1 moved each parameter by the finite-difference gradient
 * of `loss` (relative to the largest gradient entry); returns that reference gradient.
 */
export function expectSgdStepMatchesLoss(before: readonly number[], after: ArrayLike<number>, loss: (params: number[]) => number, tolerance = 2e-3): number[] {
  const expected = finiteDifferenceGradient(before, loss);
  const scale = Math.max(1e-3, ...expected.map(Math.abs));
  before.forEach((p, i) => expect(Math.abs(p - after[i] - expected[i]) / scale).toBeLessThan(tolerance));
  return expected;
}

/**
 * For a model that starts with a Dense layer on `[rows, k]` inputs: its kernel and bias gradients
 * under mean squared error against central differences of a float64 reference, where `after` maps
 * the Dense outputs (rows × units values, row-major) to the model's flat outputs.
 */
export async function expectDenseFirstGradients(model: km.LayersModel, inputs: readonly number[], targets: readonly number[], rows: number, after: (hidden: number[]) => number[]): Promise<void> {
  const [kernel, bias] = model.getWeights().map((w) => Array.from(w.dataSync()));
  const units = bias.length;
  const k = kernel.length / units;
  const loss = (p: number[]) => {
    const hidden = Array.from({ length: rows * units }, (_, i) => {
      const [b, j] = [Math.floor(i / units), i % units];
      return p[kernel.length + j] + Array.from({ length: k }, (_, q) => inputs[b * k + q] * p[q * units + j]).reduce((s, v) => s + v, 0);
    });
    return after(hidden).reduce((s, v, i) => s + (v - targets[i]) ** 2, 0) / targets.length;
  };
  const expected = finiteDifferenceGradient([...kernel, ...bias], loss);
  const grads = await kerasmGradients(model, 'meanSquaredError', km.tensor([...inputs], [rows, k]), km.tensor([...targets], [rows, targets.length / rows]));
  expectGradientsClose(grads, [expected.slice(0, kernel.length), expected.slice(kernel.length)], ['kernel', 'bias']);
}

/**
 * Asserts that `layers`, after a Dense layer of 12 units reshaped to 2×2 RGB images and before a
 * Flatten, pass no gradient back: one SGD step with lr 1 leaves the Dense weights as they were.
 */
export async function expectNoGradientThrough(...layers: km.layers.Layer[]): Promise<void> {
  const m = km.sequential([km.layers.dense({ units: 12, inputShape: [2] }), km.layers.reshape({ targetShape: [2, 2, 3] }), ...layers, km.layers.flatten()]);
  const values = (t: km.Tensor) => Array.from(t.dataSync());
  const before = m.getWeights().flatMap(values);
  m.compile({ optimizer: km.optimizers.sgd({ learningRate: 1 }), loss: 'meanSquaredError' });
  await m.fit(km.tensor([0.3, -0.2, 0.5, 0.1], [2, 2]), km.tensor(Array.from({ length: 24 }, (_, i) => i / 24), [2, 12]), { epochs: 1, verbose: 0 });
  expect(m.getWeights().flatMap(values)).toEqual(before);
}
