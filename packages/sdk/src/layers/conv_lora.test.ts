import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { decodeWeights, encodeWeights } from '../io/weights.js';
import { CONV_LORA_CASES, convLoraLayer, convLoraReference, kernelShape, sampleShape, type ConvLoraCase } from '../testing/conv_lora_reference.js';
import { kerasLayer, kerasSequential } from '../testing/keras3_functional_configs.js';
import { effective, expectLoraSgdTrajectory, mse, setNamed, weightsOf } from '../testing/lora_reference.js';
import { savedArtifacts } from '../testing/saved_artifacts.js';
import { Random } from '../utils/random.js';

// LoRA on Conv1D, Conv2D and Conv3D (Keras 3's BaseConv lora_rank): the weights it declares, fit
// against a float64 SGD trajectory with the kernel frozen, saving merged, loading lora_rank,
// enableLora on a trained layer, and the errors. Predictions and gradients on every backend:
// lora_backends.test.ts.
beforeAll(() => km.ready());

const random = new Random(41);
const uniform = (n: number, scale = 1) => Array.from({ length: n }, () => random.uniform(-scale, scale));
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const [conv2dSame, conv2dGrouped, , conv1dCausal, , conv3d] = CONV_LORA_CASES;

/** The case's model: its input, then the adapted layer. */
function modelOf(c: ConvLoraCase, layer: km.layers.Layer): km.LayersModel {
  return km.sequential([km.input({ shape: sampleShape(c) }), layer]);
}

describe.each(CONV_LORA_CASES)('$factory with LoRA (kernel $kernel, groups $groups, channelsFirst $channelsFirst)', (c) => {
  it('declares the kernel frozen and A, B trainable in Keras 3 shapes, A from heUniform and B zeros', async () => {
    km.utils.setRandomSeed(2);
    const layer = convLoraLayer(c);
    modelOf(c, layer);
    const { shape, rows } = kernelShape(c);
    expect(layer.nonTrainableWeights.map((w) => [w.name.split('/')[1], w.shape])).toEqual([['kernel', shape]]);
    expect(layer.trainableWeights.map((w) => [w.name.split('/')[1], w.shape])).toEqual([
      ...(c.useBias ? [['bias', [c.filters]]] : []),
      ['lora_kernel_a', [...shape.slice(0, -1), c.rank]],
      ['lora_kernel_b', [c.rank, c.filters]],
    ]);
    expect(layer.countParams()).toBe(rows * c.filters + (c.useBias ? c.filters : 0) + rows * c.rank + c.rank * c.filters);
    const p = await weightsOf(layer);
    expect(p.lora_kernel_b.every((v) => v === 0)).toBe(true);
    // He uniform: limit sqrt(6 / fan_in), fan_in of A [...k, in, rank] being prod(k)·in.
    const limit = Math.sqrt(6 / rows);
    expect(p.lora_kernel_a.some((v) => v !== 0)).toBe(true);
    expect(p.lora_kernel_a.every((v) => Math.abs(v) <= limit)).toBe(true);
    expect(layer.getConfig()).toMatchObject({ loraRank: c.rank, loraAlpha: c.alpha ?? c.rank });
  });
});

describe('a convolution with LoRA in fit', () => {
  it.each([conv2dGrouped, conv1dCausal, conv3d])('$factory follows a float64 SGD trajectory of the bias, A and B over three steps, the kernel bit-identical', async (c) => {
    km.utils.setRandomSeed(8);
    const lr = 0.1;
    const layer = convLoraLayer(c);
    const model = modelOf(c, layer);
    const p = await weightsOf(layer);
    const batch = 3;
    const x = uniform(batch * size(sampleShape(c)), 1.5);
    const outputShape = (model.predict(km.tensor(x, [batch, ...sampleShape(c)])) as km.Tensor).shape;
    const y = uniform(size(outputShape));
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: lr }), loss: 'meanSquaredError' });
    const history = await model.fit(km.tensor(x, [batch, ...sampleShape(c)]), km.tensor(y, outputShape), { epochs: 3, batchSize: batch, shuffle: false, verbose: 0 });
    // The reference: plain SGD on the trainable weights with float64 central differences.
    const trained = [...(c.useBias ? ['bias'] : []), 'lora_kernel_a', 'lora_kernel_b'];
    await expectLoraSgdTrajectory(layer, history.history.loss as number[], p, trained, (w) => mse(convLoraReference(c, w, x), y), lr);
  });
});

