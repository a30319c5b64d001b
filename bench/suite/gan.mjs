// The classic dense GAN on MNIST (generator 32 -> 128 relu -> 784 sigmoid, discriminator 784 -> 128
// LeakyReLU -> 1 sigmoid, Adam 2e-4 / 0.5), one step = the generator's predict on 64 noise rows, the
// discriminator's trainOnBatch on 64 real + 64 fake rows, the combined model's trainOnBatch on 64.
// kerasm follows its docs' recipe (the discriminator unfrozen around its own step), with one
// optimizer per model and with one shared by both; tfjs-layers 4.22 on tfjs-wasm freezes it for the
// combined model's compile only (frozen for good, its own trainOnBatch throws: variableGrads drops
// untrainable variables at every step). kerasm runs on one thread, as tfjs-wasm does in Node.
import { interleave, median } from './stats.mjs';
import { km, tf, tfl, useKerasm, useTfjs } from './setup.mjs';

const LATENT = 32;
const BATCH = 64;
const STEPS = 40;
const WARMUP = 3;

/** The GAN's three models in `api` (kerasm or tfjs-layers), D compiled, D frozen, combined compiled. */
function ganModels(api, adam, shareOptimizer) {
  const generator = api.sequential({ layers: [
    api.layers.dense({ units: 128, activation: 'relu', inputShape: [LATENT] }),
    api.layers.dense({ units: 784, activation: 'sigmoid' }),
  ] });
  const discriminator = api.sequential({ layers: [
    api.layers.dense({ units: 128, inputShape: [784] }),
    api.layers.leakyReLU({ alpha: 0.2 }),
    api.layers.dense({ units: 1, activation: 'sigmoid' }),
  ] });
  const optimizer = adam();
  discriminator.compile({ optimizer, loss: 'binaryCrossentropy' });
  discriminator.trainable = false;
  const combined = api.sequential({ layers: [generator, discriminator] });
  combined.compile({ optimizer: shareOptimizer ? optimizer : adam(), loss: 'binaryCrossentropy' });
  return { generator, discriminator, combined };
}

/** Seeded batches of real images and noise, the same for every contender. */
function ganBatches(images, count) {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const n = images.length / 784;
  return Array.from({ length: count }, () => {
    const real = new Float32Array(BATCH * 784);
    for (let r = 0; r < BATCH; r++) {
      const i = Math.floor(rand() * n);
      real.set(images.subarray(i * 784, (i + 1) * 784), r * 784);
    }
    return { real, noiseD: Float32Array.from({ length: BATCH * LATENT }, gauss), noiseG: Float32Array.from({ length: BATCH * LATENT }, gauss) };
  });
}

const dLabels = Float32Array.from({ length: 2 * BATCH }, (_, i) => (i < BATCH ? 1 : 0));
const gLabels = new Float32Array(BATCH).fill(1);

/** A kerasm GAN step function, toggling the discriminator as kerasm's docs advise. */
function kerasmGan(shareOptimizer) {
  km.utils.setRandomSeed(1);
  const { generator, discriminator, combined } = ganModels(km, () => km.optimizers.adam({ learningRate: 2e-4, beta1: 0.5 }), shareOptimizer);
  const yD = km.tensor(dLabels, [2 * BATCH, 1]);
  const yG = km.tensor(gLabels, [BATCH, 1]);
  const both = new Float32Array(2 * BATCH * 784);
  return async ({ real, noiseD, noiseG }) => {
    both.set(real, 0);
    both.set(generator.predict(km.tensor(noiseD, [BATCH, LATENT]), { batchSize: BATCH }).dataSync(), BATCH * 784);
    discriminator.trainable = true;
    const dLoss = await discriminator.trainOnBatch(km.tensor(both, [2 * BATCH, 784]), yD);
    discriminator.trainable = false;
    return [dLoss, await combined.trainOnBatch(km.tensor(noiseG, [BATCH, LATENT]), yG)];
  };
}

/** The tfjs-layers GAN step function (tfjs' trainOnBatch reads the combined model's weight list at compile). */
function tfjsGan() {
  const { generator, discriminator, combined } = ganModels(tfl, () => tf.train.adam(2e-4, 0.5), false);
  discriminator.trainable = true;
  const yD = tf.tensor2d(dLabels, [2 * BATCH, 1]);
  const yG = tf.tensor2d(gLabels, [BATCH, 1]);
  return async ({ real, noiseD, noiseG }) => {
    const x = tf.tidy(() => tf.concat([tf.tensor2d(real, [BATCH, 784]), generator.predict(tf.tensor2d(noiseD, [BATCH, LATENT]))], 0));
    const dLoss = await discriminator.trainOnBatch(x, yD);
    const z = tf.tensor2d(noiseG, [BATCH, LATENT]);
    const gLoss = await combined.trainOnBatch(z, yG);
    tf.dispose([x, z]);
    return [dLoss, gLoss];
  };
}

export async function ganSpeed({ repetitions, log }) {
  await useKerasm(1);
  await useTfjs('wasm');
  const { train } = await km.datasets.mnist.load();
  const batches = ganBatches(train.x.dataSync(), WARMUP + STEPS * repetitions);
  const steps = {
    'kerasm, an optimizer per model': kerasmGan(false),
    'kerasm, one optimizer shared': kerasmGan(true),
    'tfjs-layers on tfjs-wasm': tfjsGan(),
  };
  const done = Object.fromEntries(Object.keys(steps).map((k) => [k, 0]));
  const losses = {};
  const contenders = Object.fromEntries(Object.entries(steps).map(([name, step]) => [`${name} (ms per GAN step)`, async () => {
    if (done[name] === 0) for (const b of batches.slice(0, WARMUP)) await step(b);
    const from = WARMUP + done[name] * STEPS;
    const t0 = performance.now();
    for (const b of batches.slice(from, from + STEPS)) losses[name] = await step(b);
    done[name]++;
    return (performance.now() - t0) / STEPS;
  }]));
  const runs = await interleave(contenders, repetitions, (r) => log(`  rep ${r + 1} done; last losses (D, combined): ${Object.entries(losses).map(([k, [d, g]]) => `${k} ${d.toFixed(3)}, ${g.toFixed(3)}`).join('; ')}`));
  const medians = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
  const ms = (name) => medians[`${name} (ms per GAN step)`];
  const ratios = {
    'kerasm / tfjs-wasm (an optimizer per model)': ms('kerasm, an optimizer per model') / ms('tfjs-layers on tfjs-wasm'),
    'kerasm shared optimizer / an optimizer per model': ms('kerasm, one optimizer shared') / ms('kerasm, an optimizer per model'),
  };
  return { title: `Dense GAN on MNIST, ${STEPS} steps per rep (D on ${BATCH} real + ${BATCH} fake, combined on ${BATCH}), one thread`, runs, medians, ratios };
}
