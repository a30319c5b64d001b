// kerasm's `tfjs-webgpu` backend on a real GPU, from Node: the SDK takes WebGPU from Dawn through
// the npm package `webgpu` (`npm install webgpu@0.6.2` somewhere Node resolves it; a Vulkan driver).
// Beside it, kerasm's own wasm backend on 1 and all threads and tfjs-layers on the same WebGPU
// device, for:
//   parity    the reference MLP's first 20 losses on tfjs-webgpu against wasm (same seed, same batches)
//   mlp       seconds per steady-state epoch of the reference MLP (batch 64), as `pnpm bench` times it
//   accuracy  the whole reference program (5 epochs, seed 1) on tfjs-webgpu: test accuracy
//   cnn       the MNIST convnet's training samples/s (batch 64), as `pnpm bench` times it
//   predict   the trained MLP's predictions for the 10,000 test images on tfjs-webgpu against wasm,
//             read back with `await t.data()`, and its weights saved with the optimizer's state
//   chain     on tfjs-webgpu, one model's unread results used by another without a read back:
//             predictions as a student's fit targets and as a second model's predict input, a
//             layer's getWeights() into another layer's setWeights(); each against the same
//             values read to the host first
// Prints one JSON line per section as it ends, then the whole report; `--only a,b` picks sections.
import { parseArgs } from 'node:util';

const SECTIONS = ['parity', 'mlp', 'accuracy', 'cnn', 'predict', 'chain'];
const { values } = parseArgs({ options: { only: { type: 'string' } } });
const chosen = values.only ? values.only.split(',') : SECTIONS;

const { CORES, kerasmMlp, km, useKerasm } = await import('./suite/setup.mjs');
const { kerasmEpoch, tfjsEpoch } = await import('./suite/mlp.mjs');
const { kerasmRate, tfjsRate } = await import('./suite/cnn.mjs');
try {
  await km.setBackend('tfjs-webgpu');
} catch (error) {
  console.error(`webgpu_node: ${error.message}`);
  process.exit(2);
}
const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });

const BATCH = 64;
const { train, test } = await km.datasets.mnist.load();
const report = {
  date: new Date().toISOString(),
  adapter: { vendor: adapter.info?.vendor, architecture: adapter.info?.architecture, device: adapter.info?.device, description: adapter.info?.description },
  cores: CORES,
  sections: {},
};
console.log(JSON.stringify({ adapter: report.adapter, cores: CORES }));

/**
 * Losses of the reference MLP's first `steps` batches (no shuffling) on backend `name`, then its
 * loss and accuracy on the first 1,000 test images. (It reads nothing synchronously: Dawn in Node,
 * like headless Chromium, has no synchronous WebGPU read.)
 */
async function firstLosses(name, steps) {
  await useKerasm(1, name);
  const model = kerasmMlp(1);
  const losses = [];
  const n = steps * BATCH;
  await model.fit(train.x.slice(0, n), train.y.slice(0, n), { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0, callbacks: { onBatchEnd: (_, logs) => losses.push(logs.loss) } });
  const evaluation = await model.evaluate(test.x.slice(0, 1000), test.y.slice(0, 1000), { verbose: 0 });
  model.dispose();
  return { losses, evaluation };
}

async function parity() {
  const steps = 20;
  const wasm = await firstLosses('wasm', steps);
  const gpu = await firstLosses('tfjs-webgpu', steps);
  const relative = (a, b) => Math.abs(a - b) / Math.abs(b);
  return {
    steps,
    wasm,
    webgpu: gpu,
    maxRelativeLossDiff: Math.max(...wasm.losses.map((l, i) => relative(gpu.losses[i], l))),
    relativeTestLossDiff: relative(gpu.evaluation[0], wasm.evaluation[0]),
  };
}

async function mlp() {
  const data = { n: train.x.shape[0], x: train.x.dataSync(), y: new Float32Array(train.y.dataSync()) };
  const seconds = {
    'kerasm tfjs-webgpu': await kerasmEpoch(train, 1, 'tfjs-webgpu'),
    'kerasm wasm 1 thread': await kerasmEpoch(train, 1),
    [`kerasm wasm ${CORES} threads`]: await kerasmEpoch(train, CORES),
    'tfjs-layers webgpu': await tfjsEpoch(data, 'webgpu'),
  };
  const base = seconds['kerasm tfjs-webgpu'];
  const relative = Object.fromEntries(Object.entries(seconds).map(([k, v]) => [k, v / base]));
  return { unit: 'seconds per steady-state epoch (60,000 samples, batch 64)', seconds, relativeToKerasmWebgpu: relative };
}

async function accuracy() {
  const result = {};
  for (const [name, threads] of [['tfjs-webgpu'], ['wasm', CORES]]) {
    await useKerasm(threads, name);
    const model = kerasmMlp(1);
    const history = await model.fit(train.x, train.y, { epochs: 5, batchSize: BATCH, verbose: 0 });
    const [loss, acc] = await model.evaluate(test.x, test.y, { verbose: 0 });
    result[name] = { epochLosses: history.history.loss, testLoss: loss, testAccuracy: acc };
    model.dispose();
  }
  return result;
}

