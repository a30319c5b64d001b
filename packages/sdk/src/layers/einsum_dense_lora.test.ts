import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { decodeWeights } from '../io/weights.js';
import { EINSUM_CASES, einsumDenseReference, type EinsumCase } from '../testing/einsum_reference.js';
import { effective, mse, setNamed, weightsOf } from '../testing/lora_reference.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { savedArtifacts } from '../testing/saved_artifacts.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// LoRA on EinsumDense (Keras 3's lora_rank): A [...kernel.shape[:-1], rank] and B [rank,
// kernel.shape[-1]], the layer computing with kernel + s·A·B (A as a [prod(kernel.shape[:-1]), rank]
// matrix). Predictions against a naive float64 einsum with that kernel, gradients against float64
// central differences, saving merged, loading lora_rank, and enableLora on a trained layer.
beforeAll(() => km.ready());

const random = new Random(31);
const uniform = (n: number, scale = 1) => Array.from({ length: n }, () => random.uniform(-scale, scale));
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const caseOf = (equation: string) => EINSUM_CASES.find((c) => c.equation === equation)!;
// A 2-D kernel; a 3-D one; one the contraction reorders, with an axis in all three operands.
const CASES = ['ab,bc->ac', 'abc,cde->abde', 'abcd,cbe->aebc'].map(caseOf);
const [RANK, ALPHA, BATCH] = [2, 3, 3];

/** The case's kernel as LoRA adapts it: [rows, cols]. */
const matrixOf = (c: EinsumCase) => ({ rows: size(c.kernel) / c.kernel[c.kernel.length - 1], cols: c.kernel[c.kernel.length - 1] });

function adaptedLayer(c: EinsumCase, name?: string): km.layers.EinsumDense {
  return km.layers.einsumDense({ equation: c.equation, outputShape: c.outputShape, biasAxes: c.biasAxes, activation: c.activation, loraRank: RANK, loraAlpha: ALPHA, name });
}

/** The case's output in float64 from the layer's weights by short name, with the effective kernel. */
function reference(c: EinsumCase, p: Record<string, number[]>, x: readonly number[]): number[] {
  const { rows, cols } = matrixOf(c);
  const kernel = effective(p.kernel, p.lora_kernel_a, p.lora_kernel_b, rows, cols, RANK, ALPHA / RANK);
  return einsumDenseReference(c.equation, x, [BATCH, ...c.input], kernel, c.kernel, p.bias ?? null, c.bias, c.activation).values;
}

