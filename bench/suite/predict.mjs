// Inference of the reference MLP: batch-1 latency, and throughput of model.predict over the
// 10,000 MNIST test images at batch 64 and 256 (the whole tensor handed to predict, as users do).
import { interleave, median, secondsPerCall } from './stats.mjs';
import { CORES, kerasmMlp, km, tf, tfjsMlp, useKerasmThreads, useTfjs } from './setup.mjs';

export async function predictSpeed({ repetitions, log }) {
  const { test } = await km.datasets.mnist.load();
  const n = test.x.shape[0];
  await useKerasmThreads(CORES);
  const ours = kerasmMlp();
  await useTfjs('wasm');
  const theirs = tfjsMlp();
  const flat = test.x.dataSync();
  const tfX = tf.tensor2d(flat, [n, 784]);
  const tfOne = tf.tensor2d(flat.subarray(0, 784), [1, 784]);
  const kmOne = test.x.slice(0, 1);

  const latency = {
    'kerasm batch 1 (ms)': () => secondsPerCall(() => ours.predict(kmOne).dataSync()) * 1000,
    'tfjs-wasm batch 1 (ms)': () => secondsPerCall(() => { const p = theirs.predict(tfOne); p.dataSync(); p.dispose(); }) * 1000,
  };
  const throughput = {};
  for (const batchSize of [64, 256]) {
    throughput[`kerasm batch ${batchSize} (samples/s)`] = () => n / secondsPerCall(() => ours.predict(test.x, { batchSize }).dataSync(), { minMs: 1, trials: 3 });
    throughput[`tfjs-wasm batch ${batchSize} (samples/s)`] = () => n / secondsPerCall(() => { const p = theirs.predict(tfX, { batchSize }); p.dataSync(); p.dispose(); }, { minMs: 1, trials: 3 });
  }
  const runs = await interleave({ ...latency, ...throughput }, repetitions, (r) => log(`  rep ${r + 1} done`));
  tf.dispose([tfX, tfOne]);
  const medians = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
  const ratios = {
    'latency kerasm / tfjs-wasm (batch 1)': medians['kerasm batch 1 (ms)'] / medians['tfjs-wasm batch 1 (ms)'],
    'throughput kerasm / tfjs-wasm (batch 64)': medians['kerasm batch 64 (samples/s)'] / medians['tfjs-wasm batch 64 (samples/s)'],
    'throughput kerasm / tfjs-wasm (batch 256)': medians['kerasm batch 256 (samples/s)'] / medians['tfjs-wasm batch 256 (samples/s)'],
  };
  return { title: `Reference MLP predict (untrained weights; kerasm on ${CORES} threads)`, runs, medians, ratios };
}
