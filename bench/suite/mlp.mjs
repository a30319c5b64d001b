// Reference MLP (784-64-10, Adam, batch 64): one steady-state epoch of 60,000 samples.
// kerasm on 1 and all threads and tfjs-layers on tfjs-wasm train a whole epoch after a short
// warm-up fit; tfjs-cpu is too slow for that, so it times a few hundred steps and the figure is
// scaled to an epoch (938 steps).
import { interleave, median } from './stats.mjs';
import { CORES, kerasmMlp, km, tf, tfjsMlp, useKerasm, useTfjs } from './setup.mjs';

const BATCH = 64;
const WARMUP_STEPS = 10;

/** Seconds per steady-state epoch of the reference MLP on a kerasm backend (wasm: on `threads` threads). */
export async function kerasmEpoch(train, threads, backend = 'wasm') {
  await useKerasm(threads, backend);
  const model = kerasmMlp();
  const warm = WARMUP_STEPS * BATCH;
  await model.fit(train.x.slice(0, warm), train.y.slice(0, warm), { epochs: 1, batchSize: BATCH, verbose: 0 });
  const t0 = performance.now();
  await model.fit(train.x, train.y, { epochs: 1, batchSize: BATCH, verbose: 0 });
  return (performance.now() - t0) / 1000;
}

/** Seconds per epoch on tfjs `backend`; with `steps`, times that many steps and scales up. */
export async function tfjsEpoch(data, backend, steps) {
  await useTfjs(backend);
  const n = steps ? (WARMUP_STEPS + steps) * BATCH : data.n;
  const x = tf.tensor2d(data.x.subarray(0, n * 784), [n, 784]);
  const y = tf.tensor1d(data.y.subarray(0, n), 'float32');
  const model = tfjsMlp();
  const wx = tf.slice(x, 0, WARMUP_STEPS * BATCH), wy = tf.slice(y, 0, WARMUP_STEPS * BATCH);
  await model.fit(wx, wy, { epochs: 1, batchSize: BATCH, verbose: 0 });
  let seconds;
  if (steps) {
    let start = 0;
    await model.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0, shuffle: false, callbacks: {
      onBatchEnd: async (batch) => { if (batch === WARMUP_STEPS - 1) start = performance.now(); },
    } });
    seconds = ((performance.now() - start) / 1000) * (Math.ceil(data.n / BATCH) / steps);
  } else {
    const t0 = performance.now();
    await model.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0 });
    seconds = (performance.now() - t0) / 1000;
  }
  tf.dispose([x, y, wx, wy]);
  model.dispose();
  return seconds;
}

/** Runs the section; returns medians (seconds per epoch) and kerasm/tfjs ratios. */
export async function mlpEpoch({ repetitions, cpuSteps, log }) {
  const { train } = await km.datasets.mnist.load();
  const data = { n: train.x.shape[0], x: train.x.dataSync(), y: new Float32Array(train.y.dataSync()) };
  const contenders = {
    'kerasm 1 thread': () => kerasmEpoch(train, 1),
    [`kerasm ${CORES} threads`]: () => kerasmEpoch(train, CORES),
    'tfjs-wasm': () => tfjsEpoch(data, 'wasm'),
    'tfjs-cpu': () => tfjsEpoch(data, 'cpu', cpuSteps),
  };
  const runs = await interleave(contenders, repetitions, (r, res) => log(`  rep ${r + 1}: ${Object.entries(res).map(([k, v]) => `${k} ${v[r].toFixed(3)} s`).join(', ')}`));
  const medians = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
  const ratios = {};
  for (const ours of ['kerasm 1 thread', `kerasm ${CORES} threads`]) {
    for (const theirs of ['tfjs-wasm', 'tfjs-cpu']) ratios[`${ours} / ${theirs}`] = medians[ours] / medians[theirs];
  }
  return {
    title: `Reference MLP, seconds per steady-state epoch (60,000 samples, batch 64; tfjs-cpu: ${cpuSteps} steps scaled to 938)`,
    unit: 's', lowerIsBetter: true, runs, medians, ratios,
  };
}
