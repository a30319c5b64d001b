import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';
import { CONV_LORA_CASES, convLoraLayer, convLoraReference, kernelShape, sampleShape } from '../testing/conv_lora_reference.js';
import { mse, weightsOf } from '../testing/lora_reference.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// A convolution whose activation's gradient needs its input (gelu) keeps its pre-activation in the
// workspace after the im2col columns; the tfjs backends once read that whole workspace as the
// columns in backward ("Size(756) must match the product of shape 36,18"). Plain convolutions
// (no LoRA) on every backend here, against the float64 reference and finite differences.
beforeAll(() => km.ready());

const random = new Random(43);
const uniform = (n: number, scale = 1) => Array.from({ length: n }, () => random.uniform(-scale, scale));
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const GELU_CASES = CONV_LORA_CASES.filter((c) => c.kernel.some((k) => k > 1)).map((c) => ({ ...c, activation: 'gelu' as const }));

describe.each(BACKENDS_HERE)('a convolution with gelu on %s', (backendName) => {
  beforeAll(() => useBackend(backendName));
  afterAll(() => useBackend('wasm'));

  it.each(GELU_CASES)('$factory, kernel $kernel, $padding, groups $groups, channelsFirst $channelsFirst: predicts and gets the finite-difference gradients', async (c) => {
    km.utils.setRandomSeed(6);
    const layer = convLoraLayer(c, undefined, false);
    const shape = sampleShape(c);
    const model = km.sequential([km.input({ shape }), layer]);
    const p = await weightsOf(layer);
    const batch = 2;
    const x = uniform(batch * size(shape), 1.5);
    // No LoRA: the reference's factors are zero.
    const { rows } = kernelShape(c);
    const zeros = { lora_kernel_a: new Array(rows * c.rank).fill(0), lora_kernel_b: new Array(c.rank * c.filters).fill(0) };
    const output = model.predict(km.tensor(x, [batch, ...shape])) as km.Tensor;
    const predicted = await output.data();
    const expected = convLoraReference(c, { ...p, ...zeros }, x);
    expected.forEach((v, i) => expect(Math.abs(predicted[i] - v), `entry ${i}`).toBeLessThan(1e-4 + 1e-4 * Math.abs(v)));

    const y = uniform(expected.length);
    const names = ['kernel', ...(c.useBias ? ['bias'] : [])];
    const params = names.map((n) => [...p[n]]);
    const lossOf = () => mse(convLoraReference(c, { ...Object.fromEntries(names.map((n, i) => [n, params[i]])), ...zeros }, x), y);
    const grads = await kerasmGradients(model, 'meanSquaredError', km.tensor(x, [batch, ...shape]), km.tensor(y, output.shape));
    const gradOf = (short: string) => grads[model.weights.findIndex((w) => w.name === `${layer.name}/${short}`)];
    expectGradientsClose(names.map(gradOf), finiteDifferences(params, lossOf), names);
  });
});