describe.each(CASES)('EinsumDense with LoRA: $equation', (c) => {
  it('declares the kernel frozen and A, B trainable in Keras 3 shapes, and predicts with kernel + s·A·B', async () => {
    km.utils.setRandomSeed(5);
    const layer = adaptedLayer(c);
    const model = km.sequential([km.input({ shape: c.input }), layer]);
    const { cols } = matrixOf(c);
    expect(layer.nonTrainableWeights.map((w) => [w.name.split('/')[1], w.shape])).toEqual([['kernel', c.kernel]]);
    expect(layer.trainableWeights.map((w) => [w.name.split('/')[1], w.shape])).toEqual([
      ...(c.bias ? [['bias', c.bias]] : []),
      ['lora_kernel_a', [...c.kernel.slice(0, -1), RANK]],
      ['lora_kernel_b', [RANK, cols]],
    ]);
    expect((await weightsOf(layer)).lora_kernel_b.every((v) => v === 0)).toBe(true);
    // B starts at zeros; random values (and a random bias) make A·B count.
    await setNamed(layer, { lora_kernel_b: uniform(RANK * cols), ...(c.bias ? { bias: uniform(size(c.bias)) } : {}) });
    const p = await weightsOf(layer);
    const x = uniform(BATCH * size(c.input), 1.5);
    const predicted = await model.predict(km.tensor(x, [BATCH, ...c.input])).data();
    const expected = reference(c, p, x);
    const base = einsumDenseReference(c.equation, x, [BATCH, ...c.input], p.kernel, c.kernel, p.bias ?? null, c.bias, c.activation).values;
    expect(expected.some((v, i) => Math.abs(v - base[i]) > 1e-3)).toBe(true); // the adaptation changes the output
    expect(predicted.length).toBe(expected.length);
    expected.forEach((v, i) => expect(Math.abs(predicted[i] - v), `entry ${i}`).toBeLessThan(2e-5 + 2e-5 * Math.abs(v)));
  });

  it('gives the bias, A, B and the layer before it the float64 finite-difference gradients, and the kernel none', async () => {
    km.utils.setRandomSeed(9);
    const features = 2;
    const inner = [...c.input.slice(0, -1), features];
    const before = km.layers.dense({ units: c.input[c.input.length - 1], biasInitializer: 'glorotUniform' });
    const layer = adaptedLayer(c);
    const model = km.sequential([km.input({ shape: inner }), before, layer]);
    const { cols } = matrixOf(c);
    await setNamed(layer, { lora_kernel_b: uniform(RANK * cols), ...(c.bias ? { bias: uniform(size(c.bias)) } : {}) });
    const [d, p] = [await weightsOf(before), await weightsOf(layer)];
    const x = uniform(BATCH * size(inner), 1.5);
    const y = uniform(BATCH * size(c.output));
    const grads = await kerasmGradients(model, 'meanSquaredError', km.tensor(x, [BATCH, ...inner]), km.tensor(y, [BATCH, ...c.output]));
    const gradOf = (w: km.layers.Layer, short: string) => grads[model.weights.findIndex((v) => v.name === `${w.name}/${short}`)];
    expect(gradOf(layer, 'kernel').every((v) => v === 0)).toBe(true);
    const names = ['kernel', 'bias', ...(c.bias ? ['bias'] : []), 'lora_kernel_a', 'lora_kernel_b'];
    const owners = [before, before, ...names.slice(2).map(() => layer)];
    const params = [d.kernel, d.bias, ...(c.bias ? [p.bias] : []), p.lora_kernel_a, p.lora_kernel_b].map((w) => [...w]);
    const units = c.input[c.input.length - 1];
    const lossOf = () => {
      const [dk, db] = params;
      const hidden: number[] = [];
      for (let r = 0; r < x.length / features; r++) {
        for (let u = 0; u < units; u++) hidden.push(db[u] + Array.from({ length: features }, (_, f) => x[r * features + f] * dk[f * units + u]).reduce((a, b) => a + b, 0));
      }
      const rest = params.slice(2);
      const named = { kernel: p.kernel, ...(c.bias ? { bias: rest.shift()! } : {}), lora_kernel_a: rest[0], lora_kernel_b: rest[1] };
      return mse(reference(c, named, hidden), y);
    };
    const expected = finiteDifferences(params, lossOf);
    expectGradientsClose(names.map((n, i) => gradOf(owners[i], n)), expected, names);
    expect(expected[expected.length - 1].some((v) => Math.abs(v) > 1e-3)).toBe(true);
  });
});

