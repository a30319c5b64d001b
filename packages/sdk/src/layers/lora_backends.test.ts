import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';
import { CONV_LORA_CASES, convLoraLayer, convLoraReference, sampleShape } from '../testing/conv_lora_reference.js';
import { denseReference, embeddingModelReference, mse, setNamed, weightsOf } from '../testing/lora_reference.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// LoRA on Dense, Embedding and the convolutions (Keras 3's lora_rank) on every backend here:
// predictions against a float64 loop over x·(W + s·A·B) + b (conv(x, W + s·A·B) + b), gradients
// against float64 central differences, the frozen matrix getting none.
beforeAll(() => km.ready());

const random = new Random(17);
const uniform = (n: number, scale = 1) => Array.from({ length: n }, () => random.uniform(-scale, scale));

describe.each(BACKENDS_HERE)('Dense with LoRA on %s', (backendName) => {
  beforeAll(() => useBackend(backendName));
  afterAll(() => useBackend('wasm'));

  it.each([
    { activation: 'linear' as const, useBias: true, inputShape: [4], rank: 2, alpha: 3 },
    { activation: 'gelu' as const, useBias: true, inputShape: [3, 4], rank: 3, alpha: 1.5 },
    { activation: 'tanh' as const, useBias: false, inputShape: [4], rank: 1, alpha: undefined },
  ])('predicts f(x·(W + s·A·B) + b): $activation, bias $useBias, input $inputShape, rank $rank', async ({ activation, useBias, inputShape, rank, alpha }) => {
    km.utils.setRandomSeed(3);
    const layer = km.layers.dense({ units: 5, activation, useBias, loraRank: rank, loraAlpha: alpha });
    const model = km.sequential([km.input({ shape: inputShape }), layer]);
    const k = inputShape[inputShape.length - 1];
    // B starts at zeros; random values make A·B count.
    await setNamed(layer, { lora_kernel_b: uniform(rank * 5), ...(useBias ? { bias: uniform(5) } : {}) });
    const p = await weightsOf(layer);
    const x = uniform(2 * inputShape.reduce((a, b) => a * b, 1), 1.5);
    const predicted = await model.predict(km.tensor(x, [2, ...inputShape])).data();
    const expected = denseReference(x, p, k, 5, rank, (alpha ?? rank) / rank, activation);
    expect(predicted.length).toBe(expected.length);
    expected.forEach((v, i) => expect(Math.abs(predicted[i] - v), `entry ${i}`).toBeLessThan(2e-5 + 2e-5 * Math.abs(v)));
  });

  it.each(['tanh', 'gelu'] as const)('gives A, B, bias and the layer before it the float64 finite-difference gradients, the kernel none (%s)', async (activation) => {
    km.utils.setRandomSeed(5);
    const [k, hidden, units, rank, alpha, batch] = [3, 4, 2, 2, 5, 3];
    const first = km.layers.dense({ units: hidden, inputShape: [k], biasInitializer: 'glorotUniform' });
    const adapted = km.layers.dense({ units, activation, loraRank: rank, loraAlpha: alpha });
    const model = km.sequential([first, adapted]);
    await setNamed(adapted, { lora_kernel_b: uniform(rank * units), bias: uniform(units) });
    const x = uniform(batch * k, 1.5);
    const y = uniform(batch * units);
    const [p1, p2] = [await weightsOf(first), await weightsOf(adapted)];
    const names = [...first.weights, ...adapted.weights].map((w) => w.name);
    const flat = [...Object.values(p1), ...Object.values(p2)];
    const loss = () => {
      const [w1, w2] = [Object.fromEntries(Object.keys(p1).map((n, i) => [n, flat[i]])), Object.fromEntries(Object.keys(p2).map((n, i) => [n, flat[2 + i]]))];
      const h = denseReference(x, { ...w1, lora_kernel_a: new Array(k).fill(0), lora_kernel_b: new Array(hidden).fill(0) }, k, hidden, 1, 0, 'linear');
      return mse(denseReference(h, w2, hidden, units, rank, alpha / rank, activation), y);
    };
    const expected = finiteDifferences(flat, loss);
    const actual = await kerasmGradients(model, 'meanSquaredError', km.tensor(x, [batch, k]), km.tensor(y, [batch, units]));
    // getWeights lists trainable weights first: the frozen kernel comes last.
    const order = model.weights.map((w) => names.indexOf(w.name));
    const kernel = names.indexOf(`${adapted.name}/kernel`);
    const byName = (i: number) => actual[order.indexOf(i)];
    expect(Math.max(...expected[kernel].map(Math.abs))).toBeGreaterThan(1e-3); // the kernel does have a gradient
    expect(byName(kernel).every((v) => v === 0)).toBe(true);
    const checked = flat.map((_, i) => i).filter((i) => i !== kernel);
    expectGradientsClose(checked.map(byName), checked.map((i) => expected[i]), checked.map((i) => names[i]));
  });
});