describe('saving and loading a convolution with LoRA', () => {
  it('saves the merged kernel and lora_rank, and the loaded model predicts the same with fresh factors', async () => {
    km.utils.setRandomSeed(4);
    const c = conv2dGrouped;
    const layer = convLoraLayer(c, 'features');
    const model = modelOf(c, layer);
    const x = km.tensor(uniform(4 * size(sampleShape(c))), [4, ...sampleShape(c)]);
    const outputShape = (model.predict(x) as km.Tensor).shape;
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    await model.fit(x, km.tensor(uniform(size(outputShape)), outputShape), { epochs: 5, verbose: 0 });
    const p = await weightsOf(layer);
    expect(p.lora_kernel_b.some((v) => v !== 0)).toBe(true); // trained, so the merge changes the kernel

    const artifacts = await savedArtifacts(model, false);
    const saved = Object.fromEntries(decodeWeights(artifacts.weightSpecs!, artifacts.weightData as ArrayBuffer, 'saved').map((w) => [w.name, Array.from(w.values)]));
    expect(Object.keys(saved)).toEqual(['features/kernel']); // no bias in this case, and no factors
    const { rows } = kernelShape(c);
    const merged = effective(p.kernel, p.lora_kernel_a, p.lora_kernel_b, rows, c.filters, c.rank, (c.alpha ?? c.rank) / c.rank);
    saved['features/kernel'].forEach((v, k) => expect(Math.abs(v - merged[k])).toBeLessThan(1e-6));
    const layers = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    expect(layers.find((l) => l.class_name === 'Conv2D')!.config).toMatchObject({ lora_rank: c.rank, lora_alpha: c.rank, groups: 2, data_format: 'channels_first' });

    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    const [predicted, expected] = [await (loaded.predict(x) as km.Tensor).data(), await (model.predict(x) as km.Tensor).data()];
    expected.forEach((v, i) => expect(Math.abs(predicted[i] - v)).toBeLessThan(1e-5));
    const features = loaded.getLayer('features') as km.layers.Conv2D;
    expect(features.lora?.rank).toBe(c.rank);
    const fresh = await weightsOf(features);
    expect(fresh.kernel).toEqual(saved['features/kernel']);
    expect(fresh.lora_kernel_b.every((v) => v === 0)).toBe(true);
    expect(fresh.lora_kernel_a.some((v) => v !== 0)).toBe(true);
  });

  it('loads a Keras 3 model whose Conv2D has lora_rank: 4, computing with the saved kernel and training only A, B and the bias', async () => {
    const [h, w, channels, filters] = [5, 4, 3, 2];
    const conv = kerasLayer('Conv2D', { name: 'conv', filters, kernel_size: [3, 3], padding: 'same', lora_rank: 4, lora_alpha: 8 }, [], [null, h, w, channels]);
    const topology = kerasSequential('sequential', [null, h, w, channels], [conv]);
    const kernel = uniform(9 * channels * filters);
    const bias = uniform(filters);
    const { specs, data } = encodeWeights([
      { name: 'conv/kernel', shape: [3, 3, channels, filters], values: Float32Array.from(kernel) },
      { name: 'conv/bias', shape: [filters], values: Float32Array.from(bias) },
    ]);
    const model = await km.loadLayersModel(km.io.fromMemory({ modelTopology: topology, format: 'layers-model', weightSpecs: specs, weightData: data }));
    const layer = model.getLayer('conv') as km.layers.Conv2D;
    expect([layer.lora?.rank, layer.lora?.alpha]).toEqual([4, 8]);
    expect(layer.trainableWeights.map((v) => [v.name, v.shape])).toEqual([['conv/bias', [filters]], ['conv/lora_kernel_a', [3, 3, channels, 4]], ['conv/lora_kernel_b', [4, filters]]]);
    const x = uniform(2 * h * w * channels);
    const predicted = await (model.predict(km.tensor(x, [2, h, w, channels])) as km.Tensor).data();
    const c = { ...conv2dSame, sizes: [h, w], channels, filters, activation: 'linear' as const, rank: 4, alpha: 8 };
    const expected = convLoraReference(c, { kernel, bias, lora_kernel_a: new Array(9 * channels * 4).fill(0), lora_kernel_b: new Array(4 * filters).fill(0) }, x);
    expected.forEach((v, i) => expect(Math.abs(predicted[i] - v)).toBeLessThan(1e-5));
  });

  it("reads lora_rank and lora_alpha from Keras 3's Conv1D, Conv2D and Conv3D configs", () => {
    expect(km.layers.layerFromConfig('Conv1D', { filters: 2, kernel_size: [3], padding: 'causal', lora_rank: 2, lora_alpha: 4 }).getConfig()).toMatchObject({ loraRank: 2, loraAlpha: 4, padding: 'causal' });
    expect(km.layers.layerFromConfig('Conv2D', { filters: 2, kernel_size: [3, 3], lora_rank: 4, lora_alpha: 8 }).getConfig()).toMatchObject({ loraRank: 4, loraAlpha: 8 });
    expect(km.layers.layerFromConfig('Conv3D', { filters: 2, kernel_size: [2, 2, 2], lora_rank: 3 }).getConfig()).toMatchObject({ loraRank: 3, loraAlpha: 3 });
    expect(km.layers.layerFromConfig('Conv2D', { filters: 2, kernel_size: 3, lora_rank: null, lora_alpha: null }).getConfig()).not.toHaveProperty('loraRank');
  });
});

