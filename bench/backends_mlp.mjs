// The reference MLP's training speed on each kerasm backend that runs in Node, side by side:
// samples/s over 100 steps of batch 64 after 10 warm-up steps. `-- --json` prints one JSON object.
import v8 from 'node:v8';

v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
const json = process.argv.includes('--json');
const km = await import('@kerasm/sdk');
const { train } = await km.datasets.mnist.load();
const STEPS = 100;
const WARMUP = 10;
const BATCH = 64;
const x = train.x.slice(0, (STEPS + WARMUP) * BATCH);
const y = train.y.slice(0, (STEPS + WARMUP) * BATCH);

async function samplesPerSecond(name) {
  await km.setBackend(name);
  km.utils.setRandomSeed(1);
  const model = km.sequential([
    km.layers.flatten({ inputShape: [28, 28] }),
    km.layers.dense({ units: 64, activation: 'relu' }),
    km.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  let start = 0;
  await model.fit(x, y, {
    epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0,
    callbacks: { onBatchEnd: (batch) => { if (batch === WARMUP - 1) start = performance.now(); } },
  });
  return (STEPS * BATCH) / ((performance.now() - start) / 1000);
}

const results = {};
for (const name of ['wasm', 'tfjs-wasm', 'tfjs-cpu']) {
  results[name] = await samplesPerSecond(name);
  if (!json) console.log(`${name.padEnd(10)} ${Math.round(results[name]).toLocaleString('en-US').padStart(8)} samples/s  (${(results.wasm / results[name]).toFixed(1)}x slower than wasm)`);
}
if (json) console.log(JSON.stringify({ benchmark: 'reference MLP training samples/s per backend (batch 64, 100 steps)', samplesPerSecond: results }));
