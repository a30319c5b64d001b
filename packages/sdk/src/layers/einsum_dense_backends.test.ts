import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';
import { EINSUM_CASES, einsumDenseReference, type EinsumCase } from '../testing/einsum_reference.js';
import { Random } from '../utils/random.js';

// EinsumDense's predictions against a naive float64 einsum (loops over every assignment of the
// equation's letters, Keras' bias broadcast, the activation), for each of Keras' equation forms and
// each role an axis can take, on every backend here.
beforeAll(() => km.ready());

const BATCH = 3;

/** A model of the case's layer with a random bias (its initializer gives zeros), and the weights' values. */
async function modelFor(c: EinsumCase, seed: number): Promise<{ model: km.LayersModel; kernel: Float32Array; bias: Float32Array | null }> {
  km.utils.setRandomSeed(seed);
  const layer = km.layers.einsumDense({ equation: c.equation, outputShape: c.outputShape, biasAxes: c.biasAxes, activation: c.activation });
  const model = km.sequential([km.input({ shape: c.input }), layer]);
  const random = new Random(seed);
  const weights = model.getWeights();
  if (c.bias) weights[1] = km.tensor(Array.from({ length: weights[1].size }, () => random.uniform(-1, 1)), weights[1].shape);
  model.setWeights(weights);
  // Read without blocking: tfjs-webgpu refuses synchronous reads.
  const [kernel, bias] = (await Promise.all(model.getWeights().map((w) => w.data()))) as Float32Array[];
  return { model, kernel, bias: bias ?? null };
}

describe.each(BACKENDS_HERE)('EinsumDense predictions against a naive einsum on %s', (backendName) => {
  beforeAll(() => useBackend(backendName));
  afterAll(() => useBackend('wasm'));

  it.each(EINSUM_CASES)('$equation, outputShape $outputShape, biasAxes $biasAxes, $activation', async (c) => {
    const { model, kernel, bias } = await modelFor(c, 11);
    const random = new Random(5);
    const xShape = [BATCH, ...c.input];
    const xs = Array.from({ length: xShape.reduce((a, b) => a * b, 1) }, () => random.uniform(-1.5, 1.5));
    const predicted = model.predict(km.tensor(xs, xShape));
    const expected = einsumDenseReference(c.equation, xs, xShape, kernel, c.kernel, bias, c.bias, c.activation);
    expect(predicted.shape).toEqual(expected.shape);
    const values = await predicted.data();
    expected.values.forEach((v, i) => expect(Math.abs(values[i] - v), `entry ${i}`).toBeLessThan(2e-5 + 2e-5 * Math.abs(v)));
  });
});