describe('enableLora on a trained convolution (fine-tuning)', () => {
  it.each([conv2dSame, conv1dCausal])('$factory keeps what the model predicts, then trains only the bias and the factors as a layer adapted from the start, the kernel unchanged', async (c) => {
    km.utils.setRandomSeed(12);
    // The case's layer without LoRA: enableLora adapts it once trained.
    const base = convLoraLayer(c, 'tuned', false);
    const model = modelOf(c, base);
    const shape = sampleShape(c);
    const x = km.tensor(uniform(6 * size(shape)), [6, ...shape]);
    const outputShape = (model.predict(x) as km.Tensor).shape;
    const y = km.tensor(uniform(size(outputShape)), outputShape);
    const fitArgs = { epochs: 3, batchSize: 6, shuffle: false, verbose: 0 as const };
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    await model.fit(x, y, fitArgs);
    const before = [...(await (model.predict(x) as km.Tensor).data())];
    const kernel = (await weightsOf(base)).kernel;

    base.enableLora(c.rank, { loraAlpha: c.alpha });
    // B starts at zero, so the adapted model predicts what the trained one did.
    expect([...(await (model.predict(x) as km.Tensor).data())]).toEqual(before);
    expect(model.trainableWeights.map((w) => w.name)).toEqual(['tuned/bias', 'tuned/lora_kernel_a', 'tuned/lora_kernel_b']);

    // The same weights in a layer adapted before it was built train the same way.
    const adaptedLayer = convLoraLayer(c);
    const adapted = modelOf(c, adaptedLayer);
    await setNamed(adaptedLayer, await weightsOf(base));
    adapted.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    const ours = (await model.fit(x, y, fitArgs)).history.loss as number[];
    const theirs = (await adapted.fit(x, y, fitArgs)).history.loss as number[];
    ours.forEach((loss, i) => expect(Math.abs(loss - theirs[i])).toBeLessThan(1e-6));
    expect(ours[2]).toBeLessThan(ours[0]);
    expect((await weightsOf(base)).kernel).toEqual(kernel);
  });
});

