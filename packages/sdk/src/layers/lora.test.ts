import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { denseReference, expectLoraSgdTrajectory, mse, weightsOf } from '../testing/lora_reference.js';
import { Random } from '../utils/random.js';

// LoRA on Dense and Embedding (Keras 3's lora_rank) in fit, against a float64 SGD trajectory with
// the kernel frozen; the weights it adds; enableLora and the option errors. Predictions and
// gradients on every backend: lora_backends.test.ts.
beforeAll(() => km.ready());

const random = new Random(17);
const uniform = (n: number, scale = 1) => Array.from({ length: n }, () => random.uniform(-scale, scale));

describe('Dense with LoRA in fit', () => {
  it('follows a float64 SGD trajectory of A, B and the bias over three steps, the kernel unchanged', async () => {
    km.utils.setRandomSeed(8);
    const [k, units, rank, alpha, batch, lr] = [4, 3, 2, 6, 5, 0.1];
    const layer = km.layers.dense({ units, inputShape: [k], loraRank: rank, loraAlpha: alpha });
    const model = km.sequential([layer]);
    const p = await weightsOf(layer);
    expect(p.lora_kernel_b.every((v) => v === 0)).toBe(true); // Keras' zeros: the adapted layer starts as the base one
    expect(p.lora_kernel_a.some((v) => v !== 0)).toBe(true);
    const x = uniform(batch * k, 1.5);
    const y = uniform(batch * units);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: lr }), loss: 'meanSquaredError' });
    const history = await model.fit(km.tensor(x, [batch, k]), km.tensor(y, [batch, units]), { epochs: 3, batchSize: batch, shuffle: false, verbose: 0 });
    // The reference: plain SGD on the trainable weights with float64 central differences.
    const lossOf = (w: Record<string, number[]>) => mse(denseReference(x, w, k, units, rank, alpha / rank, 'linear'), y);
    await expectLoraSgdTrajectory(layer, history.history.loss as number[], p, ['bias', 'lora_kernel_a', 'lora_kernel_b'], lossOf, lr);
  });

  it('lists the kernel as non-trainable and A, B as trainable, and counts all four', () => {
    const layer = km.layers.dense({ units: 3, inputShape: [4], loraRank: 2 });
    km.sequential([layer]);
    expect(layer.trainableWeights.map((w) => w.name)).toEqual([`${layer.name}/bias`, `${layer.name}/lora_kernel_a`, `${layer.name}/lora_kernel_b`]);
    expect(layer.nonTrainableWeights.map((w) => w.name)).toEqual([`${layer.name}/kernel`]);
    expect(layer.nonTrainableWeights[0].shape).toEqual([4, 3]);
    expect(layer.trainableWeights.map((w) => w.shape)).toEqual([[3], [4, 2], [2, 3]]);
    expect(layer.countParams()).toBe(12 + 3 + 8 + 6);
  });
});

describe('enableLora and the LoRA options', () => {
  it('enableLora before build is the loraRank option, with its alpha and initializers', async () => {
    const layer = km.layers.dense({ units: 3 });
    layer.enableLora(2, { loraAlpha: 4, aInitializer: 'zeros', bInitializer: 'ones' });
    km.sequential([km.input({ shape: [5] }), layer]);
    const p = await weightsOf(layer);
    expect(p.lora_kernel_a).toEqual(new Array(10).fill(0));
    expect(p.lora_kernel_b).toEqual(new Array(6).fill(1));
    expect(layer.getConfig()).toMatchObject({ loraRank: 2, loraAlpha: 4 });
    const embedding = km.layers.embedding({ inputDim: 7, outputDim: 3 });
    embedding.enableLora(4);
    km.sequential([km.input({ shape: [2] }), embedding]);
    expect(embedding.weights.map((w) => [w.name.split('/')[1], w.shape, w.trainable])).toEqual([
      ['lora_embeddings_a', [7, 4], true],
      ['lora_embeddings_b', [4, 3], true],
      ['embeddings', [7, 3], false],
    ]);
    expect(embedding.getConfig()).toMatchObject({ loraRank: 4, loraAlpha: 4 });
  });

  it('writes no LoRA keys without LoRA, as Keras 3 writes them only when enabled', () => {
    expect(Object.keys(km.layers.dense({ units: 2 }).getConfig())).not.toContain('loraRank');
    expect(Object.keys(km.layers.embedding({ inputDim: 2, outputDim: 2, loraRank: null }).getConfig())).not.toContain('loraRank');
  });

  it('refuses a second enableLora, a rank that is not a positive integer, a non-finite alpha, a constrained matrix and a layer a wrapper runs', () => {
    const layer = km.layers.dense({ units: 2, name: 'head', loraRank: 2 });
    expect(() => layer.enableLora(2)).toThrow("Dense layer 'head': lora is already enabled (loraRank=2). Enable it once.");
    expect(() => km.layers.dense({ units: 2, name: 'd0', loraRank: 0 })).toThrow("Dense layer 'd0': the LoRA rank must be a positive integer. Received: loraRank=0. Pass e.g. loraRank: 4, or null to train the full matrix.");
    expect(() => km.layers.embedding({ inputDim: 3, outputDim: 2, name: 'e', loraRank: 1.5 })).toThrow("Embedding layer 'e': the LoRA rank must be a positive integer. Received: loraRank=1.5.");
    expect(() => km.layers.dense({ units: 2, name: 'd1' }).enableLora(-1)).toThrow('Received: loraRank=-1.');
    expect(() => km.layers.dense({ units: 2, name: 'd2', loraRank: 2, loraAlpha: Number.NaN })).toThrow("Dense layer 'd2': loraAlpha must be a finite number. Received: loraAlpha=NaN.");
    const wrapped = km.layers.dense({ units: 2, name: 'wrapped' });
    km.sequential([km.layers.timeDistributed({ layer: wrapped, inputShape: [3, 4] })]);
    expect(() => wrapped.enableLora(4)).toThrow("Layer 'wrapped' runs inside TimeDistributed layer");
    expect(() => km.layers.dense({ units: 2, loraRnak: 2 } as km.layers.DenseArgs)).toThrow('loraRnak');
    expect(() => km.layers.dense({ units: 2, name: 'd3' }).enableLora(2, { alpha: 4 } as km.layers.EnableLoraOptions)).toThrow("Dense layer 'd3': enableLora has no option 'alpha'");
    // Keras 3 refuses LoRA beside a constraint on the matrix it adapts, which stays frozen.
    expect(() => km.layers.dense({ units: 2, name: 'd4', kernelConstraint: 'nonNeg', loraRank: 2 })).toThrow("Dense layer 'd4': LoRA is incompatible with kernelConstraint (the matrix it constrains stays frozen while A and B train). Received: kernelConstraint=NonNeg, loraRank=2.");
    const einsum = km.layers.einsumDense({ equation: 'ab,bc->ac', outputShape: 3, name: 'ed', kernelConstraint: 'unitNorm' });
    expect(() => einsum.enableLora(2)).toThrow("EinsumDense layer 'ed': LoRA is incompatible with kernelConstraint");
    expect(einsum.lora).toBeNull();
    expect(() => km.layers.embedding({ inputDim: 4, outputDim: 2, name: 'ec', embeddingsConstraint: 'maxNorm', loraRank: 1 })).toThrow("Embedding layer 'ec': LoRA is incompatible with embeddingsConstraint");
  });
});

