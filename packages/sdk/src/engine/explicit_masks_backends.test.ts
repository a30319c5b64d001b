import { afterAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';

// A mask given explicitly gives every backend the wasm backend's predictions and training losses;
// its values 2 and 0.5 keep their steps on each (Keras casts masks to booleans).

const [BATCH, STEPS, FEATURES] = [3, 4, 2];
const xValues = Float32Array.from({ length: BATCH * STEPS * FEATURES }, (_, i) => Math.sin(i * 0.53));
const maskValues = Float32Array.from([1, 2, 0, 0, 1, 1, 0.5, 1, 0, 1, 1, 0]);
const targets = Float32Array.from({ length: BATCH * STEPS }, (_, i) => Math.cos(i * 0.7));

/** Predictions and 3 SGD losses of a GRU tagger reading the mask, from seeded weights. */
async function run(): Promise<{ predictions: Float32Array; losses: number[] }> {
  km.utils.setRandomSeed(5);
  const x = km.input({ shape: [STEPS, FEATURES] });
  const keep = km.input({ shape: [STEPS] });
  const tagged = km.layers.dense({ units: 1 }).apply(km.layers.gru({ units: 3, returnSequences: true }).apply(x, { mask: keep }));
  const model = km.model({ inputs: [x, keep], outputs: tagged });
  model.compile({ optimizer: km.optimizers.sgd(0.3), loss: 'meanSquaredError' });
  const inputs = [km.tensor(xValues, [BATCH, STEPS, FEATURES]), km.tensor(maskValues, [BATCH, STEPS])];
  // Read asynchronously: tfjs-webgpu reads nothing back synchronously.
  const predictions = Float32Array.from(await (model.predict(inputs) as km.Tensor).data());
  const history = await model.fit(inputs, km.tensor(targets, [BATCH, STEPS, 1]), { epochs: 3, batchSize: BATCH, shuffle: false, verbose: 0 });
  model.dispose();
  return { predictions, losses: history.history.loss as number[] };
}

describe.each(BACKENDS_HERE.filter((name) => name !== 'wasm'))('a mask given explicitly on %s', (name) => {
  afterAll(() => useBackend('wasm'));

  it('predicts and trains as on wasm', async () => {
    await useBackend('wasm');
    const expected = await run();
    await useBackend(name);
    const got = await run();
    got.predictions.forEach((v, i) => expect(Math.abs(v - expected.predictions[i])).toBeLessThan(1e-5));
    got.losses.forEach((v, i) => expect(Math.abs(v - expected.losses[i])).toBeLessThan(1e-5));
  });
});