describe('the LoRA errors of the convolutions', () => {
  it('refuses a rank that is not a positive integer, a second enableLora, and LoRA beside a kernelConstraint', () => {
    expect(() => km.layers.conv2d({ filters: 2, kernelSize: 3, name: 'c0', loraRank: 0 })).toThrow("Conv2D layer 'c0': the LoRA rank must be a positive integer. Received: loraRank=0. Pass e.g. loraRank: 4, or null to train the full matrix.");
    expect(() => km.layers.conv1d({ filters: 2, kernelSize: 3, name: 'c1', loraRank: 1.5 })).toThrow("Conv1D layer 'c1': the LoRA rank must be a positive integer. Received: loraRank=1.5.");
    expect(() => km.layers.conv3d({ filters: 2, kernelSize: 2, name: 'c2' }).enableLora(-2)).toThrow("Conv3D layer 'c2': the LoRA rank must be a positive integer. Received: loraRank=-2.");
    const twice = km.layers.conv2d({ filters: 2, kernelSize: 3, name: 'twice', loraRank: 2 });
    expect(() => twice.enableLora(2)).toThrow("Conv2D layer 'twice': lora is already enabled (loraRank=2). Enable it once.");
    const constrained = 'LoRA is incompatible with kernelConstraint (the matrix it constrains stays frozen while A and B train). Received: kernelConstraint=MaxNorm, loraRank=4. Remove kernelConstraint to enable LoRA, or leave loraRank out to train the constrained matrix.';
    expect(() => km.layers.conv2d({ filters: 2, kernelSize: 3, name: 'maxed', kernelConstraint: 'maxNorm', loraRank: 4 })).toThrow(`Conv2D layer 'maxed': ${constrained}`);
    const later = km.layers.conv1d({ filters: 2, kernelSize: 3, name: 'later', kernelConstraint: km.constraints.maxNorm({ maxValue: 2 }) });
    expect(() => later.enableLora(4)).toThrow(`Conv1D layer 'later': ${constrained}`);
    expect(later.lora).toBeNull();
    expect(() => km.layers.conv2d({ filters: 2, kernelSize: 3, name: 'c3' }).enableLora(2, { rank: 4 } as km.layers.EnableLoraOptions)).toThrow("Conv2D layer 'c3': enableLora has no option 'rank'");
  });

  it('keeps refusing lora_rank on the transposed, depthwise and separable convolutions, which Keras 3 does not adapt', () => {
    expect(() => km.layers.conv2dTranspose({ filters: 2, kernelSize: 3, loraRank: 2 } as km.layers.Conv2DTransposeArgs)).toThrow("km.layers.conv2dTranspose has no option 'loraRank'");
    expect(() => km.layers.depthwiseConv2d({ kernelSize: 3, loraRank: 2 } as km.layers.DepthwiseConv2DArgs)).toThrow("km.layers.depthwiseConv2d has no option 'loraRank'");
    expect(() => km.layers.separableConv2d({ filters: 2, kernelSize: 3, loraRank: 2 } as km.layers.SeparableConv2DArgs)).toThrow("km.layers.separableConv2d has no option 'loraRank'");
    expect(() => km.layers.layerFromConfig('Conv2DTranspose', { filters: 2, kernel_size: 3, lora_rank: 2 })).toThrow("km.layers.layerFromConfig('Conv2DTranspose'): Conv2DTranspose has no use for the config key 'lora_rank'");
    expect(() => km.layers.layerFromConfig('Conv3DTranspose', { filters: 2, kernel_size: 3, lora_rank: 2 })).toThrow("Conv3DTranspose has no use for the config key 'lora_rank'");
  });
});
