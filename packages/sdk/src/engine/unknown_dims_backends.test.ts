import { afterAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';

// A model over sequences of any length on every backend here: the predictions, losses and trained
// weights the wasm backend gives, at each length in turn, from the same initial weights.

const wave = (shape: number[], phase: number) => km.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * 0.31 + phase)), shape);

function textModel(): km.LayersModel {
  km.utils.setRandomSeed(5);
  const model = km.sequential([
    km.layers.conv1d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [null, 3] }),
    km.layers.gru({ units: 3, returnSequences: true }),
    km.layers.globalAveragePooling1d(),
    km.layers.dense({ units: 1 }),
  ]);
  model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
  return model;
}

/** Per length: the predictions before training, and the losses of two epochs; then the weights. */
async function run(): Promise<{ predictions: number[][]; losses: number[][]; weights: number[][] }> {
  const model = textModel();
  const predictions: number[][] = [];
  const losses: number[][] = [];
  for (const steps of [6, 2, 9]) {
    predictions.push([...(await (model.predict(wave([3, steps, 3], steps)) as km.Tensor).data())]);
    losses.push((await model.fit(wave([5, steps, 3], steps), wave([5, 1], 1), { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 })).history.loss);
  }
  const weights = await Promise.all(model.getWeights().map(async (w) => [...(await w.data())]));
  model.dispose();
  return { predictions, losses, weights };
}

function close(a: readonly number[], b: readonly number[], tolerance: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(tolerance * Math.max(1, Math.abs(b[i]))));
}

describe.each(BACKENDS_HERE.filter((name) => name !== 'wasm'))('inputs of unknown length on %s', (name) => {
  afterAll(() => useBackend('wasm'));

  it('predicts, trains and ends with the weights the wasm backend gives, at each length in turn', async () => {
    await useBackend('wasm');
    const reference = await run();
    await useBackend(name);
    const here = await run();
    here.predictions.forEach((p, k) => close(p, reference.predictions[k], 1e-4));
    here.losses.forEach((l, k) => close(l, reference.losses[k], 1e-4));
    here.weights.forEach((w, k) => close(w, reference.weights[k], 1e-3));
  });
});
