import { afterAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { backend } from '../backend/registry.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';

// The GAN loop kerasm's docs advise: the discriminator is compiled alone, frozen for the combined
// model's compile, and unfrozen around its own steps only. Each model then sees the same flags at
// every one of its steps, so the toggles must cost no new layout: the discriminator steps exactly as
// a twin that is never frozen, the combined model never moves it, and memory stays flat.

const LATENT = 4;
const BATCH = 4;

function gan(seed: number): { generator: km.Sequential; discriminator: km.Sequential; combined: km.Sequential } {
  km.utils.setRandomSeed(seed);
  const generator = km.sequential({ layers: [km.layers.dense({ units: 8, activation: 'relu', inputShape: [LATENT] }), km.layers.dense({ units: 6, activation: 'sigmoid' })] });
  const discriminator = discriminatorModel();
  discriminator.compile({ optimizer: km.optimizers.adam({ learningRate: 0.01, beta1: 0.5 }), loss: 'binaryCrossentropy' });
  discriminator.trainable = false;
  const combined = km.sequential([generator, discriminator]);
  combined.compile({ optimizer: km.optimizers.adam({ learningRate: 0.01, beta1: 0.5 }), loss: 'binaryCrossentropy' });
  return { generator, discriminator, combined };
}

function discriminatorModel(): km.Sequential {
  return km.sequential({ layers: [km.layers.dense({ units: 5, inputShape: [6] }), km.layers.leakyReLU({ alpha: 0.2 }), km.layers.dense({ units: 1, activation: 'sigmoid' })] });
}

const noise = (step: number, k: number) => km.tensor(Float32Array.from({ length: BATCH * LATENT }, (_, i) => Math.sin(step * 7.1 + k * 3.3 + i)), [BATCH, LATENT]);
const real = (step: number) => Float32Array.from({ length: BATCH * 6 }, (_, i) => 0.5 + 0.4 * Math.cos(step + i * 0.7));
const dLabels = km.tensor(Float32Array.from({ length: 2 * BATCH }, (_, i) => (i < BATCH ? 1 : 0)), [2 * BATCH, 1]);
const gLabels = km.tensor(new Float32Array(BATCH).fill(1), [BATCH, 1]);

const values = (model: km.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));

/** One GAN step with the toggles; returns the discriminator's batch and both losses. */
async function ganStep(g: ReturnType<typeof gan>, step: number): Promise<{ x: km.Tensor; dLoss: number; gLoss: number }> {
  const fake = g.generator.predict(noise(step, 0), { batchSize: BATCH }) as km.Tensor;
  const x = km.tensor(Float32Array.from([...real(step), ...fake.dataSync()]), [2 * BATCH, 6]);
  fake.dispose();
  g.discriminator.trainable = true;
  const dLoss = (await g.discriminator.trainOnBatch(x, dLabels)) as number;
  g.discriminator.trainable = false;
  const gLoss = (await g.combined.trainOnBatch(noise(step, 1), gLabels)) as number;
  return { x, dLoss, gLoss };
}

describe('the GAN recipe with trainable toggled around the discriminator’s steps', () => {
  it('steps the discriminator bit for bit as a twin that is never frozen, and the combined model never moves it', async () => {
    const g = gan(3);
    const twin = discriminatorModel();
    twin.setWeights(g.discriminator.getWeights());
    twin.compile({ optimizer: km.optimizers.adam({ learningRate: 0.01, beta1: 0.5 }), loss: 'binaryCrossentropy' });
    const generatorStart = values(g.generator);
    for (let step = 0; step < 12; step++) {
      const { x, dLoss } = await ganStep(g, step);
      expect(dLoss).toBe(await twin.trainOnBatch(x, dLabels));
      // ganStep's combined step ran after the discriminator's: the twin has not moved since.
      expect(values(g.discriminator)).toEqual(values(twin));
    }
    expect(values(g.generator)).not.toEqual(generatorStart);
  });
});

describe.each(BACKENDS_HERE)('toggled GAN steps on %s', (name) => {
  afterAll(() => useBackend('wasm'));

  it('100 steps allocate nothing after the first (wasm bytes, tfjs tensors)', async () => {
    await useBackend(name);
    const tensors = async () => (name === 'wasm' ? 0 : (await import('@tensorflow/tfjs-core')).memory().numTensors);
    const g = gan(5);
    for (let step = 0; step < 3; step++) (await ganStep(g, step)).x.dispose();
    const before = [backend().memoryBytes(), await tensors()];
    let last = { dLoss: NaN, gLoss: NaN };
    for (let step = 3; step < 103; step++) {
      const { x, dLoss, gLoss } = await ganStep(g, step);
      x.dispose();
      last = { dLoss, gLoss };
    }
    expect([backend().memoryBytes(), await tensors()]).toEqual(before);
    expect(Number.isFinite(last.dLoss) && Number.isFinite(last.gLoss)).toBe(true);
    g.combined.dispose();
    g.discriminator.dispose();
    g.generator.dispose();
  });
});
