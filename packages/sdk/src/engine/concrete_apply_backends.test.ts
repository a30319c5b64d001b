import { afterAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { backend } from '../backend/registry.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';

// layer.apply on data runs on the active backend: the same numbers as on wasm, weights that follow
// the layer across a backend switch and into models, and no tensor left behind per call.

const images = km.tensor(Float32Array.from({ length: 3 * 6 * 5 * 2 }, (_, i) => Math.sin(i * 0.41)), [3, 6, 5, 2]);

async function numTensors(name: string): Promise<number> {
  return name === 'wasm' ? 0 : (await import('@tensorflow/tfjs-core')).memory().numTensors;
}

function close(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(b[i])));
}

describe.each(BACKENDS_HERE.filter((name) => name !== 'wasm'))('layer.apply on concrete tensors on %s', (name) => {
  afterAll(() => useBackend('wasm'));

  it('gives the wasm backend’s results with the weights the layer had there, and a flat tensor count over repeated applies', async () => {
    await useBackend('wasm');
    km.utils.setRandomSeed(9);
    const conv = km.layers.conv2d({ filters: 3, kernelSize: 2, activation: 'relu' });
    const pool = km.layers.maxPooling2d({ poolSize: 2 });
    const bn = km.layers.batchNormalization();
    const reference = bn.apply(pool.apply(conv.apply(images)), { training: true });
    const referenceStats = bn.getWeights().map((w) => w.dataSync());
    // Back to the initial gamma, beta, moving mean and variance, so the training call below repeats the one above.
    bn.setWeights([[1, 1, 1], [0, 0, 0], [0, 0, 0], [1, 1, 1]].map((w) => km.tensor(w)));

    await useBackend(name);
    // Results stay on the device until read or disposed, as predict's (and tfjs') do.
    const run = () => {
      const convolved = conv.apply(images);
      const pooled = pool.apply(convolved);
      const normalized = bn.apply(pooled, { training: true });
      convolved.dispose();
      pooled.dispose();
      return normalized;
    };
    const out = run();
    close(await out.data(), reference.dataSync());
    const stats = await Promise.all(bn.getWeights().map((w) => w.data()));
    stats.forEach((s, k) => close(s, referenceStats[k]));
    const [tensors, bytes] = [await numTensors(name), backend().memoryBytes()];
    for (let i = 0; i < 5; i++) await run().data();
    expect(await numTensors(name)).toBe(tensors);
    expect(backend().memoryBytes()).toBe(bytes);
  });

  it('uses the weights a model trained on this backend, wherever they move when that model is disposed', async () => {
    await useBackend(name);
    km.utils.setRandomSeed(10);
    const hidden = km.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] });
    const model = km.sequential([hidden, km.layers.dense({ units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = km.tensor(Float32Array.from({ length: 12 }, (_, i) => Math.cos(i)), [4, 3]);
    await model.fit(x, km.tensor([[1], [0], [1], [0]]), { epochs: 2, batchSize: 2, verbose: 0, seed: 1 });
    const applied = await hidden.apply(x).data();
    close(applied, await km.model({ inputs: model.inputs, outputs: hidden.output }).predict(x).data());
    model.dispose();
    // Disposing the model hands the weights to the other model holding the layer (the feature extractor), where apply finds them.
    close(await hidden.apply(x).data(), applied);
  });
});