describe('saving and loading EinsumDense with LoRA', () => {
  it('saves the merged kernel and lora_rank, and the loaded model predicts the same with fresh factors', async () => {
    km.utils.setRandomSeed(4);
    const c = caseOf('abc,cde->abde');
    const layer = adaptedLayer(c, 'heads');
    const model = km.sequential([km.input({ shape: c.input }), layer]);
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const x = km.tensor(uniform(4 * size(c.input)), [4, ...c.input]);
    await model.fit(x, km.tensor(uniform(4 * size(c.output)), [4, ...c.output]), { epochs: 5, verbose: 0 });
    const p = await weightsOf(layer);
    expect(p.lora_kernel_b.some((v) => v !== 0)).toBe(true); // trained, so the merge changes the kernel

    const artifacts = await savedArtifacts(model, false);
    const saved = Object.fromEntries(decodeWeights(artifacts.weightSpecs!, artifacts.weightData as ArrayBuffer, 'saved').map((w) => [w.name, Array.from(w.values)]));
    expect(Object.keys(saved).sort()).toEqual(['heads/bias', 'heads/kernel']);
    const { rows, cols } = matrixOf(c);
    const merged = effective(p.kernel, p.lora_kernel_a, p.lora_kernel_b, rows, cols, RANK, ALPHA / RANK);
    saved['heads/kernel'].forEach((v, k) => expect(Math.abs(v - merged[k])).toBeLessThan(1e-6));
    const config = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers.find((l) => l.class_name === 'EinsumDense')!.config;
    expect(config).toMatchObject({ lora_rank: RANK, lora_alpha: ALPHA });

    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    const [predicted, expected] = [await loaded.predict(x).data(), await model.predict(x).data()];
    expected.forEach((v, i) => expect(Math.abs(predicted[i] - v)).toBeLessThan(1e-5));
    const heads = loaded.getLayer('heads') as km.layers.EinsumDense;
    expect([heads.lora?.rank, heads.lora?.alpha]).toEqual([RANK, ALPHA]);
    const fresh = await weightsOf(heads);
    expect(fresh.kernel).toEqual(saved['heads/kernel']);
    expect(fresh.lora_kernel_b.every((v) => v === 0)).toBe(true);
    expect(fresh.lora_kernel_a.some((v) => v !== 0)).toBe(true);
  });

  it("reads a Keras 3 config's lora_rank and lora_alpha, and writes none without LoRA", () => {
    const base = { equation: 'ab,bc->ac', output_shape: [4], bias_axes: 'c' };
    expect(km.layers.layerFromConfig('EinsumDense', { ...base, lora_rank: 4, lora_alpha: 8 }).getConfig()).toMatchObject({ loraRank: 4, loraAlpha: 8 });
    expect(km.layers.layerFromConfig('EinsumDense', { ...base, lora_rank: null, lora_alpha: null }).getConfig()).not.toHaveProperty('loraRank');
    expect(() => km.layers.einsumDense({ equation: 'ab,bc->ac', outputShape: 4, name: 'e', loraRank: 0 })).toThrow("EinsumDense layer 'e': the LoRA rank must be a positive integer. Received: loraRank=0.");
  });
});

describe('enableLora on a trained EinsumDense (fine-tuning)', () => {
  it('keeps what the model predicts, then trains only the bias and the factors, the kernel unchanged', async () => {
    km.utils.setRandomSeed(12);
    const c = caseOf('abc,cde->abde');
    const layer = km.layers.einsumDense({ equation: c.equation, outputShape: c.outputShape, biasAxes: c.biasAxes, name: 'proj' });
    const model = km.sequential([km.input({ shape: c.input }), layer]);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    const x = km.tensor(uniform(6 * size(c.input)), [6, ...c.input]);
    const y = km.tensor(uniform(6 * size(c.output)), [6, ...c.output]);
    const fitArgs = { epochs: 3, batchSize: 6, shuffle: false, verbose: 0 as const };
    await model.fit(x, y, fitArgs);
    const before = [...(await model.predict(x).data())];
    const kernel = (await weightsOf(layer)).kernel;

    layer.enableLora(RANK, { loraAlpha: 4 });
    // B starts at zero, so the adapted model predicts what the trained one did.
    expect([...(await model.predict(x).data())]).toEqual(before);
    expect(model.trainableWeights.map((w) => w.name)).toEqual(['proj/bias', 'proj/lora_kernel_a', 'proj/lora_kernel_b']);
    expect(() => layer.enableLora(2)).toThrow("EinsumDense layer 'proj': lora is already enabled (loraRank=2). Enable it once.");
    const losses = (await model.fit(x, y, fitArgs)).history.loss as number[];
    expect(losses[2]).toBeLessThan(losses[0]);
    const after = await weightsOf(layer);
    expect(after.kernel).toEqual(kernel);
    expect(after.lora_kernel_b.some((v) => v !== 0)).toBe(true);
  });
});
