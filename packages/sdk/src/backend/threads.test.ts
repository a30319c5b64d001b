import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

let train: { x: km.Tensor; y: km.Tensor };

beforeAll(async () => {
  const data = await km.datasets.mnist.load();
  train = { x: data.train.x.slice(0, 2048), y: data.train.y.slice(0, 2048) };
});

/** Trains the reference MLP for two epochs and returns its losses and final weights. */
async function trainReferenceMlp(): Promise<{ loss: number[]; weights: Float32Array[] }> {
  km.utils.setRandomSeed(11);
  const model = km.sequential([
    km.layers.flatten({ inputShape: [28, 28] }),
    km.layers.dense({ units: 64, activation: 'relu' }),
    km.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(train.x, train.y, { epochs: 2, batchSize: 64, verbose: 0 });
  return { loss: history.history.loss, weights: model.getWeights().map((w) => w.dataSync() as Float32Array) };
}

/**
 * Trains a small Keras-style convnet (every kernel the pool splits: im2col/col2im, max and
 * average pooling and their gradients, the bias gradient, dropout, Adam) on 512 images.
 */
async function trainConvnet(): Promise<{ loss: number[]; weights: Float32Array[] }> {
  km.utils.setRandomSeed(5);
  const model = km.sequential([
    km.layers.reshape({ targetShape: [28, 28, 1], inputShape: [28, 28] }),
    km.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu' }),
    km.layers.maxPooling2d({ poolSize: 2 }),
    km.layers.conv2d({ filters: 12, kernelSize: 3, activation: 'tanh' }),
    km.layers.averagePooling2d({ poolSize: 2 }),
    km.layers.flatten(),
    km.layers.dropout({ rate: 0.3 }),
    km.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const history = await model.fit(train.x.slice(0, 512), train.y.slice(0, 512), { epochs: 2, batchSize: 64, verbose: 0 });
  return { loss: history.history.loss, weights: model.getWeights().map((w) => w.dataSync() as Float32Array) };
}

describe('km.setThreads', () => {
  it('trains bit-identically on 1, 2 and 3 threads, and repeats itself on each', async () => {
    await km.setThreads(1);
    await km.ready();
    expect(km.getBackendInfo().threads).toBe(1);
    const single = await trainReferenceMlp();
    expect(single.loss[1]).toBeLessThan(single.loss[0]);
    for (const threads of [2, 3]) {
      await km.setThreads(threads);
      expect(km.getBackendInfo()).toMatchObject({ name: 'wasm', threads });
      const first = await trainReferenceMlp();
      const again = await trainReferenceMlp();
      expect(first.loss).toEqual(single.loss);
      expect(again.loss).toEqual(first.loss);
      first.weights.forEach((w, i) => expect(w).toEqual(single.weights[i]));
      again.weights.forEach((w, i) => expect(w).toEqual(first.weights[i]));
    }
  });

  it('trains a convnet bit-identically on 1, 2 and 3 threads', async () => {
    await km.setThreads(1);
    const single = await trainConvnet();
    expect(single.loss[1]).toBeLessThan(single.loss[0]);
    for (const threads of [2, 3]) {
      await km.setThreads(threads);
      expect(km.getBackendInfo().threads).toBe(threads);
      const threaded = await trainConvnet();
      expect(threaded.loss).toEqual(single.loss);
      threaded.weights.forEach((w, i) => expect(w).toEqual(single.weights[i]));
    }
  });

  it('moves a model to the reloaded backend when the thread count changes', async () => {
    await km.setThreads(2);
    km.utils.setRandomSeed(3);
    const model = km.sequential([km.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] })]);
    const x = km.tensor([[1, -2, 0.5], [0, 1, 2]]);
    const before = model.predict(x).dataSync();
    await km.setThreads(1);
    expect(km.getBackendInfo().threads).toBe(1);
    expect(model.predict(x).dataSync()).toEqual(before);
  });

  it('rejects a thread count that is not a positive integer, saying what to pass', async () => {
    await expect(km.setThreads(0)).rejects.toThrow(/setThreads: threads must be an integer ≥ 1; received 0. Pass e.g. km.setThreads\(2\)/);
    await expect(km.setThreads(Number.NaN)).rejects.toThrow(/received NaN/);
    await expect(km.setThreads('2' as unknown as number)).rejects.toThrow(/received 2/);
  });
});