describe('enableLora on a trained model (fine-tuning)', () => {
  it('keeps what the model predicts, then trains only the factors, as a model adapted from the start with those weights', async () => {
    const data = (n: number, k: number) => km.tensor(uniform(n * k), [n, k]);
    const [x, y, tokens] = [data(6, 4), data(6, 2), km.tensor([[1, 3], [2, 0], [4, 4], [0, 1], [3, 2], [1, 1]], [6, 2], 'int32')];
    const embed = km.layers.embedding({ inputDim: 5, outputDim: 4, name: 'embed' });
    const head = km.layers.dense({ units: 2, name: 'head' });
    const input = km.input({ shape: [2], dtype: 'int32' });
    const features = km.input({ shape: [4] });
    const pooled = km.layers.globalAveragePooling1d().apply(embed.apply(input) as km.SymbolicTensor) as km.SymbolicTensor;
    const model = km.model({ inputs: [input, features], outputs: head.apply(km.layers.add().apply([pooled, features]) as km.SymbolicTensor) as km.SymbolicTensor });
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.2 }), loss: 'meanSquaredError' });
    const fitArgs = { epochs: 3, batchSize: 3, shuffle: false, verbose: 0 as const };
    await model.fit([tokens, x], y, fitArgs);
    const before = (model.predict([tokens, x]) as km.Tensor).dataSync();
    const [kernel, table] = [head.getWeights()[0].dataSync(), embed.getWeights()[0].dataSync()];

    head.enableLora(2, { loraAlpha: 4 });
    embed.enableLora(3);
    // B starts at zero, so the adapted model predicts what the trained one did.
    expect([...(model.predict([tokens, x]) as km.Tensor).dataSync()]).toEqual([...before]);
    expect(model.trainableWeights.map((w) => w.name)).toEqual(['embed/lora_embeddings_a', 'embed/lora_embeddings_b', 'head/bias', 'head/lora_kernel_a', 'head/lora_kernel_b']);

    // The same weights in layers adapted before they were built train the same way.
    const refEmbed = km.layers.embedding({ inputDim: 5, outputDim: 4, loraRank: 3 });
    const refHead = km.layers.dense({ units: 2, loraRank: 2, loraAlpha: 4 });
    const refInput = km.input({ shape: [2], dtype: 'int32' });
    const refFeatures = km.input({ shape: [4] });
    const refPooled = km.layers.globalAveragePooling1d().apply(refEmbed.apply(refInput) as km.SymbolicTensor) as km.SymbolicTensor;
    const adapted = km.model({ inputs: [refInput, refFeatures], outputs: refHead.apply(km.layers.add().apply([refPooled, refFeatures]) as km.SymbolicTensor) as km.SymbolicTensor });
    refEmbed.setWeights(embed.getWeights());
    refHead.setWeights(head.getWeights());
    adapted.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.2 }), loss: 'meanSquaredError' });
    const ours = (await model.fit([tokens, x], y, fitArgs)).history.loss;
    const theirs = (await adapted.fit([tokens, x], y, fitArgs)).history.loss;
    ours.forEach((loss, i) => expect(Math.abs(loss - theirs[i])).toBeLessThan(1e-6));
    expect(ours[2]).toBeLessThan(ours[0]);
    // The frozen matrices did not move.
    const lastOf = (w: km.Tensor[]) => w[w.length - 1].dataSync();
    expect([...lastOf(head.getWeights())]).toEqual([...kernel]);
    expect([...lastOf(embed.getWeights())]).toEqual([...table]);
  });
});
