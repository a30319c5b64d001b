import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, maxAbsDiff } from '../io/testing/round_trip.js';
import { largestSingularValue } from '../testing/spectral_reference.js';
import { Random } from '../utils/random.js';

// SpectralNormalization over several training steps (the kernel's largest singular value, from
// float64 power iterations, stays near 1), saved and loaded as Keras 3 writes it, and its errors.
beforeAll(() => km.ready());

type SavedLayer = { class_name: string; config: Record<string, unknown> };

describe('SpectralNormalization', () => {
  it("keeps the kernel's largest singular value near 1 from step to step", async () => {
    km.utils.setRandomSeed(3);
    const model = km.sequential([km.input({ shape: [5] }), km.layers.spectralNormalization({ layer: km.layers.dense({ units: 4, kernelInitializer: km.initializers.randomNormal({ stddev: 2 }) }) })]);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.01 }), loss: 'meanSquaredError' });
    const random = new Random(7);
    const x = km.tensor(Array.from({ length: 16 * 5 }, () => random.uniform(-1, 1)), [16, 5]);
    const y = km.tensor(Array.from({ length: 16 * 4 }, () => random.uniform(-1, 1)), [16, 4]);
    const sigma = () => largestSingularValue(Array.from(model.getWeights()[0].dataSync()), 5, 4);
    const sigmas = [sigma()];
    for (let step = 0; step < 8; step++) {
      await model.trainOnBatch(x, y);
      sigmas.push(sigma());
    }
    expect(sigmas[0]).toBeGreaterThan(2);
    // One power iteration per step from a random vector_u refines the estimate over the first steps.
    for (const s of sigmas.slice(3)) expect(Math.abs(s - 1), `σ per step: ${sigmas.join(', ')}`).toBeLessThan(0.05);
  });

  it('keeps its config, weights and predictions through save and km.loadLayersModel', async () => {
    km.utils.setRandomSeed(4);
    const model = km.sequential([km.input({ shape: [3] }), km.layers.spectralNormalization({ layer: km.layers.dense({ units: 2, activation: 'tanh' }), powerIterations: 3, name: 'sn' })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = km.tensor([0.5, -1, 2, 1.5, 0.2, -0.3], [2, 3]);
    await model.trainOnBatch(x, km.tensor([1, 0, 0, 1], [2, 2]));
    const artifacts = await kerasmArtifacts(model);
    const saved = (artifacts.modelTopology as { config: { layers: SavedLayer[] } }).config.layers.find((l) => l.config.name === 'sn')!;
    expect(saved.class_name).toBe('SpectralNormalization');
    expect(saved.config).toMatchObject({ power_iterations: 3, layer: { class_name: 'Dense', config: { units: 2, activation: 'tanh' } } });
    expect(artifacts.weightSpecs!.map((w) => [w.name, w.shape])).toEqual([['sn/kernel', [3, 2]], ['sn/bias', [2]], ['sn/vector_u', [1, 2]]]);

    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(maxAbsDiff(reloaded.predict(x).dataSync(), model.predict(x).dataSync())).toBe(0);
    model.getWeights().forEach((w, i) => expect(Array.from(reloaded.getWeights()[i].dataSync())).toEqual(Array.from(w.dataSync())));
    const layer = reloaded.getLayer('sn') as km.layers.SpectralNormalization;
    expect(layer.powerIterations).toBe(3);
    expect(layer.nonTrainableWeights.map((w) => w.name)).toEqual(['sn/vector_u']);
    const config = model.getLayer('sn').getConfig();
    expect(km.layers.layerFromConfig('SpectralNormalization', config).getConfig()).toEqual(config);
  });

  it('wraps a Conv2D and an Embedding, and starts vector_u from TruncatedNormal(stddev 0.02)', () => {
    km.utils.setRandomSeed(5);
    const conv = km.layers.spectralNormalization({ layer: km.layers.conv2d({ filters: 300, kernelSize: 2 }) });
    expect(conv.apply(km.input({ shape: [5, 5, 1] })).shape).toEqual([4, 4, 300]);
    const u = conv.getWeights()[2];
    expect(u.shape).toEqual([1, 300]);
    const values = Array.from(u.dataSync());
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(0.04);
    const std = Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
    expect(std).toBeGreaterThan(0.01);
    expect(std).toBeLessThan(0.025);
    const embedding = km.layers.spectralNormalization({ layer: km.layers.embedding({ inputDim: 10, outputDim: 3 }) });
    embedding.apply(km.input({ shape: [4] }));
    expect(embedding.weightSpecs.map((w) => [w.name.split('/').pop(), [...w.shape]])).toEqual([['embeddings', [10, 3]], ['vector_u', [1, 3]]]);
  });

  it('refuses a layer without a kernel and a bad powerIterations, naming the fix', () => {
    const noKernel = km.layers.spectralNormalization({ layer: km.layers.batchNormalization() });
    expect(() => noKernel.apply(km.input({ shape: [3] }))).toThrow(/has no weight 'kernel' nor 'embeddings' \(its weights: gamma, beta, moving_mean, moving_variance\).*km\.layers\.dense/);
    for (const bad of [0, -1, 1.5]) {
      expect(() => km.layers.spectralNormalization({ layer: km.layers.dense({ units: 2 }), powerIterations: bad })).toThrow(new RegExp(`integer greater than zero.*Received: powerIterations=${bad}`));
    }
    expect(() => km.layers.spectralNormalization({ layer: km.layers.dense({ units: 2 }), powerIteration: 2 } as never)).toThrow(/powerIteration/);
    expect(() => km.layers.spectralNormalization({ layer: 'dense' } as never)).toThrow(/must be a kerasm layer/);
  });
});
