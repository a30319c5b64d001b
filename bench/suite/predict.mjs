// Inference of the reference MLP: batch-1 latency, and throughput of model.predict over the
// 10,000 MNIST test images at batch 64 and 256 (the whole tensor handed to predict, as users do).
// kerasm runs on 1 thread (as tfjs-wasm does in Node) and on all cores.
import { interleave, median, secondsPerCall } from './stats.mjs';
import { CORES, kerasmMlp, km, tf, tfjsMlp, useKerasm, useTfjs } from './setup.mjs';

export async function predictSpeed({ repetitions, log }) {
  const { test } = await km.datasets.mnist.load();
  const n = test.x.shape[0];
  await useKerasm(CORES);
  const ours = kerasmMlp();
  await useTfjs('wasm');
  const theirs = tfjsMlp();
  const flat = test.x.dataSync();
  const tfX = tf.tensor2d(flat, [n, 784]);
  const tfOne = tf.tensor2d(flat.subarray(0, 784), [1, 784]);
  const kmOne = test.x.slice(0, 1);

  // The model moves to the new core when km.setThreads replaces it; its weights stay the same.
  const kerasmOn = (threads, measure) => async () => {
    await useKerasm(threads);
    return measure();
  };
  const THREADS = [...new Set([1, CORES])];
  const latency = {
    ...Object.fromEntries(THREADS.map((t) => [`kerasm ${t} thread(s) batch 1 (ms)`, kerasmOn(t, () => secondsPerCall(() => ours.predict(kmOne).dataSync()) * 1000)])),
    'tfjs-wasm batch 1 (ms)': () => secondsPerCall(() => { const p = theirs.predict(tfOne); p.dataSync(); p.dispose(); }) * 1000,
  };
  const throughput = {};
  for (const batchSize of [64, 256]) {
    for (const t of THREADS) {
      throughput[`kerasm ${t} thread(s) batch ${batchSize} (samples/s)`] = kerasmOn(t, () => n / secondsPerCall(() => ours.predict(test.x, { batchSize }).dataSync(), { minMs: 1, trials: 3 }));
    }
    throughput[`tfjs-wasm batch ${batchSize} (samples/s)`] = () => n / secondsPerCall(() => { const p = theirs.predict(tfX, { batchSize }); p.dataSync(); p.dispose(); }, { minMs: 1, trials: 3 });
  }
  const runs = await interleave({ ...latency, ...throughput }, repetitions, (r) => log(`  rep ${r + 1} done`));
  tf.dispose([tfX, tfOne]);
  const medians = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
  const ratios = {};
  for (const t of THREADS) {
    ratios[`latency kerasm ${t} thread(s) / tfjs-wasm (batch 1)`] = medians[`kerasm ${t} thread(s) batch 1 (ms)`] / medians['tfjs-wasm batch 1 (ms)'];
    for (const batchSize of [64, 256]) {
      ratios[`throughput kerasm ${t} thread(s) / tfjs-wasm (batch ${batchSize})`] = medians[`kerasm ${t} thread(s) batch ${batchSize} (samples/s)`] / medians[`tfjs-wasm batch ${batchSize} (samples/s)`];
    }
  }
  return { title: 'Reference MLP predict (untrained weights; tfjs-wasm runs on one thread in Node)', runs, medians, ratios };
}