async function cnn() {
  const steps = 200;
  const data = { x: train.x.dataSync(), y: new Float32Array(train.y.dataSync()) };
  return {
    unit: `samples/s (batch ${BATCH}): kerasm over ${steps} steps, tfjs-layers over ${steps / 10} steps of one batch, each after warming up`,
    samplesPerSecond: {
      'kerasm tfjs-webgpu': await kerasmRate(train, 1, steps, BATCH, 'tfjs-webgpu'),
      'kerasm wasm 1 thread': await kerasmRate(train, 1, steps),
      [`kerasm wasm ${CORES} threads`]: await kerasmRate(train, CORES, steps),
      'tfjs-layers webgpu': await tfjsRate(data, steps / 10, 'webgpu'),
    },
  };
}

/** Predictions of an MLP trained for one epoch on wasm, then run on `name`; seconds of the call and the read. */
async function predictions(model, name) {
  await useKerasm(CORES, name);
  await model.predict(test.x.slice(0, 64), { batchSize: 256 }).data();
  const t0 = performance.now();
  const out = model.predict(test.x, { batchSize: 256 });
  const probabilities = await out.data();
  return { probabilities, seconds: (performance.now() - t0) / 1000 };
}

async function predict() {
  await useKerasm(CORES);
  const model = kerasmMlp(1);
  await model.fit(train.x, train.y, { epochs: 1, batchSize: BATCH, verbose: 0 });
  const wasm = await predictions(model, 'wasm');
  const gpu = await predictions(model, 'tfjs-webgpu');
  let maxAbsDiff = 0;
  let sameClass = 0;
  for (let i = 0; i < wasm.probabilities.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(wasm.probabilities[i] - gpu.probabilities[i]));
  const argmax = (p, row) => p.subarray(row * 10, row * 10 + 10).reduce((best, v, j, a) => (v > a[best] ? j : best), 0);
  for (let row = 0; row < test.x.shape[0]; row++) if (argmax(wasm.probabilities, row) === argmax(gpu.probabilities, row)) sameClass++;
  // A few steps on the GPU give the optimizer state there, which the save reads back too.
  await model.fit(train.x.slice(0, 10 * BATCH), train.y.slice(0, 10 * BATCH), { epochs: 1, batchSize: BATCH, verbose: 0 });
  let saved;
  await model.save(km.io.withSaveHandler(async (artifacts) => void (saved = artifacts)), { includeOptimizer: true });
  const weights = await Promise.all(model.getWeights().map((w) => w.data()));
  model.dispose();
  return {
    images: test.x.shape[0],
    maxAbsProbabilityDiff: maxAbsDiff,
    sameTopClass: sameClass,
    seconds: { wasm: wasm.seconds, 'tfjs-webgpu': gpu.seconds },
    savedWeights: saved.weightSpecs.length,
    savedBytes: saved.weightData.byteLength,
    firstKernelValue: weights[0][0],
  };
}

async function chain() {
  await useKerasm(1, 'tfjs-webgpu');
  const teacher = kerasmMlp(1);
  const n = 20 * BATCH;
  const [x, y] = [train.x.slice(0, n), train.y.slice(0, n)];
  await teacher.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0 });
  const soft = km.tensor(await teacher.predict(x).data(), [n, 10]);
  const distil = async (targets) => {
    const student = kerasmMlp(2);
    student.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const losses = (await student.fit(x, targets, { epochs: 2, batchSize: BATCH, seed: 3, verbose: 0 })).history.loss;
    return { student, losses };
  };
  const fromDevice = await distil(teacher.predict(x));
  const fromHost = await distil(soft);
  const head = km.sequential([km.layers.dense({ units: 3, activation: 'softmax', inputShape: [10] })]);
  const chained = await head.predict(teacher.predict(x)).data();
  const direct = await head.predict(soft).data();
  fromDevice.student.layers[1].setWeights(teacher.layers[1].getWeights());
  fromDevice.student.layers[2].setWeights(teacher.layers[2].getWeights());
  const copied = await fromDevice.student.predict(x).data();
  const maxAbsDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
  [teacher, fromDevice.student, fromHost.student, head].forEach((m) => m.dispose());
  return {
    distillationLosses: { fromDevice: fromDevice.losses, fromHost: fromHost.losses },
    chainedPredictMaxAbsDiff: maxAbsDiff(chained, direct),
    layerCopyMaxAbsDiff: maxAbsDiff(copied, soft.dataSync()),
  };
}

const RUN = { parity, mlp, accuracy, cnn, predict, chain };
for (const name of chosen) {
  const t0 = performance.now();
  try {
    report.sections[name] = await RUN[name]();
  } catch (error) {
    report.sections[name] = { error: String(error?.stack ?? error) };
  }
  report.sections[name].sectionSeconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ [name]: report.sections[name] }));
}
console.log(JSON.stringify(report));
// Dawn keeps the event loop alive while its device exists.
process.exit(0);
