// layer.apply on data in a loop: a Dense(784 -> 64, relu) applied to 1 and to 64 MNIST-sized rows,
// against the same layer's one-layer model.predict (what apply reuses) and tfjs-layers' apply on
// tfjs-wasm (tensors disposed each call, as a tfjs loop must). kerasm runs on one thread, as
// tfjs-wasm does in Node.
import { interleave, median, secondsPerCall } from './stats.mjs';
import { km, tf, tfl, useKerasm, useTfjs } from './setup.mjs';

export async function applySpeed({ repetitions, log }) {
  await useKerasm(1);
  await useTfjs('wasm');
  km.utils.setRandomSeed(1);
  const ours = km.layers.dense({ units: 64, activation: 'relu' });
  const theirs = tfl.layers.dense({ units: 64, activation: 'relu' });
  const contenders = {};
  for (const batch of [1, 64]) {
    const values = Float32Array.from({ length: batch * 784 }, (_, i) => (i % 255) / 255);
    const kmX = km.tensor(values, [batch, 784]);
    const tfX = tf.tensor2d(values, [batch, 784]);
    ours.apply(kmX);
    const model = km.sequential([ours]);
    contenders[`kerasm apply batch ${batch} (ms)`] = () => secondsPerCall(() => ours.apply(kmX).dataSync()) * 1000;
    contenders[`kerasm one-layer predict batch ${batch} (ms)`] = () => secondsPerCall(() => model.predict(kmX, { batchSize: batch }).dataSync()) * 1000;
    contenders[`tfjs-wasm apply batch ${batch} (ms)`] = () => secondsPerCall(() => { const y = theirs.apply(tfX); y.dataSync(); y.dispose(); }) * 1000;
  }
  const runs = await interleave(contenders, repetitions, (r) => log(`  rep ${r + 1} done`));
  const medians = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
  const ratios = {};
  for (const batch of [1, 64]) {
    ratios[`kerasm apply / tfjs-wasm apply (batch ${batch})`] = medians[`kerasm apply batch ${batch} (ms)`] / medians[`tfjs-wasm apply batch ${batch} (ms)`];
    ratios[`kerasm apply / one-layer predict (batch ${batch})`] = medians[`kerasm apply batch ${batch} (ms)`] / medians[`kerasm one-layer predict batch ${batch} (ms)`];
  }
  return { title: 'Dense(784 -> 64, relu) layer.apply on data, one thread', runs, medians, ratios };
}
