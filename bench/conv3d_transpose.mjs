// `node bench/conv3d_transpose.mjs`: a 3-D convolutional autoencoder on 8×16×16×1 volumes (Conv3D 8,
// stride 2 → Conv3D 16, stride 2 → Conv3DTranspose 8, stride 2 → Conv3DTranspose 1, stride 2,
// sigmoid; all 3×3×3 'same'), batch 16, Adam, mean squared error. Training: kerasm on its wasm core
// against tfjs-layers 4.22 on tfjs-backend-wasm and tfjs-backend-cpu (which cannot train
// Conv3DTranspose: they show their error). Inference (predict in batches of 16), which tfjs can do,
// side by side too. Interleaved, medians of CT3D_REPS (default 3) passes over CT3D_SAMPLES (default
// 256; tfjs-cpu gets an eighth) samples.
import { km, tf, tfl } from './suite/setup.mjs';
import { sideBySide } from './suite/side_by_side.mjs';
import { kerasmEpoch } from './suite/kerasm_epoch.mjs';
import { tfjsEpoch } from './suite/tfjs_epoch.mjs';

const reps = Number(process.env.CT3D_REPS ?? 3);
const samples = Number(process.env.CT3D_SAMPLES ?? 256);
const batchSize = 16;
const shape = [8, 16, 16, 1];
const size = shape.reduce((a, b) => a * b, 1);

function layers(lib) {
  const same = { kernelSize: 3, strides: 2, padding: 'same' };
  return [
    lib.layers.conv3d({ ...same, filters: 8, activation: 'relu', inputShape: shape }),
    lib.layers.conv3d({ ...same, filters: 16, activation: 'relu' }),
    lib.layers.conv3dTranspose({ ...same, filters: 8, activation: 'relu' }),
    lib.layers.conv3dTranspose({ ...same, filters: 1, activation: 'sigmoid' }),
  ];
}

// Deterministic values in [0, 1]: the speed does not depend on them.
const volumes = Float32Array.from({ length: samples * size }, (_, i) => ((Math.imul(i + 1, 2654435761) >>> 0) % 1000) / 1000);

function kerasmModel() {
  km.utils.setRandomSeed(1);
  const model = km.sequential(layers(km));
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  return model;
}

async function kerasmTrain() {
  await km.setBackend('wasm');
  const model = kerasmModel();
  const x = km.tensor(volumes, [samples, ...shape]);
  return kerasmEpoch(model, x, x, batchSize);
}

async function kerasmPredict() {
  await km.setBackend('wasm');
  const model = kerasmModel();
  const x = km.tensor(volumes, [samples, ...shape]);
  model.predict(x, { batchSize });
  const start = performance.now();
  model.predict(x, { batchSize }).dataSync();
  return samples / ((performance.now() - start) / 1000);
}

function tfjsInputs(backend) {
  const n = backend === 'cpu' ? samples / 8 : samples;
  return tf.tensor(volumes.subarray(0, n * size), [n, ...shape]);
}

async function tfjsTrain(backend) {
  await tf.setBackend(backend);
  const model = tfl.sequential({ layers: layers(tfl) });
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  const x = tfjsInputs(backend);
  return tfjsEpoch(model, x, x, batchSize);
}

async function tfjsPredict(backend) {
  await tf.setBackend(backend);
  const model = tfl.sequential({ layers: layers(tfl) });
  const x = tfjsInputs(backend);
  tf.dispose(model.predict(tf.slice(x, 0, batchSize), { batchSize }));
  const start = performance.now();
  const y = model.predict(x, { batchSize });
  await y.data();
  const rate = x.shape[0] / ((performance.now() - start) / 1000);
  tf.dispose([x, y]);
  model.dispose();
  return rate;
}

const threads = () => km.getBackendInfo().threads ?? 1;
await sideBySide({ 'kerasm wasm': kerasmTrain, 'tfjs-wasm': () => tfjsTrain('wasm'), 'tfjs-cpu': () => tfjsTrain('cpu') }, reps, { label: 'training', threads, ratioDigits: 1 });
await sideBySide({ 'kerasm wasm': kerasmPredict, 'tfjs-wasm': () => tfjsPredict('wasm'), 'tfjs-cpu': () => tfjsPredict('cpu') }, reps, { label: 'inference', threads, ratioDigits: 1 });
