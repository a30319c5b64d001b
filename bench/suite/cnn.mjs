// Keras MNIST convnet training (Adam, batch 64), samples per second: kerasm on 1 and all threads
// against tfjs-layers on tfjs-backend-cpu, and kerasm at batch 32, which `kerasm train --model cnn`
// uses. tfjs-backend-wasm cannot train it ("Kernel 'Conv2DBackpropFilter' not registered for
// backend 'wasm'"), and tfjs-cpu takes seconds per step, so it times a few trainOnBatch steps
// after one warm-up step.
import { interleave, median } from './stats.mjs';
import { CORES, convnetLayers, km, tf, tfl, useKerasm, useTfjs } from './setup.mjs';

const BATCH = 64;
const WARMUP_STEPS = 10;

/** Convnet training samples/s on a kerasm backend (wasm: on `threads` threads). */
export async function kerasmRate(train, threads, steps, batch = BATCH, backend = 'wasm') {
  await useKerasm(threads, backend);
  km.utils.setRandomSeed(1);
  const model = km.sequential(convnetLayers(km));
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const warm = WARMUP_STEPS * batch;
  await model.fit(train.x.slice(0, warm), train.y.slice(0, warm), { epochs: 1, batchSize: batch, verbose: 0 });
  const n = steps * batch;
  const x = train.x.slice(warm, warm + n), y = train.y.slice(warm, warm + n);
  const t0 = performance.now();
  await model.fit(x, y, { epochs: 1, batchSize: batch, verbose: 0 });
  const seconds = (performance.now() - t0) / 1000;
  model.dispose();
  return n / seconds;
}

/** tfjs-layers' convnet training samples/s on tfjs backend `backend`. */
export async function tfjsRate(data, steps, backend = 'cpu') {
  await useTfjs(backend);
  const model = tfl.sequential({ layers: convnetLayers(tfl) });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const x = tf.tensor(data.x.subarray(0, BATCH * 784), [BATCH, 28, 28]);
  const y = tf.tensor1d(data.y.subarray(0, BATCH), 'float32');
  await model.trainOnBatch(x, y);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await model.trainOnBatch(x, y);
  const seconds = (performance.now() - t0) / 1000;
  tf.dispose([x, y]);
  model.dispose();
  return (steps * BATCH) / seconds;
}

/** Runs the section; returns medians (samples/s) and kerasm/tfjs-cpu speed-ups. */
export async function cnnTraining({ repetitions, kerasmSteps = 100, tfjsSteps = 2, log }) {
  const { train } = await km.datasets.mnist.load();
  const data = { x: train.x.dataSync(), y: new Float32Array(train.y.dataSync()) };
  const contenders = {
    'kerasm 1 thread': () => kerasmRate(train, 1, kerasmSteps),
    [`kerasm ${CORES} threads`]: () => kerasmRate(train, CORES, kerasmSteps),
    'kerasm 1 thread, batch 32': () => kerasmRate(train, 1, 2 * kerasmSteps, 32),
    'tfjs-cpu': () => tfjsRate(data, tfjsSteps),
  };
  const runs = await interleave(contenders, repetitions, (r, res) => log(`  rep ${r + 1}: ${Object.entries(res).map(([k, v]) => `${k} ${v[r].toFixed(1)} samples/s`).join(', ')}`));
  const medians = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
  const ratios = {};
  for (const ours of ['kerasm 1 thread', `kerasm ${CORES} threads`, 'kerasm 1 thread, batch 32']) ratios[`${ours} / tfjs-cpu`] = medians[ours] / medians['tfjs-cpu'];
  return {
    title: `Keras MNIST convnet training, samples/s (batch 64 unless named; kerasm ${kerasmSteps * BATCH} samples, tfjs-cpu ${tfjsSteps} steps after a warm-up step; tfjs-wasm cannot train Conv2D)`,
    unit: 'samples/s', lowerIsBetter: false, runs, medians, ratios,
  };
}
