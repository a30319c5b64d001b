// The Keras MNIST convnet with dataFormat 'channelsFirst' (input [1, 28, 28], BatchNormalization on
// axis 1) against the same model channels-last: kerasm on wasm, 1 thread, where channelsFirst costs a
// transpose in and out of each layer; and tfjs-layers 4.22 on tfjs-backend-cpu, channels-first too
// (it transposes likewise; its BatchNormalization cannot train on axis 1, so there the model has
// none). Training samples/s, median of CF_REPS (default 3) runs of CF_STEPS (default 30) batches
// of 64 after 10 warm-up steps; tfjs: 2 trainOnBatch steps after one (about 4 minutes in all).
//
//   node bench/channels_first.mjs
import { median } from './suite/stats.mjs';
import { km, tf, tfl, useKerasm, useTfjs } from './suite/setup.mjs';

const BATCH = 64;
const steps = Number(process.env.CF_STEPS ?? 30);
const reps = Number(process.env.CF_REPS ?? 3);

function layers(api, format, { batchNorm = true } = {}) {
  const channelsFirst = format === 'channelsFirst';
  return [
    api.layers.reshape({ targetShape: channelsFirst ? [1, 28, 28] : [28, 28, 1], inputShape: [28, 28] }),
    api.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', dataFormat: format }),
    ...(batchNorm ? [api.layers.batchNormalization({ axis: channelsFirst ? 1 : -1 })] : []),
    api.layers.maxPooling2d({ poolSize: 2, dataFormat: format }),
    api.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', dataFormat: format }),
    api.layers.maxPooling2d({ poolSize: 2, dataFormat: format }),
    api.layers.flatten(),
    api.layers.dense({ units: 10, activation: 'softmax' }),
  ];
}

async function kerasmRate(train, format) {
  await useKerasm(1);
  km.utils.setRandomSeed(1);
  const model = km.sequential(layers(km, format));
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const warm = 10 * BATCH;
  await model.fit(train.x.slice(0, warm), train.y.slice(0, warm), { epochs: 1, batchSize: BATCH, verbose: 0 });
  const n = steps * BATCH;
  const x = train.x.slice(warm, warm + n), y = train.y.slice(warm, warm + n);
  const t0 = performance.now();
  await model.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0 });
  const rate = n / ((performance.now() - t0) / 1000);
  model.dispose();
  return rate;
}

async function tfjsRate(data, format) {
  await useTfjs('cpu');
  const model = tfl.sequential({ layers: layers(tfl, format, { batchNorm: format === 'channelsLast' }) });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const x = tf.tensor(data.x.subarray(0, BATCH * 784), [BATCH, 28, 28]);
  const y = tf.tensor1d(data.y.subarray(0, BATCH), 'float32');
  await model.trainOnBatch(x, y);
  const tfjsSteps = 2;
  const t0 = performance.now();
  for (let i = 0; i < tfjsSteps; i++) await model.trainOnBatch(x, y);
  const rate = (tfjsSteps * BATCH) / ((performance.now() - t0) / 1000);
  tf.dispose([x, y]);
  model.dispose();
  return rate;
}

const { train } = await km.datasets.mnist.load();
const raw = { x: train.x.dataSync(), y: train.y.dataSync() };
const rows = [];
for (const format of ['channelsLast', 'channelsFirst']) {
  const ours = [];
  for (let r = 0; r < reps; r++) ours.push(await kerasmRate(train, format));
  const theirs = await tfjsRate(raw, format);
  rows.push({ format, kerasm: median(ours), reps: ours, tfjs: theirs });
}
for (const { format, kerasm, reps: all, tfjs } of rows) {
  console.log(`${format}: kerasm ${kerasm.toFixed(0)} samples/s (reps ${all.map((v) => v.toFixed(0)).join(', ')}), tfjs-cpu ${tfjs.toFixed(1)} samples/s, ratio ${(kerasm / tfjs).toFixed(0)}×`);
}
console.log(`kerasm channelsFirst / channelsLast: ${(rows[1].kerasm / rows[0].kerasm).toFixed(2)}`);