describe.each(BACKENDS_HERE)('Embedding with LoRA on %s', (backendName) => {
  beforeAll(() => useBackend(backendName));
  afterAll(() => useBackend('wasm'));

  it('looks up rows of W + s·A·B and gives A, B the finite-difference gradients, the table none', async () => {
    km.utils.setRandomSeed(11);
    const [inputDim, outputDim, rank, alpha, length, units, batch] = [6, 3, 2, 3, 4, 2, 3];
    const embedding = km.layers.embedding({ inputDim, outputDim, inputShape: [length], loraRank: rank, loraAlpha: alpha });
    const head = km.layers.dense({ units });
    const model = km.sequential([embedding, km.layers.flatten(), head]);
    await setNamed(embedding, { lora_embeddings_b: uniform(rank * outputDim) });
    // Repeated ids: their gradients add up; id 5 is never read, so its row of A gets none.
    const ids = [0, 2, 2, 4, 1, 1, 1, 3, 4, 0, 2, 2];
    const y = uniform(batch * units);
    const [e, d] = [await weightsOf(embedding), await weightsOf(head)];
    const s = alpha / rank;
    const predicted = await model.predict(km.tensor(ids, [batch, length])).data();
    embeddingModelReference(ids, e, d, outputDim, rank, s, units, length).forEach((v, i) => expect(Math.abs(predicted[i] - v)).toBeLessThan(2e-5 + 2e-5 * Math.abs(v)));

    const names = [...embedding.weights, ...head.weights].map((w) => w.name);
    const flat = [...Object.values(e), ...Object.values(d)];
    const eKeys = Object.keys(e);
    const dKeys = Object.keys(d);
    const loss = () => {
      const ep = Object.fromEntries(eKeys.map((n, i) => [n, flat[i]]));
      const dp = Object.fromEntries(dKeys.map((n, i) => [n, flat[eKeys.length + i]]));
      return mse(embeddingModelReference(ids, ep, dp, outputDim, rank, s, units, length), y);
    };
    const expected = finiteDifferences(flat, loss);
    const actual = await kerasmGradients(model, 'meanSquaredError', km.tensor(ids, [batch, length]), km.tensor(y, [batch, units]));
    const order = model.weights.map((w) => names.indexOf(w.name));
    const byName = (i: number) => actual[order.indexOf(i)];
    const table = names.indexOf(`${embedding.name}/embeddings`);
    expect(byName(table).every((v) => v === 0)).toBe(true);
    const checked = flat.map((_, i) => i).filter((i) => i !== table);
    expectGradientsClose(checked.map(byName), checked.map((i) => expected[i]), checked.map((i) => names[i]));
  });
});

describe.each(BACKENDS_HERE)('Conv1D, Conv2D and Conv3D with LoRA on %s: conv(x, W + s·A·B), the layer before, the bias, A and B getting the finite-difference gradients, the kernel none', (backendName) => {
  beforeAll(() => useBackend(backendName));
  afterAll(() => useBackend('wasm'));

  const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

  it.each(CONV_LORA_CASES)('$factory on $sizes×$channels, kernel $kernel, strides $strides, dilation $dilation, $padding, groups $groups, channelsFirst $channelsFirst, $activation', async (c) => {
    km.utils.setRandomSeed(21);
    const shape = sampleShape(c);
    const last = shape[shape.length - 1];
    // A Dense over the last axis before the convolution, to check the gradient the convolution passes back.
    const before = km.layers.dense({ units: last, biasInitializer: 'glorotUniform' });
    const layer = convLoraLayer(c);
    const model = km.sequential([km.input({ shape }), before, layer]);
    // B starts at zeros; random values make A·B count.
    await setNamed(layer, { lora_kernel_b: uniform(c.rank * c.filters), ...(c.useBias ? { bias: uniform(c.filters) } : {}) });
    const [d, p] = [await weightsOf(before), await weightsOf(layer)];
    const batch = 2;
    const x = uniform(batch * size(shape), 1.5);
    const beforeOf = (dk: readonly number[], db: readonly number[]) => denseReference(x, { kernel: [...dk], bias: [...db], lora_kernel_a: new Array(last).fill(0), lora_kernel_b: new Array(last).fill(0) }, last, last, 1, 0, 'linear');
    const output = model.predict(km.tensor(x, [batch, ...shape])) as km.Tensor;
    const predicted = await output.data();
    const expected = convLoraReference(c, p, beforeOf(d.kernel, d.bias));
    const base = convLoraReference(c, { ...p, lora_kernel_b: new Array(c.rank * c.filters).fill(0) }, beforeOf(d.kernel, d.bias));
    expect(expected.some((v, i) => Math.abs(v - base[i]) > 1e-3)).toBe(true); // the adaptation changes the output
    expect(predicted.length).toBe(expected.length);
    expected.forEach((v, i) => expect(Math.abs(predicted[i] - v), `entry ${i}`).toBeLessThan(1e-4 + 1e-4 * Math.abs(v)));

    const y = uniform(expected.length);
    const names = ['kernel', 'bias', ...(c.useBias ? ['bias'] : []), 'lora_kernel_a', 'lora_kernel_b'];
    const owners = [before, before, ...names.slice(2).map(() => layer)];
    const params = [d.kernel, d.bias, ...(c.useBias ? [p.bias] : []), p.lora_kernel_a, p.lora_kernel_b].map((w) => [...w]);
    const lossOf = () => {
      const rest = params.slice(2);
      const named = { kernel: p.kernel, ...(c.useBias ? { bias: rest.shift()! } : {}), lora_kernel_a: rest[0], lora_kernel_b: rest[1] };
      return mse(convLoraReference(c, named, beforeOf(params[0], params[1])), y);
    };
    const grads = await kerasmGradients(model, 'meanSquaredError', km.tensor(x, [batch, ...shape]), km.tensor(y, output.shape));
    const gradOf = (w: km.layers.Layer, short: string) => grads[model.weights.findIndex((v) => v.name === `${w.name}/${short}`)];
    expect(gradOf(layer, 'kernel').every((v) => v === 0)).toBe(true);
    const expectedGrads = finiteDifferences(params, lossOf);
    expectGradientsClose(names.map((n, i) => gradOf(owners[i], n)), expectedGrads, names.map((n, i) => `${owners[i].name}/${n}`));
    expect(expectedGrads[expectedGrads.length - 1].some((v) => Math.abs(v) > 1e-3)).toBe(true);
  });
});
