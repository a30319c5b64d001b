// `pnpm bench`: the Keras MNIST reference MLP (784-64-10, Adam, batch 64), one steady-state epoch,
// kerasm and tfjs-layers 4.22 side by side in one process, interleaved, several repetitions.
// Prints medians and the kerasm/tfjs ratio; `-- --json` prints one JSON object instead.
import v8 from 'node:v8';

v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
const json = process.argv.includes('--json');
const repetitions = Number(process.env.BENCH_REPS ?? 3);
const log = (...args) => { if (!json) console.log(...args); };

const km = await import('@kerasm/sdk');
const tf = await import('@tensorflow/tfjs-core');
await import('@tensorflow/tfjs-layers');
const tfl = await import('@tensorflow/tfjs-layers');
await import('@tensorflow/tfjs-backend-cpu');
await import('@tensorflow/tfjs-backend-wasm');

const { train } = await km.datasets.mnist.load();
const n = train.x.shape[0];
const flatX = train.x.reshape([n, 784]);
const epochSeconds = async (fit) => {
  const times = [];
  await fit({ onEpochBegin: () => times.push(performance.now()), onEpochEnd: () => times.push(performance.now() - times.pop()) });
  return times[times.length - 1] / 1000; // the second (steady-state) epoch
};

async function kerasmEpoch() {
  km.utils.setRandomSeed(1);
  const model = km.sequential([
    km.layers.flatten({ inputShape: [28, 28] }),
    km.layers.dense({ units: 64, activation: 'relu' }),
    km.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return epochSeconds((callbacks) => model.fit(train.x, train.y, { epochs: 2, batchSize: 64, verbose: 0, callbacks }));
}

async function tfjsEpoch(backend) {
  await tf.setBackend(backend);
  await tf.ready();
  const x = tf.tensor2d(flatX.dataSync(), [n, 784]);
  const y = tf.tensor1d(train.y.dataSync(), 'float32');
  const model = tfl.sequential({ layers: [
    tfl.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }),
    tfl.layers.dense({ units: 10, activation: 'softmax' }),
  ] });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const seconds = await epochSeconds((callbacks) => model.fit(x, y, { epochs: 2, batchSize: 64, verbose: 0, callbacks }));
  tf.dispose([x, y]);
  model.dispose();
  return seconds;
}

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
await km.ready();
const results = { kerasm: [], 'tfjs-wasm': [] };
for (let r = 0; r < repetitions; r++) {
  results.kerasm.push(await kerasmEpoch());
  results['tfjs-wasm'].push(await tfjsEpoch('wasm'));
  log(`rep ${r + 1}/${repetitions}: kerasm ${results.kerasm[r].toFixed(3)} s, tfjs-wasm ${results['tfjs-wasm'][r].toFixed(3)} s`);
}
const summary = {
  benchmark: 'reference MLP, steady-state epoch seconds (60,000 samples, batch 64), 1 thread',
  kernels: km.getBackendInfo().kernels,
  repetitions,
  medianSeconds: { kerasm: median(results.kerasm), 'tfjs-wasm': median(results['tfjs-wasm']) },
};
summary.ratio = summary.medianSeconds.kerasm / summary.medianSeconds['tfjs-wasm'];
if (json) console.log(JSON.stringify(summary));
else {
  log(`\n${summary.benchmark}, kerasm kernels: ${summary.kernels}`);
  log(`median kerasm    ${summary.medianSeconds.kerasm.toFixed(3)} s`);
  log(`median tfjs-wasm ${summary.medianSeconds['tfjs-wasm'].toFixed(3)} s`);
  log(`kerasm / tfjs-wasm time ratio: ${summary.ratio.toFixed(3)} (${(1 / summary.ratio).toFixed(1)}x faster)`);
}
