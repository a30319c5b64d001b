// `node bench/cnn_step.mjs`: training speed of the Keras MNIST convnet (Conv2D 32 3x3 relu ->
// MaxPool 2 -> Conv2D 64 3x3 relu -> MaxPool 2 -> Flatten -> Dropout 0.5 -> Dense 10 softmax, Adam,
// batch 64), kerasm against tfjs-layers 4.22 on tfjs-backend-cpu in one process. tfjs-cpu takes
// seconds per step, so it trains a few steps only (BENCH_TFJS_STEPS, default 3, after one warm-up
// step); kerasm times BENCH_KERASM_STEPS (default 100) steps after a warm-up epoch of 10 steps.
// tfjs-backend-wasm cannot train this network ("Kernel 'Conv2DBackpropFilter' not registered").
import v8 from 'node:v8';

v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
const json = process.argv.includes('--json');
const kerasmSteps = Number(process.env.BENCH_KERASM_STEPS ?? 100);
const tfjsSteps = Number(process.env.BENCH_TFJS_STEPS ?? 3);
const batch = 64;

const km = await import('@kerasm/sdk');
const tf = await import('@tensorflow/tfjs-core');
const tfl = await import('@tensorflow/tfjs-layers');
await import('@tensorflow/tfjs-backend-cpu');

const { train } = await km.datasets.mnist.load();

function layers(api) {
  return [
    api.layers.reshape({ targetShape: [28, 28, 1], inputShape: [28, 28] }),
    api.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
    api.layers.maxPooling2d({ poolSize: 2 }),
    api.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    api.layers.maxPooling2d({ poolSize: 2 }),
    api.layers.flatten(),
    api.layers.dropout({ rate: 0.5 }),
    api.layers.dense({ units: 10, activation: 'softmax' }),
  ];
}

async function kerasmRate() {
  await km.ready();
  km.utils.setRandomSeed(1);
  const model = km.sequential(layers(km));
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  await model.fit(train.x.slice(0, 10 * batch), train.y.slice(0, 10 * batch), { epochs: 1, batchSize: batch, verbose: 0 });
  const n = kerasmSteps * batch;
  const start = performance.now();
  await model.fit(train.x.slice(0, n), train.y.slice(0, n), { epochs: 1, batchSize: batch, verbose: 0 });
  return n / ((performance.now() - start) / 1000);
}

async function tfjsRate() {
  await tf.setBackend('cpu');
  const model = tfl.sequential({ layers: layers(tfl) });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const x = tf.tensor(train.x.slice(0, batch).dataSync(), [batch, 28, 28]);
  const y = tf.tensor(train.y.slice(0, batch).dataSync(), [batch], 'float32');
  await model.trainOnBatch(x, y);
  const start = performance.now();
  for (let i = 0; i < tfjsSteps; i++) await model.trainOnBatch(x, y);
  return (tfjsSteps * batch) / ((performance.now() - start) / 1000);
}

const kerasm = await kerasmRate();
const tfjs = await tfjsRate();
const kernels = km.getBackendInfo().kernels;
if (json) {
  console.log(JSON.stringify({ kerasmSamplesPerSecond: kerasm, tfjsCpuSamplesPerSecond: tfjs, kernels }));
} else {
  console.log(`kerasm (${kernels}): ${kerasm.toFixed(0)} samples/s over ${kerasmSteps} steps of ${batch}`);
  console.log(`tfjs-layers on tfjs-backend-cpu: ${tfjs.toFixed(2)} samples/s over ${tfjsSteps} steps of ${batch}`);
  console.log(`kerasm / tfjs-cpu: ${(kerasm / tfjs).toFixed(0)}x`);
}
