import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { savedArtifacts } from '../testing/saved_artifacts.js';
import { kerasLayer, kerasSequential } from '../testing/keras3_functional_configs.js';
import { decodeWeights, encodeWeights } from './weights.js';
import { Random } from '../utils/random.js';

// LoRA-adapted layers save as Keras 3 saves them: the matrix merged (W + s·A·B) under its own
// name, the factors left out, lora_rank and lora_alpha in the config; loading such a file (kerasm's
// or Keras 3's) enables LoRA at build with fresh factors, so the model computes what was saved.
beforeAll(() => km.ready());

const random = new Random(23);
const uniform = (n: number) => Array.from({ length: n }, () => random.uniform(-1, 1));

/** The saved weights by name. */
function savedByName(artifacts: km.io.ModelArtifacts): Record<string, number[]> {
  const weights = decodeWeights(artifacts.weightSpecs!, artifacts.weightData as ArrayBuffer, 'saved');
  return Object.fromEntries(weights.map((w) => [w.name, Array.from(w.values)]));
}

/** A layer's weights by their full names. */
const weightsByName = (layer: km.layers.Layer) => Object.fromEntries(layer.weights.map((w, i) => [w.name, Array.from(layer.getWeights()[i].dataSync())]));

describe('saving and loading LoRA-adapted layers', () => {
  it('saves the merged matrices and lora_rank, and the loaded model predicts the same and trains A and B again', async () => {
    km.utils.setRandomSeed(4);
    const embedding = km.layers.embedding({ inputDim: 6, outputDim: 4, inputShape: [3], loraRank: 2, loraAlpha: 6, name: 'tokens' });
    const dense = km.layers.dense({ units: 2, activation: 'tanh', loraRank: 3, name: 'head' });
    const model = km.sequential([embedding, km.layers.flatten(), dense]);
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const x = km.tensor([0, 1, 2, 5, 4, 3, 1, 1, 0, 2, 3, 4], [4, 3]);
    await model.fit(x, km.tensor(uniform(8), [4, 2]), { epochs: 5, verbose: 0 });
    const before = weightsByName(dense);
    expect(before['head/lora_kernel_b'].some((v) => v !== 0)).toBe(true); // trained, so the merge changes the kernel

    const artifacts = await savedArtifacts(model, false);
    const saved = savedByName(artifacts);
    expect(Object.keys(saved).sort()).toEqual(['head/bias', 'head/kernel', 'tokens/embeddings']);
    // The merged kernel, W + (alpha / rank)·A·B, in float64.
    const [w, a, b] = [before['head/kernel'], before['head/lora_kernel_a'], before['head/lora_kernel_b']];
    const units = 2;
    saved['head/kernel'].forEach((v, k) => {
      const [i, j] = [Math.floor(k / units), k % units];
      const merged = w[k] + (3 / 3) * [0, 1, 2].reduce((sum, r) => sum + a[i * 3 + r] * b[r * units + j], 0);
      expect(Math.abs(v - merged)).toBeLessThan(1e-6);
    });
    const layers = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    expect(layers.find((l) => l.class_name === 'Dense')!.config).toMatchObject({ lora_rank: 3, lora_alpha: 3 });
    expect(layers.find((l) => l.class_name === 'Embedding')!.config).toMatchObject({ lora_rank: 2, lora_alpha: 6 });

    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    const predicted = await loaded.predict(x).data();
    const expected = await model.predict(x).data();
    expected.forEach((v, i) => expect(Math.abs(predicted[i] - v)).toBeLessThan(1e-5));
    const head = loaded.getLayer('head') as km.layers.Dense;
    expect(head.lora?.rank).toBe(3);
    const fresh = weightsByName(head);
    expect(fresh['head/kernel']).toEqual(saved['head/kernel']);
    expect(fresh['head/lora_kernel_b'].every((v) => v === 0)).toBe(true);
    expect(fresh['head/lora_kernel_a'].some((v) => v !== 0)).toBe(true);
    expect((loaded.getLayer('tokens') as km.layers.Embedding).lora?.alpha).toBe(6);

    // Saved again untrained, the merge is the kernel itself.
    const again = savedByName(await savedArtifacts(loaded, false));
    expect(again['head/kernel']).toEqual(saved['head/kernel']);
    expect(again['tokens/embeddings']).toEqual(saved['tokens/embeddings']);
    loaded.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: 'meanSquaredError' });
    await loaded.fit(x, km.tensor(uniform(8), [4, 2]), { epochs: 2, verbose: 0 });
    const trained = weightsByName(head);
    expect(trained['head/kernel']).toEqual(saved['head/kernel']);
    expect(trained['head/lora_kernel_b'].some((v) => v !== 0)).toBe(true);
  });

  it('loads a Keras 3 model whose Dense has lora_rank: 4, computing with the saved kernel and training only A, B and the bias', async () => {
    const [k, units] = [5, 3];
    const topology = kerasSequential('sequential', [null, k], [kerasLayer('Dense', { name: 'dense', units, lora_rank: 4, lora_alpha: 8 }, [], [null, k])]);
    const kernel = uniform(k * units);
    const bias = uniform(units);
    const { specs, data } = encodeWeights([
      { name: 'dense/kernel', shape: [k, units], values: Float32Array.from(kernel) },
      { name: 'dense/bias', shape: [units], values: Float32Array.from(bias) },
    ]);
    const model = await km.loadLayersModel(km.io.fromMemory({ modelTopology: topology, format: 'layers-model', weightSpecs: specs, weightData: data }));
    const dense = model.getLayer('dense') as km.layers.Dense;
    expect([dense.lora?.rank, dense.lora?.alpha]).toEqual([4, 8]);
    expect(dense.trainableWeights.map((w) => [w.name, w.shape])).toEqual([['dense/bias', [3]], ['dense/lora_kernel_a', [5, 4]], ['dense/lora_kernel_b', [4, 3]]]);
    const x = uniform(2 * k);
    const predicted = await model.predict(km.tensor(x, [2, k])).data();
    for (let r = 0; r < 2; r++) {
      for (let j = 0; j < units; j++) {
        const expected = bias[j] + [0, 1, 2, 3, 4].reduce((sum, q) => sum + x[r * k + q] * kernel[q * units + j], 0);
        expect(Math.abs(predicted[r * units + j] - expected)).toBeLessThan(1e-5);
      }
    }
  });

  it('reads lora_rank and lora_alpha from a Keras config, and still refuses lora_rank on a layer Keras 3 does not adapt', () => {
    expect(km.layers.layerFromConfig('Dense', { units: 2, lora_rank: 4, lora_alpha: 8 }).getConfig()).toMatchObject({ loraRank: 4, loraAlpha: 8 });
    expect(km.layers.layerFromConfig('Embedding', { input_dim: 5, output_dim: 2, lora_rank: 2 }).getConfig()).toMatchObject({ loraRank: 2, loraAlpha: 2 });
    expect(km.layers.layerFromConfig('Dense', { units: 2, lora_rank: null, lora_alpha: null }).getConfig()).not.toHaveProperty('loraRank');
    expect(km.layers.layerFromConfig('Conv1D', { filters: 2, kernel_size: 3, lora_rank: 2 }).getConfig()).toMatchObject({ loraRank: 2, loraAlpha: 2 });
    // Keras 3's transposed convolutions have no lora_rank (BaseConvTranspose), so no writer puts it there.
    expect(() => km.layers.layerFromConfig('Conv2DTranspose', { filters: 2, kernel_size: 3, lora_rank: 2 })).toThrow("Conv2DTranspose has no use for the config key 'lora_rank'");
  });
});
