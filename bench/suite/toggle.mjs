// A model that flips a layer's `trainable` at every step (the GAN's generator and discriminator
// trained as one model, the discriminator frozen every other step), against the same model flipping
// every 50th step (the same mix of frozen and unfrozen steps, 1/50 of the flips): what a flip costs
// once kerasm keeps both settings' runtimes and optimizer layouts.
// tfjs-layers has no counterpart to time: its trainOnBatch reads the trainable weights fixed at compile.
import { interleave, median } from './stats.mjs';
import { km, useKerasm } from './setup.mjs';

const LATENT = 32;
const BATCH = 64;
const STEPS = 100;

function combinedModel() {
  km.utils.setRandomSeed(1);
  const generator = km.sequential({ layers: [km.layers.dense({ units: 128, activation: 'relu', inputShape: [LATENT] }), km.layers.dense({ units: 784, activation: 'sigmoid' })] });
  const discriminator = km.sequential({ layers: [km.layers.dense({ units: 128, inputShape: [784] }), km.layers.leakyReLU({ alpha: 0.2 }), km.layers.dense({ units: 1, activation: 'sigmoid' })] });
  const combined = km.sequential([generator, discriminator]);
  combined.compile({ optimizer: km.optimizers.adam({ learningRate: 2e-4, beta1: 0.5 }), loss: 'binaryCrossentropy' });
  return { combined, discriminator };
}

export async function toggleSpeed({ repetitions, log }) {
  await useKerasm(1);
  const z = km.tensor(Float32Array.from({ length: BATCH * LATENT }, (_, i) => Math.sin(i)), [BATCH, LATENT]);
  const y = km.tensor(new Float32Array(BATCH).fill(1), [BATCH, 1]);
  const contender = (every) => {
    const m = combinedModel();
    return async () => {
      const t0 = performance.now();
      for (let i = 0; i < STEPS; i++) {
        if (i % every === 0) m.discriminator.trainable = !m.discriminator.trainable;
        await m.combined.trainOnBatch(z, y);
      }
      return (performance.now() - t0) / STEPS;
    };
  };
  const contenders = { 'kerasm, flipping trainable every step (ms per step)': contender(1), 'kerasm, flipping every 50th step (ms per step)': contender(50) };
  // The first pass lays both settings out; the timed ones run on what it kept.
  for (const run of Object.values(contenders)) await run();
  const runs = await interleave(contenders, repetitions, (r) => log(`  rep ${r + 1} done`));
  const medians = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
  const [everyStep, every50th] = Object.values(medians);
  return {
    title: `One model (dense GAN, 206,000 weights, batch ${BATCH}) stepped ${STEPS} times per rep with trainOnBatch, one thread`,
    runs,
    medians,
    ratios: { 'flipping every step / every 50th': everyStep / every50th },
  };
}
